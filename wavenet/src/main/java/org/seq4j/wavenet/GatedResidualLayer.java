package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seq4j.nn.CausalConv1d;
import org.seq4j.nn.ForwardBlock;
import org.seq4j.nn.StateDicts;

/**
 * One gated residual layer of WaveNet (van den Oord et al. 2016, Sections 2.3 to 2.5 and Fig. 4:
 * gated activation units, residual and skip connections, global and local conditioning):
 *
 * <pre>
 *   f  = tanh(W_f *_d h + V_f g + U_f c)        filter: causal conv of dilation d, kernel k
 *   s  = σ(W_g *_d h + V_g g + U_g c)           gate
 *   z  = f ⊙ s
 *   h' = h + residual(z)                        1×1 convolution
 *   y  = skip(z)                                1×1 convolution, summed over layers by WaveNet
 * </pre>
 *
 * <p>where {@code g [B, E]} is the global conditioning (an embedding of a speaker id, the same at
 * every time step: {@code V g} is broadcast over time) and {@code c [B, L, T]} the local
 * conditioning, already at the sample rate. Both are optional and present exactly when the layer
 * was built with {@code globalEmbedding > 0} and {@code localChannels > 0}.
 *
 * <p>Parameters, with PyTorch's names and layouts ({@link WaveNetConfig} lists them as {@code
 * layers.<i>.<name>}): {@code filter.weight [D, R, k]}, {@code filter.bias [D]}, likewise {@code
 * gate}; {@code residual.weight [R, D, 1]}, {@code residual.bias [R]}; {@code skip.weight [S, D,
 * 1]}, {@code skip.bias [S]}; {@code filter_global.weight} and {@code gate_global.weight [D, E]}
 * ({@code torch.nn.Linear} without bias); {@code filter_local.weight} and {@code gate_local.weight
 * [D, L, 1]} (1×1 convolutions without bias). They are initialized in that order with PyTorch's
 * defaults.
 *
 * <p>Tensors are NCW: {@code h [B, R, T]}. {@link #forward} keeps the length (causal padding);
 * {@link #forwardValid} drops the first {@code (k−1)·d} steps instead of padding, for training on
 * positions whose receptive field is full.
 */
public final class GatedResidualLayer extends ForwardBlock {
  private final int residualChannels;
  private final int dilationChannels;
  private final int globalEmbedding;
  private final int localChannels;

  private final CausalConv1d filter;
  private final CausalConv1d gate;
  private final CausalConv1d residual;
  private final CausalConv1d skip;
  private final Parameter filterGlobal;
  private final Parameter gateGlobal;
  private final CausalConv1d filterLocal;
  private final CausalConv1d gateLocal;

  /** What a layer returns: the next residual stream and this layer's skip output. */
  public record Output(NDArray residual, NDArray skip) {}

  /**
   * A layer.
   *
   * @param residualChannels R, the width of the residual stream
   * @param dilationChannels D, the width of the gates
   * @param skipChannels S, the width of the skip output
   * @param kernelSize k, the taps of the dilated convolutions
   * @param dilation d
   * @param globalEmbedding E, the width of the global conditioning vector; 0 for none
   * @param localChannels L, the channels of the local conditioning features; 0 for none
   * @throws IllegalArgumentException naming a size out of range
   */
  public GatedResidualLayer(
      int residualChannels,
      int dilationChannels,
      int skipChannels,
      int kernelSize,
      int dilation,
      int globalEmbedding,
      int localChannels) {
    if (globalEmbedding < 0) {
      throw new IllegalArgumentException("globalEmbedding must be >= 0, got " + globalEmbedding);
    }
    if (localChannels < 0) {
      throw new IllegalArgumentException("localChannels must be >= 0, got " + localChannels);
    }
    this.residualChannels = residualChannels;
    this.dilationChannels = dilationChannels;
    this.globalEmbedding = globalEmbedding;
    this.localChannels = localChannels;
    filter =
        addChildBlock(
            "filter", new CausalConv1d(residualChannels, dilationChannels, kernelSize, dilation));
    gate =
        addChildBlock(
            "gate", new CausalConv1d(residualChannels, dilationChannels, kernelSize, dilation));
    residual =
        addChildBlock("residual", new CausalConv1d(dilationChannels, residualChannels, 1, 1));
    skip = addChildBlock("skip", new CausalConv1d(dilationChannels, skipChannels, 1, 1));
    if (globalEmbedding > 0) {
      // torch.nn.Linear(E, D, bias=False): weight ~ U(±1/√E).
      float bound = (float) (1 / Math.sqrt(globalEmbedding));
      filterGlobal = linearWeight("filter_global.weight", bound);
      gateGlobal = linearWeight("gate_global.weight", bound);
    } else {
      filterGlobal = null;
      gateGlobal = null;
    }
    if (localChannels > 0) {
      filterLocal =
          addChildBlock(
              "filter_local", new CausalConv1d(localChannels, dilationChannels, 1, 1, false));
      gateLocal =
          addChildBlock(
              "gate_local", new CausalConv1d(localChannels, dilationChannels, 1, 1, false));
    } else {
      filterLocal = null;
      gateLocal = null;
    }
  }

  private Parameter linearWeight(String name, float bound) {
    return addParameter(
        StateDicts.uniform(
            name, Parameter.Type.WEIGHT, new Shape(dilationChannels, globalEmbedding), bound));
  }

  /** Initializes the parameters in float32 with PyTorch's defaults, in the documented order. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32);
  }

  /** Like {@link #initialize(NDManager)}, in {@code type} (FLOAT32, or FLOAT64 for checks). */
  public void initialize(NDManager manager, DataType type) {
    filter.initialize(manager, type);
    gate.initialize(manager, type);
    residual.initialize(manager, type);
    skip.initialize(manager, type);
    StateDicts.initialize(manager, type, Arrays.asList(filterGlobal, gateGlobal));
    if (filterLocal != null) {
      filterLocal.initialize(manager, type);
      gateLocal.initialize(manager, type);
    }
  }

  /** DJL's initialization; input shapes are not needed, every parameter's shape is known. */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    initialize(manager, dataType);
  }

  /**
   * The layer with causal padding: output length = input length.
   *
   * @param h the residual stream {@code [B, R, T]}
   * @param global the global conditioning vector {@code [B, E]}, or null without global
   *     conditioning
   * @param local the local conditioning features at the sample rate {@code [B, L, T]}, or null
   *     without local conditioning
   * @return {@code h' [B, R, T]} and the skip output {@code [B, S, T]}
   * @throws IllegalArgumentException naming an argument whose shape or type does not fit, or a
   *     conditioning that is missing or unexpected
   */
  public Output forward(NDArray h, NDArray global, NDArray local) {
    return forward(h, global, local, true, true);
  }

  /**
   * The layer without padding: only the outputs whose window lies inside {@code h}, times {@code
   * (k−1)·d, …, T−1}. {@code local} is aligned with {@code h}; its last {@code T − (k−1)·d} steps
   * are used.
   *
   * @return {@code h'} and the skip output, {@code T − (k−1)·d} steps long
   * @throws IllegalArgumentException as {@link #forward}, or if {@code h} is not longer than {@code
   *     (k−1)·d}
   */
  public Output forwardValid(NDArray h, NDArray global, NDArray local) {
    return forward(h, global, local, false, true);
  }

  /**
   * The layer, padded or not; without {@code withResidual} the residual output is not computed
   * (null), as for the last layer of a WaveNet, whose residual stream nothing reads.
   */
  Output forward(NDArray h, NDArray global, NDArray local, boolean padded, boolean withResidual) {
    return forward(h, global, local, padded, withResidual, 0);
  }

  /**
   * Like {@link #forward(NDArray, NDArray, NDArray, boolean, boolean)}, with the skip output
   * computed for the last {@code skipSteps} time steps only (all of them when {@code skipSteps} is
   * 0): a WaveNet trained on positions with a full receptive field reads no earlier skip outputs.
   */
  Output forward(
      NDArray h,
      NDArray global,
      NDArray local,
      boolean padded,
      boolean withResidual,
      long skipSteps) {
    check(h, global, local);
    if (!padded && h.getShape().get(2) <= filter.leftContext()) {
      throw new IllegalArgumentException(
          "h has "
              + h.getShape().get(2)
              + " steps; the unpadded layer needs more than its left context of "
              + filter.leftContext());
    }
    NDManager m = h.getManager();
    NDArray in = padded ? CausalConv1d.padLeft(h, filter.leftContext()) : h;
    // Filter and gate run as one convolution with 2D output channels (their weights stacked):
    // the same sums, one kernel call instead of two; likewise their conditioning terms.
    NDArray weights = stacked(m, filter.weight(), gate.weight());
    NDArray biases = stacked(m, filter.bias(), gate.bias());
    NDArray both = CausalConv1d.valid(in, weights, biases, filter.dilation());
    Closing.close(weights, biases);
    if (global != null) {
      NDArray weight = stacked(m, filterGlobal.getArray(), gateGlobal.getArray());
      both = both.add(Linear.linear(global, weight).singletonOrThrow().expandDims(2));
    }
    long steps = both.getShape().get(2);
    if (skipSteps < 0 || skipSteps > steps) {
      throw new IllegalArgumentException(
          "skipSteps must be in [0, " + steps + "], got " + skipSteps);
    }
    if (local != null) {
      NDArray weight = stacked(m, filterLocal.weight(), gateLocal.weight());
      both = both.add(CausalConv1d.valid(lastSteps(local, steps), weight, null, 1));
    }
    NDList fs = both.split(2, 1);
    NDArray f = fs.get(0).tanh();
    NDArray g = Activation.sigmoid(fs.get(1));
    NDArray z = f.mul(g);
    // Free what nothing reads any more (autograd keeps what its backward needs): a deep stack
    // would otherwise hold every intermediate array until the step's manager closes.
    Closing.close(in == h ? null : in, both, fs.get(0), fs.get(1), f, g);
    NDArray skipIn = skipSteps == 0 ? z : lastSteps(z, skipSteps);
    NDArray skipOut = skip.forward(skipIn);
    if (skipIn != z) {
      skipIn.close();
    }
    NDArray residualOut = null;
    if (withResidual) {
      NDArray kept = lastSteps(h, steps);
      NDArray update = residual.forward(z);
      residualOut = kept.add(update);
      Closing.close(kept == h ? null : kept, update);
    }
    z.close();
    return new Output(residualOut, skipOut);
  }

  /** {@code [a; b]} along the first axis, in {@code manager} (not in the weights' manager). */
  private static NDArray stacked(NDManager manager, NDArray a, NDArray b) {
    NDArray both = NDArrays.concat(new NDList(a, b), 0);
    both.attach(manager);
    return both;
  }

  /** The last {@code steps} time steps of {@code x [B, C, T]} ({@code x} itself if all). */
  static NDArray lastSteps(NDArray x, long steps) {
    long time = x.getShape().get(2);
    return steps == time ? x : x.get(new NDIndex(":, :, {}:", (int) (time - steps)));
  }

  private void check(NDArray h, NDArray global, NDArray local) {
    Shape s = h.getShape();
    if (s.dimension() != 3 || s.get(1) != residualChannels) {
      throw new IllegalArgumentException(
          "h must be [batch, " + residualChannels + ", time], got " + s);
    }
    DataType type = filter.stateDict().get("weight").getDataType();
    if (h.getDataType() != type) {
      throw new IllegalArgumentException(
          "h has data type " + h.getDataType() + " but the weights have " + type);
    }
    long batch = s.get(0);
    if (globalEmbedding == 0 && global != null) {
      throw new IllegalArgumentException("global: this layer has no global conditioning");
    }
    if (globalEmbedding > 0) {
      if (global == null) {
        throw new IllegalArgumentException("global: this layer needs a global conditioning vector");
      }
      Shape expected = new Shape(batch, globalEmbedding);
      if (!global.getShape().equals(expected) || global.getDataType() != type) {
        throw new IllegalArgumentException(
            "global must be "
                + expected
                + " of "
                + type
                + ", got "
                + global.getShape()
                + " of "
                + global.getDataType());
      }
    }
    if (localChannels == 0 && local != null) {
      throw new IllegalArgumentException("local: this layer has no local conditioning");
    }
    if (localChannels > 0) {
      if (local == null) {
        throw new IllegalArgumentException("local: this layer needs local conditioning features");
      }
      Shape expected = new Shape(batch, localChannels, s.get(2));
      if (!local.getShape().equals(expected) || local.getDataType() != type) {
        throw new IllegalArgumentException(
            "local must be "
                + expected
                + " of "
                + type
                + " (aligned with h), got "
                + local.getShape()
                + " of "
                + local.getDataType());
      }
    }
  }

  /**
   * DJL entry point. Inputs: {@code h}, then the global vector if the layer has global
   * conditioning, then the local features if it has local conditioning. Outputs: {@code h'} and the
   * skip output.
   */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    int next = 1;
    NDArray global = globalEmbedding > 0 ? inputs.get(next++) : null;
    NDArray local = localChannels > 0 ? inputs.get(next) : null;
    Output out = forward(inputs.get(0), global, local);
    return new NDList(out.residual(), out.skip());
  }

  /** Output shapes for DJL: {@code [B, R, T]} and {@code [B, S, T]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape h = inputShapes[0];
    return new Shape[] {h, new Shape(h.get(0), skip.outChannels(), h.get(2))};
  }

  /** The parameters by PyTorch name, in the documented order; the live arrays. */
  public Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    put(out, "filter.", filter);
    put(out, "gate.", gate);
    put(out, "residual.", residual);
    put(out, "skip.", skip);
    if (filterGlobal != null) {
      out.put("filter_global.weight", array(filterGlobal));
      out.put("gate_global.weight", array(gateGlobal));
    }
    if (filterLocal != null) {
      put(out, "filter_local.", filterLocal);
      put(out, "gate_local.", gateLocal);
    }
    return Collections.unmodifiableMap(out);
  }

  private static void put(Map<String, NDArray> out, String prefix, CausalConv1d conv) {
    StateDicts.putAll(out, prefix, conv.stateDict());
  }

  private static NDArray array(Parameter p) {
    return StateDicts.array(p, "the layer is not initialized: call initialize");
  }

  /**
   * Copies {@code weights} (PyTorch names, without the {@code layers.<i>.} prefix) into the
   * parameters, converting to their data type.
   *
   * @throws IllegalArgumentException naming a missing, unexpected or misshapen tensor
   */
  public void loadStateDict(Map<String, NDArray> weights) {
    StateDicts.copy(weights, stateDict(), "layer");
  }

  /** The past samples each output sees besides the current one: {@code (k−1)·d}. */
  public int leftContext() {
    return filter.leftContext();
  }

  /** The dilation {@code d}. */
  public int dilation() {
    return filter.dilation();
  }

  @Override
  public String toString() {
    return "GatedResidualLayer(residual "
        + residualChannels
        + ", dilation channels "
        + dilationChannels
        + ", skip "
        + skip.outChannels()
        + ", kernel "
        + filter.kernelSize()
        + ", dilation "
        + filter.dilation()
        + (globalEmbedding > 0 ? ", global " + globalEmbedding : "")
        + (localChannels > 0 ? ", local " + localChannels : "")
        + ")";
  }
}
