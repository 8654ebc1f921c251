package org.seq4j.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seq4j.nn.Gru;
import org.seq4j.nn.Lstm;
import org.seq4j.nn.RecurrentLayer;
import org.seq4j.nn.Rnn;
import org.seq4j.nn.Tcn;

/**
 * One recurrent layer (Elman RNN with tanh, LSTM or GRU) or a temporal convolutional network, under
 * a linear read-out: the networks the synthetic tasks compare. Input is batch-first {@code [B, T,
 * C]}. Parameters are drawn from libtorch's generator, which the caller seeds.
 */
final class SequenceModel {
  /** The network under the read-out. */
  enum Kind {
    RNN,
    LSTM,
    GRU,
    TCN;

    String label() {
      return name();
    }
  }

  private final RecurrentLayer rnn;
  private final Tcn tcn;
  private final Map<String, NDArray> params = new LinkedHashMap<>();

  private SequenceModel(RecurrentLayer rnn, Tcn tcn) {
    this.rnn = rnn;
    this.tcn = tcn;
  }

  /**
   * An RNN, LSTM or GRU of {@code hidden} units (an LSTM with its forget-gate bias at 1) and a
   * read-out to {@code outputs}.
   */
  static SequenceModel recurrent(
      NDManager manager, Kind kind, int inputs, int hidden, int outputs) {
    RecurrentLayer layer =
        switch (kind) {
          case RNN -> Rnn.builder().inputSize(inputs).hiddenSize(hidden).build();
          case LSTM -> Lstm.builder().inputSize(inputs).hiddenSize(hidden).forgetBias(1f).build();
          case GRU -> Gru.builder().inputSize(inputs).hiddenSize(hidden).build();
          case TCN -> throw new IllegalArgumentException("use SequenceModel.tcn for a TCN");
        };
    layer.initialize(manager);
    SequenceModel model = new SequenceModel(layer, null);
    layer.stateDict().forEach((name, array) -> model.params.put("rnn." + name, array));
    model.addHead(manager, hidden, outputs);
    return model;
  }

  /**
   * A TCN of {@code levels} blocks of {@code channels} and kernel {@code kernel}, with the
   * reference's dropout of 0.2 in training, and a read-out.
   */
  static SequenceModel tcn(
      NDManager manager, int inputs, int channels, int levels, int kernel, int outputs) {
    return tcn(manager, inputs, channels, levels, kernel, 0.2f, outputs);
  }

  /** Like {@link #tcn(NDManager, int, int, int, int, int)}, with dropout {@code dropout}. */
  static SequenceModel tcn(
      NDManager manager,
      int inputs,
      int channels,
      int levels,
      int kernel,
      float dropout,
      int outputs) {
    int[] widths = new int[levels];
    Arrays.fill(widths, channels);
    Tcn network =
        Tcn.builder()
            .inputSize(inputs)
            .channels(widths)
            .kernelSize(kernel)
            .dropout(dropout)
            .build();
    network.initialize(manager);
    SequenceModel model = new SequenceModel(null, network);
    network.stateDict().forEach((name, array) -> model.params.put("tcn." + name, array));
    model.addHead(manager, channels, outputs);
    return model;
  }

  /** The fewest levels of kernel {@code kernel} whose receptive field covers {@code length}. */
  static int levelsToCover(int length, int kernel) {
    int levels = 1;
    while (1 + 2L * (kernel - 1) * ((1L << levels) - 1) < length) {
      levels++;
    }
    return levels;
  }

  /** {@code nn.Linear(width, outputs)}: U(-1/sqrt(width), 1/sqrt(width)). */
  private void addHead(NDManager manager, int width, int outputs) {
    float bound = (float) (1 / Math.sqrt(width));
    NDArray w = manager.randomUniform(-bound, bound, new Shape(outputs, width), DataType.FLOAT32);
    NDArray b = manager.randomUniform(-bound, bound, new Shape(outputs), DataType.FLOAT32);
    w.setRequiresGradient(true);
    b.setRequiresGradient(true);
    params.put("head.weight", w);
    params.put("head.bias", b);
  }

  /** The receptive field of the TCN, or 0 for a recurrent network (unbounded). */
  int receptiveField() {
    return tcn == null ? 0 : tcn.receptiveField();
  }

  /** The trainable parameters by name. */
  Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /** The number of scalar parameters. */
  long size() {
    return params.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /** The read-out at every step: {@code x [B, T, C] → [B, T, outputs]}. */
  NDArray everyStep(NDArray x) {
    NDArray h =
        tcn == null
            ? rnn.forward(x, null, null, true).output()
            : tcn.forward(x.transpose(0, 2, 1), true).transpose(0, 2, 1);
    return head(h);
  }

  /**
   * The read-out at each sequence's last step: {@code x [B, T, C] → [B, outputs]}.
   *
   * @param lengths each sequence's length, or null when all are {@code T} (a TCN needs null)
   */
  NDArray lastStep(NDArray x, int[] lengths) {
    return lastStep(x, lengths, true);
  }

  /**
   * Like {@link #lastStep(NDArray, int[])}; {@code training} false turns the TCN's dropout off, to
   * evaluate.
   */
  NDArray lastStep(NDArray x, int[] lengths, boolean training) {
    if (tcn != null) {
      if (lengths != null) {
        throw new IllegalArgumentException("the TCN reads fixed-length batches");
      }
      long t = x.getShape().get(1);
      NDArray y = tcn.forward(x.transpose(0, 2, 1), training);
      return head(y.get(":, :, {}", t - 1));
    }
    return head(rnn.forward(x, lengths, null, training).state().h().get(0));
  }

  private NDArray head(NDArray h) {
    return h.getNDArrayInternal()
        .linear(h, params.get("head.weight"), params.get("head.bias"))
        .singletonOrThrow();
  }
}
