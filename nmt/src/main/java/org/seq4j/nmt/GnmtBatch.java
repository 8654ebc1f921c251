package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A padded batch of sentence pairs for teacher-forced training of a {@link Gnmt}.
 *
 * <pre>
 *   sources        x₁ … x_n PAD …             [B, S], S = the longest source (at least 1)
 *   targetInputs   BOS y₁ … y_m PAD …         [B, T], T = the longest target + 1
 *   targetOutputs  y₁ … y_m EOS PAD …         [B, T]; PAD is ignored by the loss
 * </pre>
 *
 * @param sources source ids, INT64
 * @param sourceLengths each source's real length (0 for an empty source)
 * @param targetInputs decoder inputs, INT64
 * @param targetOutputs what each decoder position predicts, INT64
 */
public record GnmtBatch(
    NDArray sources, int[] sourceLengths, NDArray targetInputs, NDArray targetOutputs) {

  /**
   * Pads sentence pairs (ids without BOS/EOS) into a batch, in {@code manager}.
   *
   * @throws IllegalArgumentException if the lists are empty or differ in size, or an id is outside
   *     the vocabulary
   */
  public static GnmtBatch of(
      NDManager manager, List<int[]> sources, List<int[]> targets, GnmtConfig config) {
    if (sources.isEmpty() || sources.size() != targets.size()) {
      throw new IllegalArgumentException(
          "sources and targets: the same positive number of sentences, got "
              + sources.size()
              + " and "
              + targets.size());
    }
    int rows = sources.size();
    int[] lengths = new int[rows];
    int width = 1;
    int targetWidth = 1;
    for (int b = 0; b < rows; b++) {
      lengths[b] = checkIds("sources", b, sources.get(b), config.vocabularySize()).length;
      width = Math.max(width, lengths[b]);
      targetWidth =
          Math.max(
              targetWidth,
              checkIds("targets", b, targets.get(b), config.vocabularySize()).length + 1);
    }
    long[] src = new long[rows * width];
    long[] in = new long[rows * targetWidth];
    long[] out = new long[rows * targetWidth];
    java.util.Arrays.fill(src, config.pad());
    java.util.Arrays.fill(in, config.pad());
    java.util.Arrays.fill(out, config.pad());
    for (int b = 0; b < rows; b++) {
      int[] x = sources.get(b);
      int[] y = targets.get(b);
      for (int s = 0; s < x.length; s++) {
        src[b * width + s] = x[s];
      }
      in[b * targetWidth] = config.bos();
      for (int t = 0; t < y.length; t++) {
        in[b * targetWidth + t + 1] = y[t];
        out[b * targetWidth + t] = y[t];
      }
      out[b * targetWidth + y.length] = config.eos();
    }
    return new GnmtBatch(
        manager.create(src, new Shape(rows, width)),
        lengths,
        manager.create(in, new Shape(rows, targetWidth)),
        manager.create(out, new Shape(rows, targetWidth)));
  }

  /** The number of sentence pairs. */
  public int rows() {
    return sourceLengths.length;
  }

  private static int[] checkIds(String what, int row, int[] ids, int vocabularySize) {
    if (ids == null) {
      throw new IllegalArgumentException(what + "[" + row + "] is null");
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabularySize) {
        throw new IllegalArgumentException(
            what
                + "["
                + row
                + "]["
                + i
                + "] = "
                + ids[i]
                + " is outside the vocabulary [0, "
                + vocabularySize
                + ")");
      }
    }
    return ids;
  }
}
