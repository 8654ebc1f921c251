package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A temporal convolutional network (Bai, Kolter and Koltun 2018, "An Empirical Evaluation of
 * Generic Convolutional and Recurrent Networks for Sequence Modeling"; {@code TemporalConvNet} in
 * the authors' {@code TCN/tcn.py}): a stack of residual {@link TemporalBlock}s, block {@code i}
 * with dilation {@code 2^i}, each of two weight-normalized causal convolutions with ReLU and
 * dropout.
 *
 * <p>The layout is NCW, as in the reference: {@code x [B, inputSize, T] → [B, channels[L−1], T]}
 * (transpose a {@code [B, T, C]} batch first). The network is causal: the output at time {@code t}
 * depends on the inputs at {@code t − receptiveField() + 1, …, t} only, with {@code
 * receptiveField() = 1 + 2·(k−1)·(2^L − 1)} for {@code L} blocks of kernel {@code k}.
 *
 * <p>Parameters, with the names and layouts of the reference's state dict: {@code
 * network.<i>.conv1.bias}, {@code network.<i>.conv1.weight_g [out, 1, 1]}, {@code
 * network.<i>.conv1.weight_v [out, in, k]}, likewise {@code conv2}, and {@code
 * network.<i>.downsample.weight [out, in, 1]} and {@code .bias} for a block whose input and output
 * widths differ (see {@link TemporalBlock}). A state dict saved from PyTorch with {@code
 * safetensors.torch.save_model(tcn, path)} (or {@code save_file} of the state dict without the
 * aliases below) loads with {@link #loadStateDict}; in Python, {@code
 * tcn.load_state_dict(load_file(path), strict=False)} loads {@link #stateDict()} back, the only
 * missing keys being the aliases.
 *
 * <p>The reference's state dict also lists each block's convolutions a second time, under {@code
 * network.<i>.net.0.} and {@code network.<i>.net.4.} (the same tensors, registered again by its
 * {@code nn.Sequential}); {@link #loadStateDict} accepts and skips those names, and {@link
 * #stateDict()} does not list them.
 *
 * <pre>{@code
 * Tcn tcn = Tcn.builder().inputSize(1).channels(25, 25, 25, 25).kernelSize(7).build();
 * tcn.initialize(manager);
 * NDArray y = tcn.forward(x, true);          // x [B, 1, T] → y [B, 25, T]
 * int field = tcn.receptiveField();          // 1 + 2·6·15 = 181
 * }</pre>
 */
public final class Tcn extends ForwardBlock {
  /** The names under which the reference's state dict repeats a block's convolutions. */
  private static final Pattern ALIAS = Pattern.compile("network\\.\\d+\\.net\\.[04]\\..*");

  private final int inputSize;
  private final List<TemporalBlock> blocks;

  private Tcn(Builder b) {
    this.inputSize = NamedParameterBlock.positive("inputSize", b.inputSize);
    if (b.channels == null || b.channels.length == 0) {
      throw new IllegalArgumentException("channels must name at least one block's width");
    }
    NamedParameterBlock.positive("kernelSize", b.kernelSize);
    TemporalBlock.checkDropout(b.dropout);
    int levels = b.channels.length;
    // The receptive field 1 + 2·(k−1)·(2^L − 1) must fit an int.
    if (levels > 29 || (long) 2 * (b.kernelSize - 1) * ((1L << levels) - 1) >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          levels + " blocks of kernel " + b.kernelSize + ": the receptive field is too large");
    }
    List<TemporalBlock> list = new ArrayList<>(levels);
    int in = inputSize;
    for (int i = 0; i < levels; i++) {
      int out = NamedParameterBlock.positive("channels[" + i + "]", b.channels[i]);
      list.add(
          addChildBlock(
              "network." + i, new TemporalBlock(in, out, b.kernelSize, 1 << i, b.dropout)));
      in = out;
    }
    this.blocks = Collections.unmodifiableList(list);
  }

  /** A builder; {@code inputSize} and {@code channels} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Initializes every block in float32, in order (see {@link TemporalBlock}). */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32);
  }

  /** Like {@link #initialize(NDManager)}, in {@code type} (FLOAT32, or FLOAT64 for checks). */
  public void initialize(NDManager manager, DataType type) {
    for (TemporalBlock block : blocks) {
      block.initialize(manager, type);
    }
  }

  /** DJL's initialization; input shapes are not needed, every parameter's shape is known. */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    initialize(manager, dataType);
  }

  /**
   * The network.
   *
   * @param x {@code [B, inputSize, T]} (NCW), of the weights' data type
   * @param training whether dropout is on
   * @return {@code [B, channels[L−1], T]}, in the manager of {@code x}
   * @throws IllegalArgumentException naming {@code x} if its shape or type does not fit
   */
  public NDArray forward(NDArray x, boolean training) {
    NDArray h = x;
    for (TemporalBlock block : blocks) {
      NDArray next = block.forward(h, training);
      if (h != x) {
        h.close(); // autograd keeps what its backward pass needs
      }
      h = next;
    }
    return h;
  }

  /** DJL entry point: {@code x [B, inputSize, T]} to {@code [B, channels[L−1], T]}. */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow(), training));
  }

  /** Output shapes for DJL: {@code [B, channels[L−1], T]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {new Shape(x.get(0), outputSize(), x.get(2))};
  }

  /**
   * The parameters by the reference's names ({@code network.<i>.conv1.weight_g}, ...), block by
   * block in the reference's order; the live arrays.
   *
   * @throws IllegalStateException when the network is not initialized
   */
  public Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (int i = 0; i < blocks.size(); i++) {
      StateDicts.putAll(out, "network." + i + ".", blocks.get(i).stateDict());
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Copies {@code weights} (the state dict of the reference's {@code TemporalConvNet}, with or
   * without its {@code network.<i>.net.0.} and {@code .net.4.} aliases, which are skipped) into the
   * parameters, converting to their data type. Everything is checked before anything is copied.
   *
   * @throws IllegalArgumentException naming a missing, unexpected or misshapen tensor
   */
  public void loadStateDict(Map<String, NDArray> weights) {
    Map<String, NDArray> own = new LinkedHashMap<>();
    weights.forEach(
        (name, array) -> {
          if (!ALIAS.matcher(name).matches()) {
            own.put(name, array);
          }
        });
    StateDicts.copy(own, stateDict(), "network");
  }

  /**
   * The inputs each output sees, the current one included: {@code 1 + 2·(k−1)·(2^L − 1)}; the
   * output at {@code t} depends on the inputs at {@code t − receptiveField() + 1, …, t}.
   */
  public int receptiveField() {
    int field = 1;
    for (TemporalBlock block : blocks) {
      field += block.leftContext();
    }
    return field;
  }

  /** The blocks, {@code network.0} first. */
  public List<TemporalBlock> blocks() {
    return blocks;
  }

  /** Input width. */
  public int inputSize() {
    return inputSize;
  }

  /** Output width, the last block's. */
  public int outputSize() {
    return blocks.get(blocks.size() - 1).outChannels();
  }

  @Override
  public String toString() {
    int[] widths = blocks.stream().mapToInt(TemporalBlock::outChannels).toArray();
    TemporalBlock first = blocks.get(0);
    return "Tcn("
        + inputSize
        + " -> "
        + Arrays.toString(widths)
        + ", kernel "
        + first.kernelSize()
        + (first.dropout() > 0 ? ", dropout " + first.dropout() : "")
        + ", receptive field "
        + receptiveField()
        + ")";
  }

  /** Settings of a {@link Tcn}; the defaults are the reference's: kernel 2, dropout 0.2. */
  public static final class Builder {
    private int inputSize;
    private int[] channels;
    private int kernelSize = 2;
    private float dropout = 0.2f;

    private Builder() {}

    /** The input width (the reference's {@code num_inputs}). */
    public Builder inputSize(int inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    /** The output width of each block, one block per entry ({@code num_channels}). */
    public Builder channels(int... channels) {
      this.channels = channels.clone();
      return this;
    }

    /** The taps of every convolution, {@code k ≥ 1} (default 2). */
    public Builder kernelSize(int kernelSize) {
      this.kernelSize = kernelSize;
      return this;
    }

    /** Dropout after each convolution's ReLU, in training, in {@code [0, 1)} (default 0.2). */
    public Builder dropout(float dropout) {
      this.dropout = dropout;
      return this;
    }

    /**
     * The network.
     *
     * @throws IllegalArgumentException naming a setting out of range
     */
    public Tcn build() {
      return new Tcn(this);
    }
  }
}
