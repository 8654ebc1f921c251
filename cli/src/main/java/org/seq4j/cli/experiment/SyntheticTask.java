package org.seq4j.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/** A synthetic long-memory task of Bai, Kolter and Koltun (2018). */
interface SyntheticTask {
  /** A batch in plain Java: inputs {@code [B, length, inputs()]} and the task's targets. */
  record Batch(float[] x, int size, int length, float[] values, long[] classes) {}

  String name();

  /** Input channels per step. */
  int inputs();

  /** Read-out width: 1 for a regression, the classes for a classification. */
  int outputs();

  /** The input sequence's length for the task's {@code T}. */
  int length(int t);

  /** {@code size} random examples for {@code T = t}. */
  Batch sample(SplittableRandom random, int size, int t);

  /** The loss of {@code model} on {@code batch}, whose input is {@code x}. */
  NDArray loss(NDManager m, SequenceModel model, NDArray x, Batch batch);

  /** The loss of the best answer that ignores the input's content, as the paper gives it. */
  double chance(int t);
}
