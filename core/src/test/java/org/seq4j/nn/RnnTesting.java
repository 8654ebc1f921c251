package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.seq4j.testing.Tensors;

/** Helpers shared by the recurrent tests. */
final class RnnTesting {
  private RnnTesting() {}

  /** Lengths stored as F32 in a fixture. */
  static int[] lengths(NDArray stored) {
    return stored.toType(DataType.INT32, true).toIntArray();
  }

  /**
   * The worst relative error ({@link Tensors#maxRelativeError}) of a layer's output and final state
   * (h, and c where there is one) against {@code expected}'s.
   */
  static double maxRelativeError(RnnOutput actual, RnnOutput expected) {
    double err =
        Tensors.maxRelativeError(
            actual.output(), expected.output(), actual.state().h(), expected.state().h());
    if (expected.state().c() != null) {
      err = Math.max(err, Tensors.maxRelativeError(actual.state().c(), expected.state().c()));
    }
    return err;
  }

  /** A builder for {@code mode} ({@code lstm}, {@code gru}, {@code rnn_tanh}, {@code rnn_relu}). */
  static RecurrentLayer.Builder<?> builder(String mode) {
    return switch (mode) {
      case "lstm" -> Lstm.builder();
      case "gru" -> Gru.builder();
      case "rnn_tanh" -> Rnn.builder();
      case "rnn_relu" -> Rnn.builder().relu();
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    };
  }

  /** Builds with the concrete builder's {@code build()}. */
  static RecurrentLayer build(RecurrentLayer.Builder<?> b) {
    if (b instanceof Lstm.Builder lstm) {
      return lstm.build();
    }
    if (b instanceof Gru.Builder gru) {
      return gru.build();
    }
    return ((Rnn.Builder) b).build();
  }
}
