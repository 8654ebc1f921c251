package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.Arrays;

/**
 * Attention of decoder queries over encoder outputs (keys, which are also the values), with masked
 * source padding, batched over all target steps at once.
 *
 * <p>Two scores of query {@code q} against key {@code k_s}:
 *
 * <ul>
 *   <li>{@link Kind#NORMALIZED_BAHDANAU}, the normalized additive attention of GNMT (Wu et al.
 *       2016, as {@code tf.contrib.seq2seq.BahdanauAttention(normalize=True)} and NVIDIA's GNMT
 *       v2): {@code e_s = g · (v / ||v||) · tanh(W_q q + W_k k_s + b)};
 *   <li>{@link Kind#LUONG}, Luong et al. 2015's "general" score: {@code e_s = qᵀ W k_s}.
 * </ul>
 *
 * then {@code a = softmax(e)} over the real source positions (padding gets {@code −∞} before the
 * softmax, so its weight is exactly 0) and the context {@code c = Σ_s a_s k_s}. A row whose source
 * is empty (length 0) gets all-zero weights and a zero context.
 *
 * <p>The key side ({@code W_k k + b}, or {@code W k} for Luong) is computed once per batch by
 * {@link #memory}; {@link #forward} then takes the queries of every target step {@code [B, T, Q]},
 * and {@link #step} those of one decoding step {@code [B, Q]}.
 *
 * <p>Parameters, with PyTorch's names and layouts (those of NVIDIA's GNMT {@code
 * BahdanauAttention}):
 *
 * <ul>
 *   <li>normalized Bahdanau, U units: {@code linear_q.weight [U, Q]}, {@code linear_k.weight [U,
 *       K]} (no biases), {@code linear_att [U]} (v), {@code normalize_scalar [1]} (g) and {@code
 *       normalize_bias [U]} (b);
 *   <li>Luong: {@code linear_k.weight [Q, K]} (W).
 * </ul>
 *
 * <p>{@link #initialize} draws the linear weights from PyTorch's {@code nn.Linear} default {@code
 * U(±1/√fan_in)} and {@code v} from {@code U(±0.1)}, and sets {@code g = 1/√U} and {@code b = 0}
 * (NVIDIA's {@code reset_parameters}).
 *
 * <pre>{@code
 * Attention attention = Attention.normalizedBahdanau(512, 512, 512);
 * attention.initialize(manager);
 * Attention.Memory memory = attention.memory(encoderOutputs, sourceLengths);  // once per batch
 * Attention.Output out = attention.forward(queries, memory);  // [B, T, K] and [B, T, S]
 * }</pre>
 */
public final class Attention extends NamedParameterBlock {
  /** The score function. */
  public enum Kind {
    /** {@code g · (v / ||v||) · tanh(W_q q + W_k k + b)}. */
    NORMALIZED_BAHDANAU,
    /** {@code qᵀ W k}. */
    LUONG
  }

  /** The largest {@code [B, t, S, U]} block of the additive score formed at once, in bytes. */
  static final long SCORE_CHUNK_BYTES = 1L << 20;

  /** The bound of {@code U(−bound, bound)} for {@code linear_att} (NVIDIA's init_weight). */
  private static final float ATT_INIT = 0.1f;

  private final Kind kind;
  private final int querySize;
  private final int keySize;
  private final int units;

  private Attention(Kind kind, int querySize, int keySize, int units) {
    super("attention", "initialize(manager)");
    this.kind = kind;
    this.querySize = positive("querySize", querySize);
    this.keySize = positive("keySize", keySize);
    this.units = positive("units", units);
    if (kind == Kind.NORMALIZED_BAHDANAU) {
      add("linear_q.weight", Parameter.Type.WEIGHT, new Shape(units, querySize), bound(querySize));
      add("linear_k.weight", Parameter.Type.WEIGHT, new Shape(units, keySize), bound(keySize));
      add("linear_att", Parameter.Type.WEIGHT, new Shape(units), ATT_INIT);
      add("normalize_scalar", Parameter.Type.WEIGHT, new Shape(1), 0f);
      add("normalize_bias", Parameter.Type.BIAS, new Shape(units), 0f);
    } else {
      add("linear_k.weight", Parameter.Type.WEIGHT, new Shape(querySize, keySize), bound(keySize));
    }
  }

  /**
   * GNMT's normalized Bahdanau attention.
   *
   * @param querySize Q, the size of a query
   * @param keySize K, the size of a key (an encoder output)
   * @param units U, the size of the hidden layer of the score
   */
  public static Attention normalizedBahdanau(int querySize, int keySize, int units) {
    return new Attention(Kind.NORMALIZED_BAHDANAU, querySize, keySize, units);
  }

  /** Luong's "general" attention {@code qᵀ W k}, W {@code [Q, K]}. */
  public static Attention luong(int querySize, int keySize) {
    return new Attention(Kind.LUONG, querySize, keySize, querySize);
  }

  /** The attention of {@code kind}; {@code units} is used by {@link Kind#NORMALIZED_BAHDANAU}. */
  public static Attention of(Kind kind, int querySize, int keySize, int units) {
    return kind == Kind.LUONG
        ? luong(querySize, keySize)
        : normalizedBahdanau(querySize, keySize, units);
  }

  private static float bound(int fanIn) {
    return (float) (1 / Math.sqrt(fanIn));
  }

  /** Draws the parameters (see the class comment), then sets {@code g = 1/√U} and {@code b = 0}. */
  @Override
  public void initialize(NDManager manager, DataType type) {
    super.initialize(manager, type);
    if (kind == Kind.NORMALIZED_BAHDANAU) {
      initializedArray("normalize_scalar").set(new NDIndex("0"), 1 / Math.sqrt(units));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Memory: the key side, once per batch.

  /**
   * The keys of a batch with their projection {@code W_k k (+ b)} and the padding mask, computed
   * once and shared by every query of the batch.
   */
  public static final class Memory {
    private final NDArray keys;
    private final NDArray projected;
    private final NDArray maskBias;
    private final NDArray valid;
    private final int[] lengths;

    private Memory(
        NDArray keys, NDArray projected, NDArray maskBias, NDArray valid, int[] lengths) {
      this.keys = keys;
      this.projected = projected;
      this.maskBias = maskBias;
      this.valid = valid;
      this.lengths = lengths;
    }

    /** The memory of {@code keys} and their projection, with the masks of {@code lengths}. */
    private static Memory of(NDArray keys, NDArray projected, int[] lengths) {
      NDManager m = keys.getManager();
      int batch = lengths.length;
      int steps = (int) keys.getShape().get(1);
      // 0 on real positions, −∞ on padding; a row with no real position is left unmasked here
      // and zeroed after the softmax by `valid`.
      float[] bias = new float[batch * steps];
      float[] real = new float[batch * steps];
      boolean anyEmpty = false;
      for (int b = 0; b < batch; b++) {
        anyEmpty |= lengths[b] == 0;
        for (int s = 0; s < steps; s++) {
          boolean isReal = s < lengths[b];
          bias[b * steps + s] = isReal || lengths[b] == 0 ? 0f : Float.NEGATIVE_INFINITY;
          real[b * steps + s] = isReal ? 1f : 0f;
        }
      }
      DataType type = keys.getDataType();
      Shape shape = new Shape(batch, 1, steps);
      NDArray maskBias = inType(m.create(bias, shape), type);
      NDArray valid = anyEmpty ? inType(m.create(real, shape), type) : null;
      return new Memory(keys, projected, maskBias, valid, lengths);
    }

    private static NDArray inType(NDArray a, DataType type) {
      if (a.getDataType() == type) {
        return a;
      }
      NDArray converted = a.toType(type, false);
      a.close();
      return converted;
    }

    /** The keys (and values) {@code [B, S, K]}. */
    public NDArray keys() {
      return keys;
    }

    /**
     * {@code 2 (W_k k + b)} ({@code [B, S, U]}; doubled for the sigmoid form of the score, see
     * {@link Attention#forward}) or Luong's {@code W k} ({@code [B, S, Q]}).
     */
    public NDArray projected() {
      return projected;
    }

    /** The number of rows B. */
    public int rows() {
      return lengths.length;
    }

    /** The padded source length S. */
    public int steps() {
      return (int) keys.getShape().get(1);
    }

    /** The real source length of each row, a copy. */
    public int[] lengths() {
      return lengths.clone();
    }

    /**
     * The memory of these rows, in this order (repeats allowed): new arrays in {@code manager}.
     *
     * @throws IllegalArgumentException if a row is out of range
     */
    public Memory select(NDManager manager, int[] rows) {
      int[] selected = new int[rows.length];
      long[] index = new long[rows.length];
      for (int i = 0; i < rows.length; i++) {
        if (rows[i] < 0 || rows[i] >= lengths.length) {
          throw new IllegalArgumentException(
              "rows[" + i + "] = " + rows[i] + " is outside [0, " + lengths.length + ")");
        }
        selected[i] = lengths[rows[i]];
        index[i] = rows[i];
      }
      try (NDArray at = manager.create(index)) {
        NDIndex rowsIndex = new NDIndex("{}", at);
        return new Memory(
            in(manager, keys.get(rowsIndex)),
            in(manager, projected.get(rowsIndex)),
            in(manager, maskBias.get(rowsIndex)),
            valid == null ? null : in(manager, valid.get(rowsIndex)),
            selected);
      }
    }

    /**
     * The same memory through new array handles in {@code manager} that share the data (views,
     * nothing copied), so that it outlives the manager of this one.
     */
    public Memory view(NDManager manager) {
      return new Memory(
          viewIn(manager, keys),
          viewIn(manager, projected),
          viewIn(manager, maskBias),
          valid == null ? null : viewIn(manager, valid),
          lengths);
    }

    private static NDArray viewIn(NDManager manager, NDArray a) {
      return in(manager, a.reshape(a.getShape()));
    }

    private static NDArray in(NDManager manager, NDArray a) {
      a.attach(manager);
      return a;
    }

    /** Every array of the memory. */
    public NDList arrays() {
      NDList list = new NDList(keys, projected, maskBias);
      if (valid != null) {
        list.add(valid);
      }
      return list;
    }
  }

  /**
   * Prepares the keys of a batch: {@code W_k k + b} (or {@code W k}) and the padding mask. The
   * arrays live in the manager of {@code keys}.
   *
   * @param keys the encoder outputs {@code [B, S, K]}, zero or not past each length
   * @param lengths the real length of each row, in {@code [0, S]}; null if all are S
   * @throws IllegalArgumentException naming the argument that does not fit
   */
  public Memory memory(NDArray keys, int[] lengths) {
    checkInitialized();
    Shape s = keys.getShape();
    if (s.dimension() != 3 || s.get(2) != keySize) {
      throw new IllegalArgumentException(
          "keys must be [batch, source steps, " + keySize + "] (key size), got " + s);
    }
    checkType("keys", keys);
    int batch = (int) s.get(0);
    int steps = (int) s.get(1);
    if (lengths == null) {
      lengths = new int[batch];
      Arrays.fill(lengths, steps);
    }
    if (lengths.length != batch) {
      throw new IllegalArgumentException(
          "lengths has " + lengths.length + " entries for a batch of " + batch);
    }
    for (int b = 0; b < batch; b++) {
      if (lengths[b] < 0 || lengths[b] > steps) {
        throw new IllegalArgumentException(
            "lengths[" + b + "] = " + lengths[b] + " is outside [0, " + steps + "]");
      }
    }
    NDArray projected = Linear.linear(keys, weight("linear_k.weight"), null).singletonOrThrow();
    if (kind == Kind.NORMALIZED_BAHDANAU) {
      // Doubled once here for the sigmoid form of the score (see forward).
      projected = projected.add(weight("normalize_bias")).mul(2);
    }
    return Memory.of(keys, projected, lengths.clone());
  }

  // ---------------------------------------------------------------------------------------------
  // Queries.

  /**
   * The context and the attention weights of a query per step.
   *
   * @param context {@code [B, T, K]} (or {@code [B, K]} from {@link #step})
   * @param weights {@code [B, T, S]} (or {@code [B, S]}), exactly 0 on padding
   */
  public record Output(NDArray context, NDArray weights) {}

  /**
   * Attends with the queries of every target step at once.
   *
   * @param query {@code [B, T, Q]}
   * @param memory the keys of the same B rows, from {@link #memory}
   * @return the context {@code [B, T, K]} and the weights {@code [B, T, S]}, in the manager of
   *     {@code query}
   * @throws IllegalArgumentException naming the argument that does not fit
   */
  public Output forward(NDArray query, Memory memory) {
    checkInitialized();
    Shape s = query.getShape();
    if (s.dimension() != 3 || s.get(2) != querySize) {
      throw new IllegalArgumentException(
          "query must be [batch, steps, " + querySize + "] (query size), got " + s);
    }
    checkType("query", query);
    if (s.get(0) != memory.rows()) {
      throw new IllegalArgumentException(
          "query has " + s.get(0) + " rows but the memory has " + memory.rows());
    }
    NDManager m = query.getManager();
    NDArray scores;
    if (kind == Kind.NORMALIZED_BAHDANAU) {
      // With z = W_q q + W_k k + b and tanh(z) = 2σ(2z) − 1, the score is
      //   (g / ||v||) · tanh(z) · v = (2g / ||v||) · σ(2z) · v − (g / ||v||) · Σ_u v_u.
      // The last term is the same for every source position, and the softmax ignores it, so the
      // weights are those of the tanh form, while the sigmoid costs a fraction of libtorch's tanh
      // on the [B, T, S, U] block. 2 W_q q [B, T, 1, U] + 2(W_k k + b) [B, 1, S, U] -> σ -> · v.
      NDArray q = Linear.linear(query, weight("linear_q.weight"), null).singletonOrThrow().mul(2);
      NDArray v = weight("linear_att");
      NDArray scale = weight("normalize_scalar").mul(2).div(v.norm());
      scale.attach(m);
      scores = additiveScores(q, memory.projected, v).mul(scale);
    } else {
      // q [B, T, Q] · (W k)ᵀ [B, Q, S]
      scores = query.matMul(memory.projected.transpose(0, 2, 1));
    }
    NDArray weights = scores.add(memory.maskBias).softmax(-1);
    if (memory.valid != null) {
      weights = weights.mul(memory.valid);
    }
    return new Output(weights.matMul(memory.keys), weights);
  }

  /**
   * {@code σ(q_t + k_s) · v} for every row, step t and source position s: {@code [B, T, S]} from
   * {@code q [B, T, U]}, {@code k [B, S, U]} and {@code v [U]}. The {@code [B, T, S, U]} tensor in
   * between is formed a block of rows (or of steps of one row) at a time, of at most {@link
   * #SCORE_CHUNK_BYTES}: the element-wise work is the same, but it stays in the cache, and the
   * allocator reuses a few small blocks instead of mapping fresh pages for tensors of tens or
   * hundreds of megabytes (and for their gradients) on every call.
   */
  private static NDArray additiveScores(NDArray q, NDArray k, NDArray v) {
    Shape qs = q.getShape();
    long rows = qs.get(0);
    long steps = qs.get(1);
    long perRowStep = k.getShape().get(1) * qs.get(2) * q.getDataType().getNumOfBytes();
    long rowSteps = Math.max(1, SCORE_CHUNK_BYTES / Math.max(1, perRowStep));
    if (rows * steps <= rowSteps) {
      return q.expandDims(2).add(k.expandDims(1)).getNDArrayInternal().sigmoid().matMul(v);
    }
    NDList parts = new NDList();
    if (steps <= rowSteps) {
      long block = rowSteps / steps;
      for (long start = 0; start < rows; start += block) {
        NDIndex at = new NDIndex("{}:{}", start, Math.min(rows, start + block));
        parts.add(
            q.get(at)
                .expandDims(2)
                .add(k.get(at).expandDims(1))
                .getNDArrayInternal()
                .sigmoid()
                .matMul(v));
      }
      return NDArrays.concat(parts, 0);
    }
    for (long row = 0; row < rows; row++) {
      NDArray keys = k.get(new NDIndex("{}:{}", row, row + 1)).expandDims(1);
      NDList rowParts = new NDList();
      for (long start = 0; start < steps; start += rowSteps) {
        NDArray part =
            q.get(
                new NDIndex(
                    "{}:{}, {}:{}", row, row + 1, start, Math.min(steps, start + rowSteps)));
        rowParts.add(part.expandDims(2).add(keys).getNDArrayInternal().sigmoid().matMul(v));
      }
      parts.add(NDArrays.concat(rowParts, 1));
    }
    return NDArrays.concat(parts, 0);
  }

  /**
   * Attends with the queries of one decoding step.
   *
   * @param query {@code [B, Q]}
   * @param memory the keys of the same B rows
   * @return the context {@code [B, K]} and the weights {@code [B, S]}
   * @throws IllegalArgumentException naming the argument that does not fit
   */
  public Output step(NDArray query, Memory memory) {
    Shape s = query.getShape();
    if (s.dimension() != 2 || s.get(1) != querySize) {
      throw new IllegalArgumentException(
          "query must be [batch, " + querySize + "] (query size), got " + s);
    }
    Output out = forward(query.expandDims(1), memory);
    return new Output(out.context.squeeze(1), out.weights.squeeze(1));
  }

  /** DJL entry point. Inputs: query {@code [B, T, Q]}, keys {@code [B, S, K]}, optional lengths. */
  @Override
  protected NDList forwardInputs(NDList inputs, boolean training) {
    int[] lengths = null;
    if (inputs.size() > 2 && !inputs.get(2).isEmpty()) {
      lengths = inputs.get(2).toType(DataType.INT32, false).toIntArray();
    }
    Output out = forward(inputs.get(0), memory(inputs.get(1), lengths));
    return new NDList(out.context, out.weights);
  }

  /** Output shapes for DJL: the context {@code [B, T, K]} and the weights {@code [B, T, S]}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape q = inputShapes[0];
    Shape k = inputShapes[1];
    return new Shape[] {
      new Shape(q.get(0), q.get(1), keySize), new Shape(q.get(0), q.get(1), k.get(1))
    };
  }

  private NDArray weight(String name) {
    return initializedArray(name);
  }

  private void checkType(String what, NDArray a) {
    DataType type = initializedArray("linear_k.weight").getDataType();
    if (a.getDataType() != type) {
      throw new IllegalArgumentException(
          what + " has data type " + a.getDataType() + " but the weights have " + type);
    }
  }

  /** The score function. */
  public Kind kind() {
    return kind;
  }

  /** Q, the size of a query. */
  public int querySize() {
    return querySize;
  }

  /** K, the size of a key and of the context. */
  public int keySize() {
    return keySize;
  }

  /** U, the hidden size of the normalized Bahdanau score (Q for Luong). */
  public int units() {
    return units;
  }

  @Override
  public String toString() {
    return "Attention("
        + (kind == Kind.LUONG ? "Luong general" : "normalized Bahdanau, units " + units)
        + ", query "
        + querySize
        + ", key "
        + keySize
        + ")";
  }
}
