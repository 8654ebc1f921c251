package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding through {@link StepDecoder}, for the tests: from BOS, the most probable token at
 * every step, until EOS (kept) or {@code maxSteps}. Each step runs in a manager of its own, and the
 * manager of the step before is closed once the step is done, as a caller that keeps only the
 * newest state would.
 */
final class GreedyDecoding {
  private GreedyDecoding() {}

  static List<int[]> decode(
      StepDecoder decoder, NDManager parent, List<int[]> sources, int maxSteps) {
    int rows = sources.size();
    List<List<Integer>> out = new ArrayList<>();
    for (int b = 0; b < rows; b++) {
      out.add(new ArrayList<>());
    }
    boolean[] done = new boolean[rows];
    int[] tokens = new int[rows];
    Arrays.fill(tokens, decoder.bos());
    try (NDManager run = parent.newSubManager()) {
      StepDecoder.DecoderState state = decoder.start(run, sources);
      NDManager previous = null;
      for (int t = 0; t < maxSteps; t++) {
        NDManager current = run.newSubManager();
        StepDecoder.StepOutput step = decoder.step(current, state, tokens);
        int[] best = argMax(step.logProbs());
        if (previous != null) {
          previous.close();
        }
        previous = current;
        state = step.next();
        boolean all = true;
        for (int b = 0; b < rows; b++) {
          if (!done[b]) {
            out.get(b).add(best[b]);
            done[b] = best[b] == decoder.eos();
          }
          all &= done[b];
        }
        tokens = best;
        if (all) {
          break;
        }
      }
    }
    List<int[]> result = new ArrayList<>();
    for (List<Integer> row : out) {
      result.add(row.stream().mapToInt(Integer::intValue).toArray());
    }
    return result;
  }

  /** The index of the largest value of each row of {@code [rows, V]}, computed in Java. */
  static int[] argMax(NDArray logProbs) {
    int v = (int) logProbs.getShape().get(1);
    double[] values = logProbs.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
    int[] best = new int[values.length / v];
    for (int b = 0; b < best.length; b++) {
      for (int i = 1; i < v; i++) {
        if (values[b * v + i] > values[b * v + best[b]]) {
          best[b] = i;
        }
      }
    }
    return best;
  }
}
