package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;

/** Frees intermediate arrays of a forward pass as soon as nothing reads them. */
final class Closing {
  private Closing() {}

  /**
   * Closes each array that is not null. Closing an array that autograd recorded is safe: the graph
   * keeps its own reference to whatever its backward pass needs, as after {@code del} in Python.
   */
  static void close(NDArray... arrays) {
    for (NDArray a : arrays) {
      if (a != null) {
        a.close();
      }
    }
  }
}
