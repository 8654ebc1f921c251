package org.seq4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Adam;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.Optimizer;
import org.seq4j.wavenet.WaveNet;
import org.seq4j.wavenet.WaveNetConfig;

/**
 * seq4j's side of the WaveNet training benchmark: a {@link WaveNet} trained with {@link Adam} (lr
 * 1e-3) on a fixed batch of windows. One {@link #step} is what a training loop does per batch: the
 * loss ({@link WaveNet#loss}, scored where the receptive field is full), the backward pass, the
 * optimizer step and resetting the gradients, inside a child manager closed at its end.
 */
final class Seq4jWaveNetTrainer implements AutoCloseable {
  /** The learning rate; the PyTorch peer uses the same. */
  static final double LEARNING_RATE = 1e-3;

  private final Engine engine;
  private final NDManager manager;
  private final WaveNet net;
  private final Map<String, NDArray> params;
  private final Optimizer adam;
  private final NDArray windows;

  /**
   * A network of {@code config} holding a copy of {@code weights}, and the batch {@code windows}
   * ({@code [batch][T]} classes), in a child of {@code parent}.
   */
  Seq4jWaveNetTrainer(
      WaveNetConfig config, Map<String, NDArray> weights, int[][] windows, NDManager parent) {
    engine = parent.getEngine();
    manager = parent.newSubManager();
    net = new WaveNet(config);
    net.initialize(manager);
    net.loadStateDict(weights);
    params = net.stateDict();
    adam = new Adam(manager, LEARNING_RATE);
    int batch = windows.length;
    int time = windows[0].length;
    long[] flat = new long[batch * time];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        flat[b * time + t] = windows[b][t];
      }
    }
    this.windows = manager.create(flat, new Shape(batch, time));
  }

  /** One training step. */
  void step() {
    Steps.run(
        manager,
        m -> {
          try (GradientCollector collector = engine.newGradientCollector()) {
            collector.backward(net.loss(windows, null, null, true));
          }
          adam.step(params, Gradients.of(params, m));
          Gradients.zero(params);
        });
  }

  /** The loss of the batch with the current weights, without gradients. */
  double loss() {
    return Steps.scoped(manager, m -> (double) net.loss(windows, null, null, false).getFloat());
  }

  @Override
  public void close() {
    adam.close();
    manager.close();
  }
}
