package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny random-weight attentional recurrent translator written in NDArray ops, for beam search
 * tests:
 *
 * <pre>
 *   memory_i = tanh(E_src[x_i])                         (padding rows masked out of attention)
 *   h_0      = tanh(mean of the real memory rows)
 *   h_t      = tanh([E_tgt[y_{t-1}]; h_{t-1}] W + b)
 *   a_t      = softmax over real positions of memory · (h_t A), exactly 0 on padding
 *   c_t      = Σ_i a_ti memory_i
 *   log p_t  = logSoftmax(sharpness · ([h_t; c_t] O + o) + eosBias · e_EOS)
 * </pre>
 *
 * Token 0 is EOS and token 1 BOS. The attention width is {@code max(1, longest source)}. Every
 * {@link #step} call records its number of rows in {@link #stepRows}.
 */
final class ToyStepDecoder implements StepDecoder {
  static final int EOS = 0;
  static final int BOS = 1;

  final List<Integer> stepRows = new ArrayList<>();

  /** The live arrays of {@link #watched} (when set) at the start of every step. */
  final List<Integer> liveArrays = new ArrayList<>();

  NDManager watched;
  private final int vocab;
  private final int sourceVocab;
  private final NDArray sourceEmbedding;
  private final NDArray targetEmbedding;
  private final NDArray w;
  private final NDArray b;
  private final NDArray a;
  private final NDArray o;
  private final NDArray outBias;
  private final float sharpness;

  ToyStepDecoder(
      NDManager manager,
      long seed,
      int vocab,
      int sourceVocab,
      int hidden,
      float sharpness,
      float eosBias) {
    this.vocab = vocab;
    this.sourceVocab = sourceVocab;
    this.sharpness = sharpness;
    Random random = new Random(seed);
    sourceEmbedding = normal(manager, random, 1.0, sourceVocab, hidden);
    targetEmbedding = normal(manager, random, 1.0, vocab, hidden);
    w = normal(manager, random, 1.0 / Math.sqrt(hidden), 2 * hidden, hidden);
    b = normal(manager, random, 0.1, hidden);
    a = normal(manager, random, 2.0 / Math.sqrt(hidden), hidden, hidden);
    o = normal(manager, random, 1.0 / Math.sqrt(hidden), 2 * hidden, vocab);
    float[] bias = new float[vocab];
    for (int v = 0; v < vocab; v++) {
      bias[v] = (float) (0.3 * random.nextGaussian());
    }
    bias[EOS] += eosBias / sharpness;
    outBias = manager.create(bias);
  }

  private static NDArray normal(NDManager manager, Random random, double scale, int... shape) {
    Shape s = new Shape(java.util.Arrays.stream(shape).asLongStream().toArray());
    float[] values = new float[(int) s.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (scale * random.nextGaussian());
    }
    return manager.create(values, s);
  }

  @Override
  public int bos() {
    return BOS;
  }

  @Override
  public int eos() {
    return EOS;
  }

  @Override
  public int vocabularySize() {
    return vocab;
  }

  @Override
  public DecoderState start(NDManager manager, List<int[]> sources) {
    int rows = sources.size();
    int width = 1;
    int[] lengths = new int[rows];
    for (int r = 0; r < rows; r++) {
      lengths[r] = sources.get(r).length;
      width = Math.max(width, lengths[r]);
    }
    int[] ids = new int[rows * width];
    float[] mask = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < lengths[r]; i++) {
        int id = sources.get(r)[i];
        if (id < 0 || id >= sourceVocab) {
          throw new IllegalArgumentException("source id " + id);
        }
        ids[r * width + i] = id;
        mask[r * width + i] = 1;
      }
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray maskArray = manager.create(mask, new Shape(rows, width));
      NDArray memory =
          manager
              .create(ids, new Shape(rows, width))
              .oneHot(sourceVocab)
              .matMul(sourceEmbedding)
              .tanh(); // [rows, width, hidden]
      NDArray count = maskArray.sum(new int[] {1}, true).maximum(1f); // [rows, 1]
      NDArray h = memory.mul(maskArray.expandDims(2)).sum(new int[] {1}).div(count).tanh();
      return new State(keep(manager, h), keep(manager, memory), keep(manager, maskArray), lengths);
    }
  }

  @Override
  public StepOutput step(NDManager manager, DecoderState state, int[] tokens) {
    State s = (State) state;
    if (tokens.length != s.rows()) {
      throw new IllegalArgumentException(tokens.length + " tokens for " + s.rows() + " rows");
    }
    stepRows.add(tokens.length);
    if (watched != null) {
      liveArrays.add(watched.getManagedArrays().size());
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = manager.create(tokens).oneHot(vocab).matMul(targetEmbedding);
      NDArray h = NDArrays.concat(new NDList(x, s.h), 1).matMul(w).add(b).tanh();
      NDArray query = h.matMul(a).expandDims(2); // [rows, hidden, 1]
      NDArray energy = s.memory.matMul(query).squeeze(2); // [rows, width]
      NDArray masked = energy.mul(s.mask).add(s.mask.sub(1f).mul(1e9f));
      NDArray attention = masked.softmax(1).mul(s.mask);
      NDArray context = attention.expandDims(1).matMul(s.memory).squeeze(1);
      NDArray logits =
          NDArrays.concat(new NDList(h, context), 1).matMul(o).add(outBias).mul(sharpness);
      NDArray logProbs = logits.logSoftmax(1);
      State next = new State(keep(manager, h), s.memory, s.mask, s.lengths);
      return new StepOutput(keep(manager, logProbs), keep(manager, attention), next);
    }
  }

  /** Takes {@code x} out of the current scope and attaches it to {@code manager}. */
  private static NDArray keep(NDManager manager, NDArray x) {
    NDScope.unregister(x);
    x.attach(manager);
    return x;
  }

  /** Rows: h [rows, hidden], memory [rows, width, hidden], mask [rows, width]. */
  private record State(NDArray h, NDArray memory, NDArray mask, int[] lengths)
      implements DecoderState {
    @Override
    public int rows() {
      return lengths.length;
    }

    @Override
    public int[] sourceLengths() {
      return lengths.clone();
    }

    @Override
    public DecoderState select(NDManager manager, int[] rows) {
      int[] newLengths = new int[rows.length];
      for (int r = 0; r < rows.length; r++) {
        newLengths[r] = lengths[rows[r]];
      }
      NDArray index = manager.create(rows);
      return new State(
          take(manager, h, index),
          take(manager, memory, index),
          take(manager, mask, index),
          newLengths);
    }

    private static NDArray take(NDManager manager, NDArray x, NDArray index) {
      NDArray taken = x.get(new NDIndex("{}", index));
      taken.attach(manager);
      return taken;
    }
  }
}
