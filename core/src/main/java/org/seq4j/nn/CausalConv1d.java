package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;

/**
 * A causal, dilated one-dimensional convolution: the output at time {@code t} sees the inputs at
 * {@code t − (k−1)·d, …, t − d, t} and nothing later.
 *
 * <pre>
 *   y[b, o, t] = bias[o] + Σ_i Σ_{j=0}^{k−1} weight[o, i, j] · x[b, i, t − (k−1−j)·d]
 * </pre>
 *
 * <p>with {@code x} taken as zero before time 0. Tap {@code k−1} is the current sample. It is
 * {@code torch.nn.Conv1d(in, out, k, dilation=d)} applied to the input padded on the left with
 * {@code (k−1)·d} zeros, with PyTorch's parameter names and layouts: {@code weight [out, in, k]},
 * {@code bias [out]}. The convolution itself is libtorch's kernel.
 *
 * <p>Input and output are NCW, as in PyTorch: {@code [B, in, T] → [B, out, T]}. {@link
 * #forwardValid} skips the padding and returns only the outputs whose whole window lies inside the
 * input, which is what training needs when it scores only positions with a full receptive field.
 *
 * <p>Every array a call creates lives in the manager of the input, never in the weights' manager.
 */
public final class CausalConv1d extends NamedParameterBlock {
  private final int inChannels;
  private final int outChannels;
  private final int kernelSize;
  private final int dilation;

  /**
   * A causal convolution with a bias.
   *
   * @param inChannels input channels
   * @param outChannels output channels
   * @param kernelSize taps, {@code k ≥ 1}
   * @param dilation spacing of the taps, {@code d ≥ 1}
   */
  public CausalConv1d(int inChannels, int outChannels, int kernelSize, int dilation) {
    this(inChannels, outChannels, kernelSize, dilation, true);
  }

  /**
   * A causal convolution.
   *
   * @param inChannels input channels
   * @param outChannels output channels
   * @param kernelSize taps, {@code k ≥ 1}
   * @param dilation spacing of the taps, {@code d ≥ 1}
   * @param bias whether there is a {@code bias [out]}
   * @throws IllegalArgumentException naming a size that is not positive
   */
  public CausalConv1d(int inChannels, int outChannels, int kernelSize, int dilation, boolean bias) {
    super("convolution", "initialize");
    this.inChannels = positive("inChannels", inChannels);
    this.outChannels = positive("outChannels", outChannels);
    this.kernelSize = positive("kernelSize", kernelSize);
    this.dilation = positive("dilation", dilation);
    // PyTorch's reset_parameters(): kaiming_uniform_(a=√5) on the weight, which is
    // U(±gain·√(3 / fan_in)) with gain = √(2 / (1 + 5)), that is U(±1/√fan_in); the bias is
    // U(±1/√fan_in) too, with fan_in = in · k.
    float bound = (float) (1 / Math.sqrt((double) inChannels * kernelSize));
    add("weight", Parameter.Type.WEIGHT, new Shape(outChannels, inChannels, kernelSize), bound);
    if (bias) {
      add("bias", Parameter.Type.BIAS, new Shape(outChannels), bound);
    }
  }

  /**
   * The causal convolution of {@code x}.
   *
   * @param x {@code [B, in, T]}, of the weights' data type
   * @return {@code [B, out, T]}
   * @throws IllegalArgumentException naming {@code x} if its shape or type does not fit
   */
  public NDArray forward(NDArray x) {
    check(x);
    return causal(x, weight(), bias(), dilation);
  }

  /**
   * The causal convolution of {@code x} with the given weights: {@link #valid} on {@code x} padded
   * on the left with {@code (k−1)·d} zeros, so the output has the length of the input. For blocks
   * that compute their weight in the forward pass (weight normalization) and still need the
   * convolution's safe float32 path.
   *
   * @param x {@code [B, in, T]}
   * @param weight {@code [out, in, k]}
   * @param bias {@code [out]}, or null
   * @param dilation {@code d}
   * @return {@code [B, out, T]}, in the manager of {@code x}
   */
  public static NDArray causal(NDArray x, NDArray weight, NDArray bias, int dilation) {
    int k = (int) weight.getShape().get(2);
    NDArray padded = padLeft(x, (k - 1) * dilation);
    NDArray y = valid(padded, weight, bias, dilation);
    if (padded != x) {
      padded.close();
    }
    return y;
  }

  /**
   * {@code x [B, C, T]} with {@code steps} zero columns before time 0: {@code [B, C, steps + T]}.
   * Returns {@code x} itself when {@code steps} is 0.
   */
  public static NDArray padLeft(NDArray x, int steps) {
    if (steps == 0) {
      return x;
    }
    Shape s = x.getShape();
    NDArray zeros = x.getManager().zeros(new Shape(s.get(0), s.get(1), steps), x.getDataType());
    return NDArrays.concat(new NDList(zeros, x), 2);
  }

  /**
   * The outputs whose whole window lies inside {@code x}: {@code forward(x)} at times {@code
   * (k−1)·d, …, T−1}, computed without padding.
   *
   * @param x {@code [B, in, T]} with {@code T > (k−1)·d}
   * @return {@code [B, out, T − (k−1)·d]}
   * @throws IllegalArgumentException naming {@code x} if its shape or type does not fit or it is
   *     not longer than the left context
   */
  public NDArray forwardValid(NDArray x) {
    check(x);
    if (x.getShape().get(2) <= leftContext()) {
      throw new IllegalArgumentException(
          "x has "
              + x.getShape().get(2)
              + " steps; a valid convolution needs more than the left context of "
              + leftContext());
    }
    return convolve(x);
  }

  private NDArray convolve(NDArray x) {
    return valid(
        x,
        parameter("weight").getArray(),
        hasBias() ? parameter("bias").getArray() : null,
        dilation);
  }

  /**
   * The valid (unpadded) dilated convolution {@code y[b, o, t] = bias[o] + Σ_i Σ_j weight[o, i, j]
   * · x[b, i, t + j·d]}, {@code t = 0, …, T − (k−1)·d − 1}: {@code torch.nn.functional.conv1d(x,
   * weight, bias, dilation=d)}.
   *
   * <p>A kernel wider than 1 runs as one 1×1 convolution over the {@code k} taps stacked along the
   * channels ({@code [B, k·in, T']}, tap-major) with the weight laid out to match ({@code [out,
   * k·in, 1]}): the same sums through libtorch's convolution. The direct call is avoided because
   * libtorch 2.7.1's float32 convolution returns a wrong gradient with respect to its input when
   * the kernel is wider than 1 on this project's reference CPU (AVX-512; float64 and the weight
   * gradient are right; PyTorch 2.13 is right), which the parity tests catch.
   *
   * @param x {@code [B, in, T]}, {@code T > (k−1)·d}
   * @param weight {@code [out, in, k]}
   * @param bias {@code [out]}, or null
   * @param dilation {@code d}
   * @return {@code [B, out, T − (k−1)·d]}, in the manager of {@code x}
   */
  public static NDArray valid(NDArray x, NDArray weight, NDArray bias, int dilation) {
    Shape w = weight.getShape();
    long out = w.get(0);
    long in = w.get(1);
    int k = (int) w.get(2);
    if (k == 1) {
      return pointwise(x, weight, bias);
    }
    long steps = x.getShape().get(2) - (long) (k - 1) * dilation;
    NDList taps = new NDList(k);
    for (int j = 0; j < k; j++) {
      taps.add(x.get(new NDIndex(":, :, {}:{}", j * dilation, (int) (j * dilation + steps))));
    }
    NDArray stacked = NDArrays.concat(taps, 1);
    // weight[o, i, j] -> flat[o, j·in + i, 0]; created from the weight, so moved to x's manager.
    NDArray transposed = weight.transpose(0, 2, 1);
    NDArray flat = transposed.reshape(out, k * in, 1);
    flat.attach(x.getManager());
    NDArray y = pointwise(stacked, flat, bias);
    // The stacked copy is as large as the input times k: free it now rather than when the
    // caller's manager closes (autograd keeps what the backward pass needs).
    taps.close();
    stacked.close();
    transposed.close();
    flat.close();
    return y;
  }

  private static final Shape UNIT = new Shape(1);
  private static final Shape NO_PADDING = new Shape(0);

  /** The dilation a 1×1 convolution is declared with; see {@link #pointwise}. */
  private static final Shape POINTWISE_DILATION = new Shape(2);

  /**
   * The 1×1 convolution {@code y[b, o, t] = bias[o] + Σ_i weight[o, i, 0] · x[b, i, t]} through
   * libtorch's oneDNN kernel.
   *
   * <p>libtorch picks a convolution kernel by heuristics. For a 1×1 convolution on one intra-op
   * thread and a batch under 16 it takes its unfold-and-GEMM kernel ({@code slow_conv2d}), which
   * first asks whether NNPACK can run and, on CPUs NNPACK does not know (such as this project's
   * reference machine), prints a warning on every call. The convolution is therefore declared with
   * dilation 2, which means nothing for a kernel of one tap but makes libtorch choose oneDNN (or,
   * for inputs of a few thousand values, its dilated kernel). On the reference machine a WaveNet
   * training step on one thread took 12% (model a) to 38% (model b) less CPU time, and nothing is
   * printed; on two threads libtorch chooses oneDNN anyway.
   */
  private static NDArray pointwise(NDArray x, NDArray weight, NDArray bias) {
    return Conv1d.conv1d(x, weight, bias, UNIT, NO_PADDING, POINTWISE_DILATION, 1)
        .singletonOrThrow();
  }

  private void check(NDArray x) {
    NDArray weight = initializedArray("weight");
    Shape s = x.getShape();
    if (s.dimension() != 3 || s.get(1) != inChannels || s.get(2) < 1) {
      throw new IllegalArgumentException(
          "x must be [batch, " + inChannels + ", time] (NCW), got " + s);
    }
    DataType type = weight.getDataType();
    if (x.getDataType() != type) {
      throw new IllegalArgumentException(
          "x has data type " + x.getDataType() + " but the weights have " + type);
    }
  }

  /** DJL entry point: {@code x [B, in, T]} to {@code [B, out, T]}. */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  /** Output shapes for DJL: {@code [B, out, T]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {new Shape(x.get(0), outChannels, x.get(2))};
  }

  /** The weight {@code [out, in, k]}, the live array. */
  public NDArray weight() {
    return initializedArray("weight");
  }

  /** The bias {@code [out]}, the live array, or null without a bias. */
  public NDArray bias() {
    return hasBias() ? initializedArray("bias") : null;
  }

  /** The past samples each output sees besides the current one: {@code (k−1)·d}. */
  public int leftContext() {
    return (kernelSize - 1) * dilation;
  }

  /** Input channels. */
  public int inChannels() {
    return inChannels;
  }

  /** Output channels. */
  public int outChannels() {
    return outChannels;
  }

  /** Taps, {@code k}. */
  public int kernelSize() {
    return kernelSize;
  }

  /** Spacing of the taps, {@code d}. */
  public int dilation() {
    return dilation;
  }

  /** Whether there is a bias. */
  public boolean hasBias() {
    return parameter("bias") != null;
  }

  @Override
  public String toString() {
    return "CausalConv1d("
        + inChannels
        + " -> "
        + outChannels
        + ", kernel "
        + kernelSize
        + ", dilation "
        + dilation
        + (hasBias() ? "" : ", no bias")
        + ")";
  }
}
