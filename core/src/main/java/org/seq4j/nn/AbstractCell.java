package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;

/**
 * What {@link RnnCell}, {@link LstmCell} and {@link GruCell} share: the parameters {@code weight_ih
 * [G*H, I]}, {@code weight_hh [G*H, H]} and, optionally, {@code bias_ih} and {@code bias_hh [G*H]}
 * (G = the mode's gate count, in PyTorch's layout), their initialization, the state dict and the
 * checks on the inputs. A subclass only writes its equations, in {@link #step}.
 *
 * <p>Every array a step creates lives in the manager of the input {@code x} or of the state: the
 * weights are never an operation's first operand, so nothing accumulates in the weights' manager.
 * Run a step inside {@link org.seq4j.engine.Steps#run} to free its intermediate arrays with it.
 */
abstract class AbstractCell extends NamedParameterBlock {
  private final RnnMode mode;
  private final int inputSize;
  private final int hiddenSize;
  private final boolean bias;

  AbstractCell(RnnMode mode, int inputSize, int hiddenSize, boolean bias) {
    super("cell", "initialize(manager)");
    this.mode = mode;
    this.inputSize = positive("inputSize", inputSize);
    this.hiddenSize = positive("hiddenSize", hiddenSize);
    this.bias = bias;
    int rows = mode.gates() * hiddenSize;
    // PyTorch's reset_parameters(): every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)).
    float bound = (float) (1 / Math.sqrt(hiddenSize));
    add("weight_ih", Parameter.Type.WEIGHT, new Shape(rows, inputSize), bound);
    add("weight_hh", Parameter.Type.WEIGHT, new Shape(rows, hiddenSize), bound);
    if (bias) {
      add("bias_ih", Parameter.Type.BIAS, new Shape(rows), bound);
      add("bias_hh", Parameter.Type.BIAS, new Shape(rows), bound);
    }
  }

  /**
   * One step. Every array it creates, the result included, lives in the manager of {@code x} or of
   * the state, never in the weights' manager; run steps inside {@link org.seq4j.engine.Steps#run}
   * (or close their manager) to free the intermediate arrays.
   *
   * @param x the input {@code [B, inputSize]}
   * @param state {@code h} (and {@code c} for an LSTM), each {@code [B, hiddenSize]}; null for
   *     zeros
   * @return the new state
   * @throws IllegalArgumentException naming {@code x} or the state if its shape does not fit
   */
  public RnnState forward(NDArray x, RnnState state) {
    checkInitialized();
    Shape shape = x.getShape();
    if (shape.dimension() != 2 || shape.get(1) != inputSize) {
      throw new IllegalArgumentException(
          "x must be [batch, " + inputSize + "] (input size " + inputSize + "), got " + shape);
    }
    DataType type = parameter("weight_ih").getArray().getDataType();
    if (x.getDataType() != type) {
      throw new IllegalArgumentException(
          "x has data type " + x.getDataType() + " but the weights have " + type);
    }
    NDArray gi = Linear.linear(x, array("weight_ih"), array("bias_ih")).singletonOrThrow();
    return forwardProjected(gi, state);
  }

  /**
   * The input projection {@code W_ih x + b_ih} of inputs of any leading shape, {@code [..., I]} to
   * {@code [..., G·H]}: for a sequence known in advance, the projections of all its steps in one
   * matrix product, each step then run by {@link #forwardProjected}.
   *
   * @throws IllegalArgumentException naming {@code x} if its last axis is not the input size
   */
  public NDArray projectInput(NDArray x) {
    checkInitialized();
    Shape shape = x.getShape();
    if (shape.dimension() < 1 || shape.get(shape.dimension() - 1) != inputSize) {
      throw new IllegalArgumentException(
          "x must be [..., " + inputSize + "] (input size " + inputSize + "), got " + shape);
    }
    return Linear.linear(x, array("weight_ih"), array("bias_ih")).singletonOrThrow();
  }

  /**
   * One step from its input projection: {@link #forward} with {@code W_ih x + b_ih} given (see
   * {@link #projectInput}).
   *
   * @param projected {@code W_ih x + b_ih}, {@code [B, G·H]}
   * @param state {@code h} (and {@code c} for an LSTM), each {@code [B, hiddenSize]}; null for
   *     zeros
   * @return the new state
   * @throws IllegalArgumentException naming {@code projected} or the state if its shape does not
   *     fit
   */
  public RnnState forwardProjected(NDArray projected, RnnState state) {
    checkInitialized();
    Shape shape = projected.getShape();
    long gates = (long) mode.gates() * hiddenSize;
    if (shape.dimension() != 2 || shape.get(1) != gates) {
      throw new IllegalArgumentException(
          "projected must be [batch, " + gates + "] (gates x hidden size), got " + shape);
    }
    DataType type = parameter("weight_ih").getArray().getDataType();
    if (projected.getDataType() != type) {
      throw new IllegalArgumentException(
          "projected has data type " + projected.getDataType() + " but the weights have " + type);
    }
    Shape expected = new Shape(shape.get(0), hiddenSize);
    if (state == null) {
      NDManager m = projected.getManager();
      state =
          new RnnState(m.zeros(expected, type), mode.hasCell() ? m.zeros(expected, type) : null);
    }
    checkStates(state, expected);
    NDArray gh = Linear.linear(state.h(), array("weight_hh"), array("bias_hh")).singletonOrThrow();
    return step(projected, gh, state);
  }

  private void checkStates(RnnState state, Shape expected) {
    checkState("h", state.h(), expected);
    if (mode.hasCell()) {
      checkState("c", state.c(), expected);
    } else if (state.c() != null) {
      throw new IllegalArgumentException("state c is only for an LSTM");
    }
  }

  /**
   * The cell's equations.
   *
   * @param gi {@code W_ih x + b_ih}, {@code [B, G*H]}, the gate blocks in PyTorch's order
   * @param gh {@code W_hh h + b_hh}, likewise
   * @param state the current state, checked
   * @return the new state
   */
  abstract RnnState step(NDArray gi, NDArray gh, RnnState state);

  /** DJL entry point. Inputs: {@code x}, then optionally {@code h} and {@code c}. */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    RnnState state = null;
    if (inputs.size() > 1) {
      state = new RnnState(inputs.get(1), inputs.size() > 2 ? inputs.get(2) : null);
    }
    RnnState out = forward(inputs.get(0), state);
    return out.c() == null ? new NDList(out.h()) : new NDList(out.h(), out.c());
  }

  /** Output shapes for DJL: {@code h'} (and {@code c'}), each {@code [B, hiddenSize]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape h = new Shape(inputShapes[0].get(0), hiddenSize);
    return mode.hasCell() ? new Shape[] {h, h} : new Shape[] {h};
  }

  /** The recurrence this cell computes. */
  public RnnMode mode() {
    return mode;
  }

  /** The size of each input. */
  public int inputSize() {
    return inputSize;
  }

  /** The size of the hidden state. */
  public int hiddenSize() {
    return hiddenSize;
  }

  /** Whether the cell has the biases {@code bias_ih} and {@code bias_hh}. */
  public boolean hasBias() {
    return bias;
  }

  /** The parameter's array, or null for an absent bias. */
  private NDArray array(String name) {
    Parameter p = parameter(name);
    return p == null ? null : p.getArray();
  }

  private static void checkState(String name, NDArray value, Shape expected) {
    if (value == null || !value.getShape().equals(expected)) {
      throw new IllegalArgumentException(
          "state "
              + name
              + " must be "
              + expected
              + " ([batch, hidden]), got "
              + (value == null ? "null" : value.getShape()));
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "(input "
        + inputSize
        + ", hidden "
        + hiddenSize
        + (bias ? "" : ", no bias")
        + ")";
  }
}
