package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;

/**
 * One residual block of a temporal convolutional network ({@link Tcn}; Bai, Kolter and Koltun 2018,
 * Fig. 1b, as {@code TemporalBlock} in the authors' {@code TCN/tcn.py}):
 *
 * <pre>
 *   h   = dropout(relu(conv1(x)))          causal convolution, kernel k, dilation d
 *   out = dropout(relu(conv2(h)))          the same, width out to out
 *   y   = relu(out + res),  res = x, or downsample(x) (a 1×1 convolution) when in ≠ out
 * </pre>
 *
 * <p>{@code conv1} and {@code conv2} are weight-normalized (Salimans and Kingma 2016, {@code
 * torch.nn.utils.weight_norm} with {@code dim=0}): their weight is {@code w = g · v / ||v||}, the
 * norm taken over all axes but the first, computed in every forward pass so that gradients reach
 * {@code g} and {@code v}. Each convolution is causal: the reference pads {@code (k−1)·d} zeros on
 * both sides and drops the last {@code (k−1)·d} outputs ({@code Chomp1d}), which is the convolution
 * of the input padded on the left only ({@link CausalConv1d#causal}).
 *
 * <p>Tensors are NCW, as in the reference: {@code x [B, in, T] → y [B, out, T]}.
 *
 * <p>Parameters, with the names and layouts of the reference's state dict (in its order): {@code
 * conv1.bias [out]}, {@code conv1.weight_g [out, 1, 1]}, {@code conv1.weight_v [out, in, k]},
 * {@code conv2.bias [out]}, {@code conv2.weight_g [out, 1, 1]}, {@code conv2.weight_v [out, out,
 * k]}, and when {@code in ≠ out}, {@code downsample.weight [out, in, 1]} and {@code downsample.bias
 * [out]}.
 *
 * <p>{@link #initialize} draws what the reference's code ends up with: {@code v} and the biases of
 * {@code conv1} and {@code conv2} from {@code nn.Conv1d}'s default {@code U(±1/√(in·k))}, {@code g
 * = ||v||} (so that {@code w = v} at first), the downsample weight from {@code N(0, 0.01²)} and its
 * bias from {@code U(±1/√in)}. (The reference's {@code init_weights} also writes {@code N(0,
 * 0.01²)} into {@code conv1.weight} and {@code conv2.weight}, but with weight normalization those
 * are recomputed from {@code g} and {@code v} by the next forward pass, so the draw has no effect.)
 */
public final class TemporalBlock extends NamedParameterBlock {
  /** The standard deviation of the reference's initialization of the downsample weight. */
  static final float DOWNSAMPLE_STD = 0.01f;

  private final int inChannels;
  private final int outChannels;
  private final int kernelSize;
  private final int dilation;
  private final float dropout;

  /**
   * A block.
   *
   * @param inChannels input width
   * @param outChannels output width; a 1×1 downsample convolution maps the input to it when they
   *     differ
   * @param kernelSize taps of both convolutions, {@code k ≥ 1}
   * @param dilation spacing of the taps, {@code d ≥ 1}
   * @param dropout the probability of dropping an activation after each convolution, in training,
   *     in {@code [0, 1)}
   * @throws IllegalArgumentException naming a size that is not positive or a dropout out of range
   */
  public TemporalBlock(
      int inChannels, int outChannels, int kernelSize, int dilation, float dropout) {
    super("block", "initialize");
    this.inChannels = positive("inChannels", inChannels);
    this.outChannels = positive("outChannels", outChannels);
    this.kernelSize = positive("kernelSize", kernelSize);
    this.dilation = positive("dilation", dilation);
    this.dropout = checkDropout(dropout);
    addWeightNormalized("conv1", inChannels);
    addWeightNormalized("conv2", outChannels);
    if (hasDownsample()) {
      // The weight is drawn from N(0, 0.01²) by initialize; the bias as nn.Conv1d(in, out, 1).
      float bound = (float) (1 / Math.sqrt(inChannels));
      add("downsample.weight", Parameter.Type.WEIGHT, new Shape(outChannels, inChannels, 1), 0);
      add("downsample.bias", Parameter.Type.BIAS, new Shape(outChannels), bound);
    }
  }

  /**
   * {@code dropout}, checked.
   *
   * @throws IllegalArgumentException when it is not in {@code [0, 1)}
   */
  static float checkDropout(float dropout) {
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    return dropout;
  }

  /** Declares {@code <name>.bias}, {@code .weight_g} and {@code .weight_v}, in that order. */
  private void addWeightNormalized(String name, int in) {
    // nn.Conv1d's reset_parameters(): U(±1/√fan_in) for weight and bias, fan_in = in · k; g is
    // set to ||v|| by initialize.
    float bound = (float) (1 / Math.sqrt((double) in * kernelSize));
    add(name + ".bias", Parameter.Type.BIAS, new Shape(outChannels), bound);
    add(name + ".weight_g", Parameter.Type.WEIGHT, new Shape(outChannels, 1, 1), 0);
    add(name + ".weight_v", Parameter.Type.WEIGHT, new Shape(outChannels, in, kernelSize), bound);
  }

  /** Draws the parameters as the class comment says. */
  @Override
  public void initialize(NDManager manager, DataType type) {
    super.initialize(manager, type);
    for (String conv : new String[] {"conv1", "conv2"}) {
      try (NDArray norm = norm(initializedArray(conv + ".weight_v"))) {
        initializedArray(conv + ".weight_g").set(norm.toByteBuffer());
      }
    }
    if (hasDownsample()) {
      NDArray weight = initializedArray("downsample.weight");
      try (NDArray drawn = manager.randomNormal(0, DOWNSAMPLE_STD, weight.getShape(), type)) {
        weight.set(drawn.toByteBuffer());
      }
    }
  }

  /** DJL's initialization; input shapes are not needed, every parameter's shape is known. */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    initialize(manager, dataType);
  }

  /**
   * The block.
   *
   * @param x {@code [B, in, T]}, of the weights' data type
   * @param training whether dropout is on
   * @return {@code [B, out, T]}, in the manager of {@code x}; {@code y[:, :, t]} depends on {@code
   *     x[:, :, t − 2·(k−1)·d … t]} only
   * @throws IllegalArgumentException naming {@code x} if its shape or type does not fit
   */
  public NDArray forward(NDArray x, boolean training) {
    check(x);
    NDArray h = convolve("conv1", x, training);
    NDArray out = convolve("conv2", h, training);
    h.close();
    NDArray res =
        hasDownsample()
            ? CausalConv1d.valid(
                x, initializedArray("downsample.weight"), initializedArray("downsample.bias"), 1)
            : x;
    NDArray sum = out.add(res);
    NDArray y = Activation.relu(sum);
    // Free what nothing reads any more (autograd keeps what its backward pass needs).
    out.close();
    sum.close();
    if (res != x) {
      res.close();
    }
    return y;
  }

  /** {@code dropout(relu(conv(x)))} with the weight-normalized convolution {@code conv}. */
  private NDArray convolve(String conv, NDArray x, boolean training) {
    NDArray weight =
        weightNorm(
            initializedArray(conv + ".weight_g"),
            initializedArray(conv + ".weight_v"),
            x.getManager());
    NDArray z = CausalConv1d.causal(x, weight, initializedArray(conv + ".bias"), dilation);
    weight.close();
    NDArray a = Activation.relu(z);
    z.close();
    if (!training || dropout == 0) {
      return a;
    }
    NDArray dropped = a.getNDArrayInternal().dropout(a, dropout, true).singletonOrThrow();
    a.close();
    return dropped;
  }

  /**
   * The weight-normalized weight {@code w = v · (g / ||v||)}, the norm taken per output channel
   * over all other axes, as {@code torch._weight_norm(v, g, dim=0)}; differentiable in {@code g}
   * and {@code v}.
   *
   * @param g {@code [out, 1, 1]}
   * @param v {@code [out, in, k]}
   * @param manager where the result and every intermediate array live (not the weights' manager)
   * @return {@code [out, in, k]}
   */
  public static NDArray weightNorm(NDArray g, NDArray v, NDManager manager) {
    // An operation's result lives in the manager of its first operand: each result made from a
    // weight alone is moved to `manager` at once, so nothing is left in the weights' manager.
    NDArray norm = norm(v);
    NDArray scale = g.div(norm);
    scale.attach(manager);
    NDArray w = scale.mul(v);
    norm.close();
    scale.close();
    return w;
  }

  /** {@code ||v||} over all axes but the first: {@code [out, in, k] → [out, 1, 1]}. */
  private static NDArray norm(NDArray v) {
    try (NDArray squares = v.square();
        NDArray sum = squares.sum(new int[] {1, 2}, true)) {
      return sum.sqrt();
    }
  }

  private void check(NDArray x) {
    DataType type = initializedArray("conv1.weight_v").getDataType();
    Shape s = x.getShape();
    if (s.dimension() != 3 || s.get(1) != inChannels || s.get(2) < 1) {
      throw new IllegalArgumentException(
          "x must be [batch, " + inChannels + ", time] (NCW), got " + s);
    }
    if (x.getDataType() != type) {
      throw new IllegalArgumentException(
          "x has data type " + x.getDataType() + " but the weights have " + type);
    }
  }

  /** DJL entry point: {@code x [B, in, T]} to {@code [B, out, T]}. */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow(), training));
  }

  /** Output shapes for DJL: {@code [B, out, T]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {new Shape(x.get(0), outChannels, x.get(2))};
  }

  /** The past steps each output sees besides the current one: {@code 2·(k−1)·d}. */
  public int leftContext() {
    return 2 * (kernelSize - 1) * dilation;
  }

  /** Whether the residual path has a 1×1 convolution: the input and output widths differ. */
  public boolean hasDownsample() {
    return inChannels != outChannels;
  }

  /** Input width. */
  public int inChannels() {
    return inChannels;
  }

  /** Output width. */
  public int outChannels() {
    return outChannels;
  }

  /** Taps of each convolution, {@code k}. */
  public int kernelSize() {
    return kernelSize;
  }

  /** Spacing of the taps, {@code d}. */
  public int dilation() {
    return dilation;
  }

  /** The dropout probability in training. */
  public float dropout() {
    return dropout;
  }

  @Override
  public String toString() {
    return "TemporalBlock("
        + inChannels
        + " -> "
        + outChannels
        + ", kernel "
        + kernelSize
        + ", dilation "
        + dilation
        + (dropout > 0 ? ", dropout " + dropout : "")
        + ")";
  }
}
