package org.seq4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seq4j.engine.Steps;
import org.seq4j.nmt.Gnmt;
import org.seq4j.nmt.GnmtBatch;
import org.seq4j.nmt.GnmtConfig;
import org.seq4j.nn.Losses;
import org.seq4j.optim.Adam;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.Optimizer;

/**
 * One Java implementation of {@code bench nmt}'s training call: a model with its own copy of the
 * weights, the batch, Adam, and the call that the rounds time. A call is one training step as a
 * user writes it, inside {@link Steps#run}: the forward pass with dropout and the label-smoothed
 * loss inside a gradient collector, the backward pass, Adam's update and zeroing the gradients.
 */
final class NmtTrainer implements AutoCloseable {
  /** The name of {@link #sharedPart}'s timings. */
  static final String SHARED_PART = "seq4j-shared-part";

  /** The loss of a batch, with dropout when {@code training}. */
  interface LossFunction {
    NDArray loss(GnmtBatch batch, boolean training);
  }

  private final String impl;
  private final NDManager manager;
  private final Engine engine;
  private final Map<String, NDArray> parameters;
  private final LossFunction loss;
  private final GnmtBatch batch;
  private final Optimizer adam;

  private NmtTrainer(
      String impl,
      NDManager manager,
      Map<String, NDArray> parameters,
      LossFunction loss,
      GnmtBatch batch) {
    this.impl = impl;
    this.manager = manager;
    this.engine = manager.getEngine();
    this.parameters = parameters;
    this.loss = loss;
    this.batch = batch;
    this.adam = new Adam(manager, NmtWorkload.LEARNING_RATE);
  }

  /** {@link Gnmt#loss}: the decoder's bottom layer, attention and upper layers fused over time. */
  static NmtTrainer fused(
      NDManager manager, GnmtConfig config, Map<String, NDArray> weights, GnmtBatch batch) {
    Gnmt model = new Gnmt(config);
    model.initialize(manager);
    model.loadStateDict(weights);
    return new NmtTrainer(
        NmtBench.SEQ4J,
        manager,
        model.stateDict(),
        (b, training) -> model.loss(b, NmtWorkload.LABEL_SMOOTHING, training),
        batch);
  }

  /** {@link StepwiseGnmt}: the decoder one target step at a time. */
  static NmtTrainer stepwise(
      NDManager manager, GnmtConfig config, Map<String, NDArray> weights, GnmtBatch batch) {
    StepwiseGnmt model = new StepwiseGnmt(config, weights, manager);
    return new NmtTrainer(
        NmtBench.STEPWISE,
        manager,
        model.parameters(),
        (b, training) -> model.loss(b, NmtWorkload.LABEL_SMOOTHING, training),
        batch);
  }

  /**
   * What {@link #fused} and {@link #stepwise} share, without the decoder: the encoder ({@link
   * Gnmt#encode}), the target embeddings, the projection with the label-smoothed loss ({@link
   * Losses#linearCrossEntropy}) and Adam on the parameters these reach. The decoder's place is
   * taken by {@code top = embedded targets + mean over the source of the encoder outputs}, which
   * costs next to nothing and keeps the encoder in the backward pass. Its time is what both
   * training calls spend outside their decoders, so {@code stepwise time / this time} bounds {@code
   * seq4j / seq4j-stepwise}: the ratio a decoder of no cost would give.
   */
  static NmtTrainer sharedPart(
      NDManager manager, GnmtConfig config, Map<String, NDArray> weights, GnmtBatch batch) {
    Gnmt model = new Gnmt(config);
    model.initialize(manager);
    model.loadStateDict(weights);
    Map<String, NDArray> all = model.stateDict();
    NDArray table =
        all.get(config.sharedEmbedding() ? "embedding.weight" : "target_embedding.weight");
    NDArray projection = config.tiedProjection() ? table : all.get("projection.weight");
    NDArray bias = all.get("projection.bias");
    Map<String, NDArray> reached = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : all.entrySet()) {
      if (!e.getKey().startsWith("decoder.")) {
        reached.put(e.getKey(), e.getValue());
      }
    }
    return new NmtTrainer(
        SHARED_PART,
        manager,
        reached,
        (b, training) -> {
          NDArray keys = model.encode(b.sources(), b.sourceLengths(), training).keys();
          NDArray embedded =
              Embedding.embedding(b.targetInputs(), table, SparseFormat.DENSE).singletonOrThrow();
          NDArray top = embedded.add(keys.mean(new int[] {1}, true));
          return Losses.linearCrossEntropy(
              top, projection, bias, b.targetOutputs(), config.pad(), NmtWorkload.LABEL_SMOOTHING);
        },
        batch);
  }

  /** The implementation's name in reports. */
  String impl() {
    return impl;
  }

  /** The timed call: one training step. */
  Runnable call() {
    return () ->
        Steps.run(
            manager,
            m -> {
              forwardBackward();
              adam.step(parameters, Gradients.of(parameters, m));
              Gradients.zero(parameters);
            });
  }

  /**
   * Runs the forward and backward pass once, without updating, and checks that the loss is finite
   * and every parameter received a finite, non-zero gradient.
   *
   * @throws IllegalStateException describing the first problem found
   */
  void check() {
    try {
      Steps.run(
          manager,
          m -> {
            float value = forwardBackward().getFloat();
            if (!Float.isFinite(value)) {
              throw new IllegalStateException(impl + " nmt-train: loss " + value);
            }
            for (Map.Entry<String, NDArray> e : Gradients.of(parameters, m).entrySet()) {
              float sum = e.getValue().abs().sum().getFloat();
              if (!Float.isFinite(sum) || sum == 0) {
                throw new IllegalStateException(
                    impl
                        + " nmt-train: gradient of "
                        + e.getKey()
                        + " is "
                        + (sum == 0 ? "zero" : "not finite"));
              }
            }
          });
    } finally {
      Gradients.zero(parameters);
    }
  }

  private NDArray forwardBackward() {
    try (GradientCollector collector = engine.newGradientCollector()) {
      NDArray value = loss.loss(batch, true);
      collector.backward(value);
      return value;
    }
  }

  @Override
  public void close() {
    adam.close();
  }
}
