package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stack of recurrent layers (RNN, LSTM or GRU) over libtorch's fused kernels, batch-first, with
 * PyTorch's parameter names and layouts, so that {@code torch.nn.LSTM} weights load directly.
 *
 * <p>Beyond {@code torch.nn.LSTM}: a bidirectional first layer under unidirectional ones (GNMT),
 * residual connections from a chosen layer up, and exact variable lengths without packing:
 *
 * <ul>
 *   <li>Fixed lengths run as few fused calls as the configuration allows (one for a plain stack).
 *   <li>Variable lengths sort the batch by length and run one fused call per time segment between
 *       consecutive distinct lengths, on the sequences still active, carrying their state
 *       (DESIGN.md, "Variable lengths, exactly"). The reverse direction reads each sequence
 *       reversed within its own length, so it starts at the sequence's own last step. Outputs past
 *       a length are zero and the final state is taken at each sequence's own last step: PyTorch's
 *       packed-sequence semantics.
 * </ul>
 *
 * <p>State layout: {@code h} (and {@code c}) is {@code [S, B, H]}, one slice per (layer, direction)
 * in PyTorch's order.
 */
public abstract class RecurrentLayer extends NamedParameterBlock {
  private final RnnMode mode;
  private final int inputSize;
  private final int hiddenSize;
  private final int layers;
  private final boolean[] bidirectional;
  private final int residualFrom;
  private final float dropout;
  private final boolean bias;
  private final float forgetBias;

  /** Creates the layer described by {@code b}. */
  protected RecurrentLayer(RnnMode mode, Builder<?> b) {
    super("layer", "initialize(manager)");
    this.mode = mode;
    this.inputSize = positive("inputSize", b.inputSize);
    this.hiddenSize = positive("hiddenSize", b.hiddenSize);
    this.layers = positive("layers", b.layers);
    if (!(b.dropout >= 0 && b.dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + b.dropout);
    }
    if (b.residualFrom < 0 || b.residualFrom > layers) {
      throw new IllegalArgumentException(
          "residualFrom must be 0 (none) or a layer number in [1, "
              + layers
              + "], got "
              + b.residualFrom);
    }
    if (b.forgetBias != 0 && mode != RnnMode.LSTM) {
      throw new IllegalArgumentException("forgetBias applies to an LSTM only");
    }
    if (b.forgetBias != 0 && !b.bias) {
      throw new IllegalArgumentException("forgetBias needs biases");
    }
    this.bidirectional = new boolean[layers];
    for (int l = 0; l < layers; l++) {
      bidirectional[l] = b.allBidirectional || (b.firstBidirectional && l == 0);
    }
    this.residualFrom = b.residualFrom;
    this.dropout = b.dropout;
    this.bias = b.bias;
    this.forgetBias = b.forgetBias;
    for (int l = 0; l < layers; l++) {
      if (residual(l) && layerInputSize(l) != directions(l) * hiddenSize) {
        throw new IllegalArgumentException(
            "layer "
                + (l + 1)
                + " cannot be residual: its input has size "
                + layerInputSize(l)
                + " but its output "
                + directions(l) * hiddenSize);
      }
    }
    registerParameters();
  }

  private void registerParameters() {
    int gates = mode.gates() * hiddenSize;
    // PyTorch's init: every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)).
    float bound = (float) (1 / Math.sqrt(hiddenSize));
    for (int l = 0; l < layers; l++) {
      for (int d = 0; d < directions(l); d++) {
        String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
        add(
            "weight_ih" + suffix,
            Parameter.Type.WEIGHT,
            new Shape(gates, layerInputSize(l)),
            bound);
        add("weight_hh" + suffix, Parameter.Type.WEIGHT, new Shape(gates, hiddenSize), bound);
        if (bias) {
          add("bias_ih" + suffix, Parameter.Type.BIAS, new Shape(gates), bound);
          add("bias_hh" + suffix, Parameter.Type.BIAS, new Shape(gates), bound);
        }
      }
    }
  }

  /** Initializes the parameters in {@code type} (FLOAT32, or FLOAT64 for gradient checks). */
  @Override
  public void initialize(NDManager manager, DataType type) {
    initialize(manager, type, new Shape(1, 1, inputSize));
    for (Parameter p : namedParameters()) {
      p.getArray().setRequiresGradient(true);
    }
    if (forgetBias != 0) {
      // The forget gate is the second of LSTM's i, f, g, o blocks; b_ih + b_hh = forgetBias.
      for (int l = 0; l < layers; l++) {
        for (int d = 0; d < directions(l); d++) {
          String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
          setSlice(parameter("bias_ih" + suffix).getArray(), forgetBias);
          setSlice(parameter("bias_hh" + suffix).getArray(), 0f);
        }
      }
    }
  }

  private void setSlice(NDArray biasArray, float value) {
    biasArray.set(new NDIndex("{}:{}", hiddenSize, 2 * hiddenSize), value);
  }

  /** Output shapes for DJL: {@code [B, T, outputSize]} and the state shapes. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    Shape output = new Shape(x.get(0), x.get(1), outputSize());
    Shape state = new Shape(stateSlices(), x.get(0), hiddenSize);
    return mode.hasCell() ? new Shape[] {output, state, state} : new Shape[] {output, state};
  }

  /**
   * DJL entry point. Inputs: {@code x}, optionally {@code lengths} (integer {@code [B]}, or an
   * empty array for full length), then optionally {@code h0} (and {@code c0}). Outputs: the output,
   * {@code h_n} and, for an LSTM, {@code c_n}.
   */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    NDArray x = inputs.get(0);
    int[] lengths = null;
    if (inputs.size() > 1 && !inputs.get(1).isEmpty()) {
      lengths = inputs.get(1).toType(DataType.INT32, false).toIntArray();
    }
    RnnState initial = null;
    if (inputs.size() > 2) {
      initial = new RnnState(inputs.get(2), inputs.size() > 3 ? inputs.get(3) : null);
    }
    RnnOutput out = forward(x, lengths, initial, training);
    NDList result = new NDList(out.output(), out.state().h());
    if (out.state().c() != null) {
      result.add(out.state().c());
    }
    return result;
  }

  /** Runs the whole sequence with full lengths, zero initial state, in inference mode. */
  public RnnOutput forward(NDArray x) {
    return forward(x, null, null, false);
  }

  /**
   * Runs the stack over a batch.
   *
   * @param x {@code [B, T, inputSize]}
   * @param lengths each sequence's length in {@code [1, T]}, or null if all are {@code T}
   * @param initial the initial state ({@code [S, B, H]}), or null for zeros
   * @param training whether dropout between layers is on
   * @return the top layer's output {@code [B, T, outputSize]} and the final state
   * @throws IllegalArgumentException naming the argument that does not fit
   */
  public RnnOutput forward(NDArray x, int[] lengths, RnnState initial, boolean training) {
    checkInput(x, lengths);
    checkState(initial, (int) x.getShape().get(0));
    return fullLength(lengths, (int) x.getShape().get(1))
        ? forwardFull(x, initial, training)
        : forwardVariable(x, lengths, initial, training);
  }

  /**
   * The top layer's outputs alone, zero past each length: {@code forward(x, lengths, null,
   * training).output()}, without the final state.
   *
   * <p>Without a final state to take at each sequence's own last step, variable lengths need no
   * time segments: an output at {@code t < length} depends only on the inputs up to {@code t} in
   * the forward direction, and, in the reverse direction, which reads each sequence reversed within
   * its own length (padding after it), only on the sequence's own steps too. So every layer and
   * direction runs as one fused call over the padded batch, and the padding's outputs are set to
   * zero at the end. That is a few calls instead of one per distinct length, for the arithmetic of
   * the padding: the faster choice for encoders over batches of many different lengths.
   *
   * @param x {@code [B, T, inputSize]}
   * @param lengths each sequence's length in {@code [1, T]}, or null if all are {@code T}
   * @param training whether dropout between layers is on
   * @return the top layer's output {@code [B, T, outputSize]}
   * @throws IllegalArgumentException naming the argument that does not fit
   */
  public NDArray outputs(NDArray x, int[] lengths, boolean training) {
    checkInput(x, lengths);
    int time = (int) x.getShape().get(1);
    if (fullLength(lengths, time)) {
      return forwardFull(x, null, training).output();
    }
    NDManager m = x.getManager();
    NDArray reverseIndex = reverseWithinLength(m, lengths, time);
    NDArray input = x;
    for (int[] group : groups()) {
      int first = group[0];
      int count = group[1];
      NDArray y;
      if (!bidirectional[first]) {
        y = fused(input, null, weights(first, count), count, false, training).get(0);
      } else {
        NDArray layerInput = input;
        for (int l = first; l < first + count; l++) {
          NDArray forward =
              fused(layerInput, null, directionWeights(l, 0), 1, false, training).get(0);
          NDArray backward =
              fused(
                      reverse(layerInput, reverseIndex),
                      null,
                      directionWeights(l, 1),
                      1,
                      false,
                      training)
                  .get(0);
          NDArray layerOutput =
              NDArrays.concat(new NDList(forward, reverse(backward, reverseIndex)), -1);
          layerInput =
              l < first + count - 1 ? dropBetweenLayers(layerOutput, l, training) : layerOutput;
        }
        y = layerInput;
      }
      if (residual(first)) {
        y = y.add(input);
      }
      input = dropBetweenLayers(y, first + count - 1, training);
    }
    NDArray valid =
        Masks.lengthMask(m.create(toLongs(lengths)), time)
            .expandDims(2)
            .toType(input.getDataType(), false);
    return input.mul(valid);
  }

  // ---------------------------------------------------------------------------------------------
  // Fixed lengths: consecutive layers with the same number of directions and no residual run as
  // one multi-layer fused call.

  private RnnOutput forwardFull(NDArray x, RnnState initial, boolean training) {
    NDArray input = x;
    List<NDArray> hs = new ArrayList<>();
    List<NDArray> cs = new ArrayList<>();
    for (int[] group : groups()) {
      int first = group[0];
      int count = group[1];
      RnnState init = layerSlices(initial, first, count);
      NDList out = fused(input, init, weights(first, count), count, bidirectional[first], training);
      NDArray y = out.get(0);
      if (residual(first)) {
        y = y.add(input);
      }
      hs.add(out.get(1));
      if (mode.hasCell()) {
        cs.add(out.get(2));
      }
      input = dropBetweenLayers(y, first + count - 1, training);
    }
    return new RnnOutput(input, state(hs, cs));
  }

  /** Layer groups {first, count}: residual layers and direction changes start a new group. */
  private List<int[]> groups() {
    List<int[]> groups = new ArrayList<>();
    int first = 0;
    for (int l = 1; l <= layers; l++) {
      boolean cut =
          l == layers || residual(l) || residual(first) || bidirectional[l] != bidirectional[first];
      if (cut) {
        groups.add(new int[] {first, l - first});
        first = l;
      }
    }
    return groups;
  }

  // ---------------------------------------------------------------------------------------------
  // Variable lengths.

  private RnnOutput forwardVariable(NDArray x, int[] lengths, RnnState initial, boolean training) {
    int batch = lengths.length;
    int time = (int) x.getShape().get(1);
    // Sort by length, longest first: the sequences active in a segment are then a prefix.
    Integer[] boxed = new Integer[batch];
    for (int i = 0; i < batch; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (a, b) -> Integer.compare(lengths[b], lengths[a]));
    int[] order = new int[batch];
    int[] sorted = new int[batch];
    int[] inverse = new int[batch];
    for (int i = 0; i < batch; i++) {
      order[i] = boxed[i];
      sorted[i] = lengths[order[i]];
      inverse[order[i]] = i;
    }
    NDManager m = x.getManager();
    NDArray orderArray = m.create(toLongs(order));
    NDArray inverseArray = m.create(toLongs(inverse));
    NDArray input = x.get(new NDIndex("{}", orderArray));
    RnnState init = null;
    if (initial != null) {
      init =
          new RnnState(
              initial.h().get(new NDIndex(":, {}", orderArray)),
              initial.c() == null ? null : initial.c().get(new NDIndex(":, {}", orderArray)));
    }
    Segments segments = new Segments(sorted, time);
    NDArray reverseIndex = null;
    List<NDArray> hs = new ArrayList<>();
    List<NDArray> cs = new ArrayList<>();
    for (int[] group : groups()) {
      int first = group[0];
      int count = group[1];
      RnnState groupInit = layerSlices(init, first, count);
      NDArray y;
      if (!bidirectional[first]) {
        RnnOutput out =
            segments.run(this, input, groupInit, weights(first, count), count, training);
        y = out.output();
        hs.add(out.state().h());
        if (mode.hasCell()) {
          cs.add(out.state().c());
        }
      } else {
        // One bidirectional layer at a time (count is 1 unless layers share directions).
        List<NDArray> dirOutputs = new ArrayList<>();
        NDArray layerInput = input;
        for (int l = first; l < first + count; l++) {
          dirOutputs.clear();
          for (int d = 0; d < 2; d++) {
            RnnState dirInit = slices(init, stateIndex(l) + d, 1);
            NDArray in = layerInput;
            if (d == 1) {
              if (reverseIndex == null) {
                reverseIndex = reverseWithinLength(m, sorted, time);
              }
              in = reverse(in, reverseIndex);
            }
            RnnOutput out = segments.run(this, in, dirInit, directionWeights(l, d), 1, training);
            dirOutputs.add(d == 1 ? reverse(out.output(), reverseIndex) : out.output());
            hs.add(out.state().h());
            if (mode.hasCell()) {
              cs.add(out.state().c());
            }
          }
          NDArray layerOutput = NDArrays.concat(new NDList(dirOutputs), -1);
          layerInput =
              l < first + count - 1 ? dropBetweenLayers(layerOutput, l, training) : layerOutput;
        }
        y = layerInput;
      }
      if (residual(first)) {
        y = y.add(input);
      }
      input = dropBetweenLayers(y, first + count - 1, training);
    }
    // Outputs past each length are zero already; restore the caller's order.
    NDArray output = input.get(new NDIndex("{}", inverseArray));
    RnnState finalState = state(hs, cs);
    return new RnnOutput(
        output,
        new RnnState(
            finalState.h().get(new NDIndex(":, {}", inverseArray)),
            finalState.c() == null
                ? null
                : finalState.c().get(new NDIndex(":, {}", inverseArray))));
  }

  /**
   * The index that reverses each (sorted) sequence within its own length along time and leaves the
   * padding in place: {@code t -> len - 1 - t} for {@code t < len}, broadcast to {@code [B, T, C]}
   * for {@code gather}. It is its own inverse.
   */
  private static NDArray reverseWithinLength(NDManager m, int[] lengths, int time) {
    long[] idx = new long[lengths.length * time];
    for (int b = 0; b < lengths.length; b++) {
      for (int t = 0; t < time; t++) {
        idx[b * time + t] = t < lengths[b] ? lengths[b] - 1 - t : t;
      }
    }
    return m.create(idx, new Shape(lengths.length, time, 1));
  }

  private static NDArray reverse(NDArray x, NDArray index) {
    Shape s = x.getShape();
    return x.gather(index.broadcast(s.get(0), s.get(1), s.get(2)), 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Pieces shared by both paths.

  /** One fused libtorch call over {@code count} layers with the same direction count. */
  NDList fused(
      NDArray input,
      RnnState init,
      NDList weights,
      int count,
      boolean bidirectionalGroup,
      boolean training) {
    int dirs = bidirectionalGroup ? 2 : 1;
    long batch = input.getShape().get(0);
    RnnState state = init;
    if (state == null) {
      NDArray zeros =
          input
              .getManager()
              .zeros(new Shape((long) count * dirs, batch, hiddenSize), input.getDataType());
      state = new RnnState(zeros, mode.hasCell() ? zeros : null);
    }
    double drop = training ? dropout : 0;
    return fusedCall(input, state, weights, count, drop, training, bidirectionalGroup);
  }

  /**
   * The libtorch kernel of this mode: returns {output, h_n[, c_n]}.
   *
   * @param weights per layer and direction: w_ih, w_hh[, b_ih, b_hh]
   */
  protected abstract NDList fusedCall(
      NDArray input,
      RnnState state,
      NDList weights,
      int layerCount,
      double dropout,
      boolean training,
      boolean bidirectional);

  /** Whether the layers have biases. */
  protected boolean hasBias() {
    return bias;
  }

  /** Whether layer {@code l} (0-based) adds its input to its output. */
  private boolean residual(int l) {
    return residualFrom > 0 && l + 1 >= residualFrom;
  }

  private NDArray dropBetweenLayers(NDArray y, int layer, boolean training) {
    if (!training || dropout == 0 || layer == layers - 1) {
      return y;
    }
    return y.getNDArrayInternal().dropout(y, dropout, true).singletonOrThrow();
  }

  private NDList weights(int first, int count) {
    NDList list = new NDList();
    for (int l = first; l < first + count; l++) {
      for (int d = 0; d < directions(l); d++) {
        list.addAll(directionWeights(l, d));
      }
    }
    return list;
  }

  private NDList directionWeights(int l, int d) {
    String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
    NDList list = new NDList();
    list.add(parameter("weight_ih" + suffix).getArray());
    list.add(parameter("weight_hh" + suffix).getArray());
    if (bias) {
      list.add(parameter("bias_ih" + suffix).getArray());
      list.add(parameter("bias_hh" + suffix).getArray());
    }
    return list;
  }

  /** The first state slice of layer {@code l}. */
  private int stateIndex(int l) {
    int s = 0;
    for (int i = 0; i < l; i++) {
      s += directions(i);
    }
    return s;
  }

  /** The state slices of layers {@code [firstLayer, firstLayer + count)}. */
  private RnnState layerSlices(RnnState state, int firstLayer, int count) {
    int from = stateIndex(firstLayer);
    return slices(state, from, stateIndex(firstLayer + count) - from);
  }

  /** State slices {@code [from, from + count)} along the first axis; null stays null. */
  private static RnnState slices(RnnState state, int from, int count) {
    if (state == null) {
      return null;
    }
    NDIndex index = new NDIndex("{}:{}", from, from + count);
    return new RnnState(state.h().get(index), state.c() == null ? null : state.c().get(index));
  }

  private RnnState state(List<NDArray> hs, List<NDArray> cs) {
    NDArray h = hs.size() == 1 ? hs.get(0) : NDArrays.concat(new NDList(hs), 0);
    NDArray c = null;
    if (mode.hasCell()) {
      c = cs.size() == 1 ? cs.get(0) : NDArrays.concat(new NDList(cs), 0);
    }
    return new RnnState(h, c);
  }

  /** Checks that {@code x} is {@code [B, T, inputSize]} and {@code lengths} fit it. */
  private void checkInput(NDArray x, int[] lengths) {
    Shape shape = x.getShape();
    if (shape.dimension() != 3 || shape.get(2) != inputSize) {
      throw new IllegalArgumentException(
          "x must be [batch, time, "
              + inputSize
              + "] (input size "
              + inputSize
              + "), got "
              + shape);
    }
    checkLengths(lengths, (int) shape.get(0), (int) shape.get(1));
  }

  /** Whether every sequence runs the whole {@code time} steps. */
  private static boolean fullLength(int[] lengths, int time) {
    return lengths == null || Arrays.stream(lengths).allMatch(l -> l == time);
  }

  private void checkLengths(int[] lengths, int batch, int time) {
    if (lengths == null) {
      return;
    }
    if (lengths.length != batch) {
      throw new IllegalArgumentException(
          "lengths has " + lengths.length + " entries for a batch of " + batch);
    }
    for (int i = 0; i < lengths.length; i++) {
      if (lengths[i] < 1 || lengths[i] > time) {
        throw new IllegalArgumentException(
            "lengths[" + i + "] = " + lengths[i] + " is outside [1, " + time + "]");
      }
    }
  }

  private void checkState(RnnState state, int batch) {
    if (state == null) {
      return;
    }
    Shape expected = new Shape(stateSlices(), batch, hiddenSize);
    if (state.h() == null || !state.h().getShape().equals(expected)) {
      throw new IllegalArgumentException(
          "initial state h must be "
              + expected
              + ", got "
              + (state.h() == null ? "null" : state.h().getShape()));
    }
    if (mode.hasCell()) {
      if (state.c() == null || !state.c().getShape().equals(expected)) {
        throw new IllegalArgumentException(
            "initial state c must be "
                + expected
                + ", got "
                + (state.c() == null ? "null" : state.c().getShape()));
      }
    } else if (state.c() != null) {
      throw new IllegalArgumentException("initial state c is only for an LSTM");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Description and weights.

  public RnnMode mode() {
    return mode;
  }

  public int inputSize() {
    return inputSize;
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  public int layers() {
    return layers;
  }

  /** Whether layer {@code layerIndex} (0-based) is bidirectional. */
  public boolean isBidirectional(int layerIndex) {
    return bidirectional[layerIndex];
  }

  /** The size of the last dimension of the output. */
  public int outputSize() {
    return directions(layers - 1) * hiddenSize;
  }

  /** The number of (layer, direction) slices in a state. */
  public int stateSlices() {
    return stateIndex(layers);
  }

  private int directions(int l) {
    return bidirectional[l] ? 2 : 1;
  }

  private int layerInputSize(int l) {
    return l == 0 ? inputSize : directions(l - 1) * hiddenSize;
  }

  private static long[] toLongs(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "(input "
        + inputSize
        + ", hidden "
        + hiddenSize
        + ", layers "
        + layers
        + (bidirectional[0]
            ? (bidirectional[layers - 1] ? ", bidirectional" : ", bidirectional first layer")
            : "")
        + (residualFrom > 0 ? ", residual from layer " + residualFrom : "")
        + (dropout > 0 ? ", dropout " + dropout : "")
        + (bias ? "" : ", no bias")
        + ")";
  }

  /** Settings shared by {@link Lstm}, {@link Gru} and {@link Rnn}. */
  @SuppressWarnings("unchecked")
  public abstract static class Builder<T extends Builder<T>> {
    int inputSize;
    int hiddenSize;
    int layers = 1;
    boolean allBidirectional;
    boolean firstBidirectional;
    int residualFrom;
    float dropout;
    boolean bias = true;
    float forgetBias;

    /** The size of each input step (required). */
    public T inputSize(int n) {
      this.inputSize = n;
      return (T) this;
    }

    /** The size of the hidden state (required). */
    public T hiddenSize(int n) {
      this.hiddenSize = n;
      return (T) this;
    }

    /** The number of stacked layers (default 1). */
    public T layers(int n) {
      this.layers = n;
      return (T) this;
    }

    /** Every layer reads the sequence both ways. */
    public T bidirectional() {
      this.allBidirectional = true;
      return (T) this;
    }

    /** Only the first layer is bidirectional, as in GNMT's encoder. */
    public T bidirectionalFirstLayer() {
      this.firstBidirectional = true;
      return (T) this;
    }

    /**
     * Layers numbered {@code layerNumber} and above (counting from 1, as the GNMT paper does) add
     * their input to their output; 0 for none.
     */
    public T residualFrom(int layerNumber) {
      this.residualFrom = layerNumber;
      return (T) this;
    }

    /** Dropout on each layer's output except the last, in training (PyTorch's semantics). */
    public T dropout(float p) {
      this.dropout = p;
      return (T) this;
    }

    /** Whether the layers have biases (default true). */
    public T bias(boolean bias) {
      this.bias = bias;
      return (T) this;
    }

    /** The initial forget-gate bias of an LSTM (Jozefowicz et al. 2015 suggest 1). */
    public T forgetBias(float value) {
      this.forgetBias = value;
      return (T) this;
    }
  }
}
