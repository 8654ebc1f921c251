package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A slow reference for {@link RecurrentLayer}: the same stack computed by {@link LstmCell}, {@link
 * GruCell} or {@link RnnCell} one step at a time and one sequence at a time, so that every rule is
 * a line of code:
 *
 * <ul>
 *   <li>sequence {@code b} reads only its first {@code lengths[b]} steps; its outputs past that are
 *       zero and its final state is the state after its own last step;
 *   <li>the reverse direction starts at the sequence's own last step and runs back to step 0;
 *   <li>a bidirectional layer's output at step t is {@code [forward_t, reverse_t]};
 *   <li>layer {@code n} (counting from 1) adds its input to its output when {@code n >=
 *       residualFrom > 0};
 *   <li>no dropout.
 * </ul>
 *
 * <p>The cells get copies of the layer's weights (from {@link RecurrentLayer#stateDict()}), in the
 * layer's data type; {@link #gradients()} maps their gradients back to the layer's names.
 */
final class CellLoop {
  private final RecurrentLayer layer;
  private final int residualFrom;
  private final int hidden;

  /** Cells by state slice, in PyTorch's order (layer 0 forward, layer 0 reverse, layer 1, ...). */
  private final List<AbstractCell> cells = new ArrayList<>();

  private final List<String> suffixes = new ArrayList<>();

  /**
   * @param layer the layer to copy: mode, sizes, directions and weights
   * @param residualFrom the layer's {@code residualFrom} setting (a layer does not expose it)
   * @param manager where the cells' weights live
   */
  CellLoop(RecurrentLayer layer, int residualFrom, NDManager manager) {
    this.layer = layer;
    this.residualFrom = residualFrom;
    this.hidden = layer.hiddenSize();
    Map<String, NDArray> weights = layer.stateDict();
    DataType type = weights.get("weight_ih_l0").getDataType();
    boolean bias = weights.containsKey("bias_ih_l0");
    for (int l = 0; l < layer.layers(); l++) {
      int in = l == 0 ? layer.inputSize() : directions(l - 1) * hidden;
      for (int d = 0; d < directions(l); d++) {
        String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
        AbstractCell cell = newCell(layer.mode(), in, hidden, bias);
        cell.initialize(manager, type);
        Map<String, NDArray> own = new LinkedHashMap<>();
        for (String name : cell.stateDict().keySet()) {
          own.put(name, weights.get(name + suffix));
        }
        cell.loadStateDict(own);
        cells.add(cell);
        suffixes.add(suffix);
      }
    }
  }

  /**
   * Runs the stack.
   *
   * @param x {@code [B, T, inputSize]}
   * @param lengths each sequence's length, or null for T
   * @param initial {@code [S, B, H]} states, or null for zeros
   */
  RnnOutput forward(NDArray x, int[] lengths, RnnState initial) {
    int batch = (int) x.getShape().get(0);
    int time = (int) x.getShape().get(1);
    List<NDArray> outputs = new ArrayList<>();
    List<List<NDArray>> finalH = new ArrayList<>();
    List<List<NDArray>> finalC = new ArrayList<>();
    for (int s = 0; s < cells.size(); s++) {
      finalH.add(new ArrayList<>());
      finalC.add(new ArrayList<>());
    }
    for (int b = 0; b < batch; b++) {
      int length = lengths == null ? time : lengths[b];
      List<NDArray> steps = new ArrayList<>();
      for (int t = 0; t < length; t++) {
        steps.add(x.get(new NDIndex("{}, {}:{}", b, t, t + 1))); // [1, C]
      }
      int slice = 0;
      for (int l = 0; l < layer.layers(); l++) {
        List<List<NDArray>> perDirection = new ArrayList<>();
        for (int d = 0; d < directions(l); d++, slice++) {
          RnnState state = initialState(initial, slice, b);
          NDArray[] out = new NDArray[length];
          for (int i = 0; i < length; i++) {
            int t = d == 0 ? i : length - 1 - i; // the reverse direction starts at length - 1
            state = cells.get(slice).forward(steps.get(t), state);
            out[t] = state.h();
          }
          perDirection.add(List.of(out));
          finalH.get(slice).add(state.h());
          finalC.get(slice).add(state.c());
        }
        List<NDArray> next = new ArrayList<>();
        for (int t = 0; t < length; t++) {
          NDArray y =
              perDirection.size() == 1
                  ? perDirection.get(0).get(t)
                  : perDirection.get(0).get(t).concat(perDirection.get(1).get(t), 1);
          if (residualFrom > 0 && l + 1 >= residualFrom) {
            y = y.add(steps.get(t));
          }
          next.add(y);
        }
        steps = next;
      }
      NDArray sequence = concat(steps, 0); // [length, D * H]
      if (length < time) {
        sequence =
            sequence.concat(
                x.getManager()
                    .zeros(new Shape(time - length, sequence.getShape().get(1)), x.getDataType()),
                0);
      }
      outputs.add(sequence);
    }
    NDArray output = stack(outputs);
    NDArray h = stackStates(finalH);
    NDArray c = layer.mode().hasCell() ? stackStates(finalC) : null;
    return new RnnOutput(output, new RnnState(h, c));
  }

  /** The cells' weight gradients under the layer's parameter names. */
  Map<String, NDArray> gradients() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (int s = 0; s < cells.size(); s++) {
      String suffix = suffixes.get(s);
      cells.get(s).stateDict().forEach((name, p) -> out.put(name + suffix, p.getGradient()));
    }
    return out;
  }

  private RnnState initialState(RnnState initial, int slice, int b) {
    if (initial == null) {
      return null;
    }
    NDIndex index = new NDIndex("{}, {}:{}", slice, b, b + 1); // [1, H]
    return new RnnState(
        initial.h().get(index), initial.c() == null ? null : initial.c().get(index));
  }

  /** [S] lists of B states [1, H] to [S, B, H]. */
  private static NDArray stackStates(List<List<NDArray>> perSlice) {
    List<NDArray> slices = new ArrayList<>();
    for (List<NDArray> states : perSlice) {
      slices.add(concat(states, 0));
    }
    return stack(slices);
  }

  /**
   * Concatenates along {@code axis}. A single array is returned as it is: DJL's {@code
   * NDArrays.concat} would return its {@code duplicate()}, which is cut from the autograd graph.
   */
  private static NDArray concat(List<NDArray> arrays, int axis) {
    return arrays.size() == 1 ? arrays.get(0) : NDArrays.concat(new NDList(arrays), axis);
  }

  /** Stacks along a new first axis, keeping the autograd graph (see {@link #concat}). */
  private static NDArray stack(List<NDArray> arrays) {
    List<NDArray> expanded = new ArrayList<>();
    for (NDArray a : arrays) {
      expanded.add(a.expandDims(0));
    }
    return concat(expanded, 0);
  }

  private int directions(int l) {
    return layer.isBidirectional(l) ? 2 : 1;
  }

  private static AbstractCell newCell(RnnMode mode, int in, int hidden, boolean bias) {
    return switch (mode) {
      case LSTM -> new LstmCell(in, hidden, bias);
      case GRU -> new GruCell(in, hidden, bias);
      case RNN_TANH -> new RnnCell(in, hidden, bias, false);
      case RNN_RELU -> new RnnCell(in, hidden, bias, true);
    };
  }
}
