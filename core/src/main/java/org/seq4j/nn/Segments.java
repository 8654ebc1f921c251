package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a unidirectional group of layers over a batch sorted by length (longest first) with one
 * fused call per time segment between consecutive distinct lengths. In segment {@code [v_{j-1},
 * v_j)} the sequences still active are the first {@code n_j} rows; they carry their state from the
 * previous segment, and the rows that end at {@code v_j} leave their final state there.
 */
final class Segments {
  private final int[] ends;
  private final int[] active;
  private final int time;

  /**
   * @param sortedLengths lengths in descending order
   * @param time the padded length of the batch
   */
  Segments(int[] sortedLengths, int time) {
    List<Integer> distinct = new ArrayList<>();
    for (int i = sortedLengths.length - 1; i >= 0; i--) {
      if (distinct.isEmpty() || distinct.get(distinct.size() - 1) != sortedLengths[i]) {
        distinct.add(sortedLengths[i]);
      }
    }
    this.ends = distinct.stream().mapToInt(Integer::intValue).toArray();
    this.active = new int[ends.length];
    for (int j = 0; j < ends.length; j++) {
      int n = 0;
      while (n < sortedLengths.length && sortedLengths[n] >= ends[j]) {
        n++;
      }
      active[j] = n;
    }
    this.time = time;
  }

  /** The number of fused calls per group. */
  int count() {
    return ends.length;
  }

  /**
   * Runs {@code layerCount} unidirectional layers.
   *
   * @return the output {@code [B, T, H]}, zero past each length, and the final state {@code
   *     [layerCount, B, H]} in the sorted order
   */
  RnnOutput run(
      RecurrentLayer layer,
      NDArray input,
      RnnState init,
      NDList weights,
      int layerCount,
      boolean training) {
    long batch = input.getShape().get(0);
    boolean cell = layer.mode().hasCell();
    List<NDArray> outputs = new ArrayList<>();
    List<NDArray> finalH = new ArrayList<>();
    List<NDArray> finalC = new ArrayList<>();
    RnnState state = init;
    int start = 0;
    for (int j = 0; j < ends.length; j++) {
      int n = active[j];
      NDArray xs = input.get(new NDIndex(":{}, {}:{}", n, start, ends[j]));
      NDList out = layer.fused(xs, prefix(state, n, batch), weights, layerCount, false, training);
      NDArray y = out.get(0);
      if (n < batch) {
        y = y.concat(zeros(y, batch - n, ends[j] - start), 0);
      }
      outputs.add(y);
      state = new RnnState(out.get(1), cell ? out.get(2) : null);
      int next = j + 1 < ends.length ? active[j + 1] : 0;
      if (next < n) { // rows [next, n) end here
        NDIndex done = new NDIndex(":, {}:{}", next, n);
        finalH.add(0, state.h().get(done));
        if (cell) {
          finalC.add(0, state.c().get(done));
        }
      }
      start = ends[j];
    }
    if (start < time) {
      NDArray last = outputs.get(outputs.size() - 1);
      outputs.add(zeros(last, batch, time - start));
    }
    NDArray output = outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(new NDList(outputs), 1);
    return new RnnOutput(output, new RnnState(join(finalH), cell ? join(finalC) : null));
  }

  private static RnnState prefix(RnnState state, int n, long batch) {
    if (state == null || n == batch) {
      return state;
    }
    NDIndex rows = new NDIndex(":, :{}", n);
    return new RnnState(state.h().get(rows), state.c() == null ? null : state.c().get(rows));
  }

  private static NDArray zeros(NDArray like, long rows, long steps) {
    return like.getManager()
        .zeros(new Shape(rows, steps, like.getShape().get(2)), like.getDataType());
  }

  private static NDArray join(List<NDArray> pieces) {
    return pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(new NDList(pieces), 1);
  }
}
