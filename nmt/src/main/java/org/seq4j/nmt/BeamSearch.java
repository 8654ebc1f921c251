package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.seq4j.nmt.StepDecoder.DecoderState;
import org.seq4j.nmt.StepDecoder.StepOutput;

/**
 * Batched beam search with GNMT scoring (Wu et al. 2016, eq. 14, as in tensorflow/nmt and NVIDIA's
 * GNMT v2).
 *
 * <h2>Score</h2>
 *
 * <pre>
 *   s(Y, X) = log P(Y|X) / lp(Y) + cp(X; Y)
 *   lp(Y)   = (5 + |Y|)^α / (5 + 1)^α
 *   cp(X;Y) = β · Σ_i log(min(Σ_j p_ij, 1))
 * </pre>
 *
 * {@code |Y|} counts EOS, as tensorflow/nmt does: it is the number of decoding steps. {@code p_ij}
 * is the attention of target step {@code j} (EOS step included) on source position {@code i}; the
 * sum over {@code i} runs over the real source positions only, so padding never counts (an empty
 * source has {@code cp = 0}). {@code α = 0} and {@code β = 0} switch the penalties off exactly.
 *
 * <h2>Search</h2>
 *
 * The rows of the batch are the live hypotheses of all unfinished sentences, the rows of a sentence
 * next to each other; every time step makes one {@link StepDecoder#step} call for all of them. At
 * step {@code t} all live hypotheses of a sentence have {@code t - 1} tokens and each candidate
 * {@code (row, token)} has length {@code t}, so ranking candidates by {@code log P} is ranking them
 * by the partial score {@code log P / lp(t)}. As in tensorflow/nmt, the coverage penalty is applied
 * to finished hypotheses only: the coverage of a prefix says little about the finished sentence.
 * Per step and sentence:
 *
 * <ol>
 *   <li>the top {@code beamSize + 1} tokens of every row are taken on the log-probability array
 *       (one {@code topK} over the vocabulary), the small result is merged per sentence in Java;
 *   <li>a candidate ending in EOS that ranks among the sentence's top {@code beamSize} becomes a
 *       finished hypothesis, scored with {@code s(Y, X)}; only the {@code nBest} best finished are
 *       kept;
 *   <li>the best {@code beamSize} candidates not ending in EOS live on, except those whose partial
 *       score is more than {@code pruneWidth} below the best live one of the sentence, i.e. {@code
 *       (log P_best - log P) / lp(t) > pruneWidth} (pruning in score, as in the GNMT paper; with
 *       the same length this is raw log-probability scaled by {@code lp(t)});
 *   <li>at the sentence's last step {@code maxTokens(|X|) + 1} only EOS is allowed, so every
 *       hypothesis ends with EOS and has at most {@code maxTokens} other tokens;
 *   <li>the sentence stops once it has {@code nBest} finished hypotheses and no extension of a live
 *       one can beat the {@code nBest}-th (bound below), or when nothing is live. Its rows then
 *       leave the batch through {@link DecoderState#select}.
 * </ol>
 *
 * <p><b>Stopping bound.</b> A live hypothesis with log-probability {@code L} (after {@code t}
 * tokens) can only finish with a length {@code T} in {@code [t + 1, Tmax]}, {@code Tmax = maxTokens
 * + 1}, and a log-probability {@code L' <= L <= 0}: log-probabilities of tokens are {@code <= 0}.
 * With {@code α >= 0}, {@code lp} grows with {@code T}, so {@code L' / lp(T) <= L / lp(T) <= L /
 * lp(Tmax)} (dividing a non-positive number by a larger positive one makes it larger). With {@code
 * β >= 0}, {@code cp <= 0} since every {@code log(min(., 1)) <= 0}. Hence every extension scores at
 * most {@code L / lp(Tmax)}, and the sentence stops when the {@code nBest}-th finished score is
 * {@code >=} that bound for every live hypothesis: nothing that could still enter the n-best list
 * is dropped by stopping. (Were {@code L > 0}, from a model whose outputs are not
 * log-probabilities, the bound used is {@code L / lp(t + 1)}, which only holds if further tokens
 * add nothing.) The beam itself ({@code beamSize}, {@code pruneWidth}) is a heuristic, as always.
 *
 * <p>With {@code beamSize = 1} and {@code α = β = 0} this is greedy decoding: the arg-max token is
 * taken at every step and the search stops at the first EOS.
 *
 * <h2>Native memory</h2>
 *
 * The search runs in a child of the given manager, closed at the end. The manager passed to {@link
 * StepDecoder#start} lives for the whole search, so arrays made there (encoder outputs) may be
 * shared by all later states. Every {@link StepDecoder#step} gets a fresh child manager; after the
 * step's output has been read, {@code next.select(m, rows)} is called with another fresh manager
 * {@code m}, and then the step's manager and the manager of the previous selected state are closed.
 * So a step's {@code next} may share arrays with the state it was fed, but {@code select} must
 * produce arrays that depend on neither. (A step manager is a plain sub-manager, not {@link
 * org.seq4j.engine.Steps#scoped}: its scope would close the opaque state.)
 */
public final class BeamSearch {
  private final int beamSize;
  private final int nBest;
  private final double alpha;
  private final double beta;
  private final double pruneWidth;
  private final double maxLengthRatio;
  private final int maxLengthOffset;
  private final int maxLengthCap;

  private BeamSearch(Builder b) {
    this.beamSize = b.beamSize;
    this.nBest = b.nBest;
    this.alpha = b.alpha;
    this.beta = b.beta;
    this.pruneWidth = b.pruneWidth;
    this.maxLengthRatio = b.maxLengthRatio;
    this.maxLengthOffset = b.maxLengthOffset;
    this.maxLengthCap = b.maxLengthCap;
  }

  /**
   * A builder with the defaults: beam 5, 1-best, {@code α = 0.6}, {@code β = 0.1} (NVIDIA GNMT v2),
   * prune width 3.0, at most {@code min(2 |X| + 10, 256)} tokens before EOS.
   */
  public static Builder builder() {
    return new Builder();
  }

  public int beamSize() {
    return beamSize;
  }

  public int nBest() {
    return nBest;
  }

  public double alpha() {
    return alpha;
  }

  public double beta() {
    return beta;
  }

  public double pruneWidth() {
    return pruneWidth;
  }

  /**
   * The most target tokens before EOS for a source of {@code sourceLength} tokens: {@code min(cap,
   * floor(ratio · sourceLength) + offset)}.
   */
  public int maxTokens(int sourceLength) {
    double v = Math.floor(maxLengthRatio * sourceLength) + maxLengthOffset;
    return (int) Math.max(0, Math.min(maxLengthCap, v));
  }

  /** GNMT's length penalty {@code lp = ((5 + length) / 6)^α}; exactly 1 for {@code α = 0}. */
  public static double lengthPenalty(int length, double alpha) {
    return alpha == 0 ? 1.0 : Math.pow((5.0 + length) / 6.0, alpha);
  }

  /**
   * GNMT's coverage penalty {@code β · Σ_i log(min(Σ_j attention[j][i], 1))} over source positions
   * {@code i < sourceLength}; exactly 0 for {@code β = 0} or an empty source.
   */
  public static double coveragePenalty(float[][] attention, int sourceLength, double beta) {
    if (beta == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < sourceLength; i++) {
      double coverage = 0;
      for (float[] row : attention) {
        coverage += row[i];
      }
      sum += Math.log(Math.min(coverage, 1.0));
    }
    return beta * sum;
  }

  /** {@code s(Y, X) = logProb / lp(length) + cp(attention)} with this search's α and β. */
  public double score(double logProb, int length, float[][] attention, int sourceLength) {
    return logProb / lengthPenalty(length, alpha) + coveragePenalty(attention, sourceLength, beta);
  }

  /** Translates one sentence. */
  public Translation search(NDManager manager, StepDecoder model, int[] source) {
    return search(manager, model, List.of(source)).get(0);
  }

  /**
   * Translates a batch of sentences (token ids without BOS/EOS, possibly empty); one n-best list
   * per sentence, in order.
   */
  public List<Translation> search(NDManager manager, StepDecoder model, List<int[]> sources) {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(model, "model");
    int n = sources.size();
    if (n == 0) {
      return List.of();
    }
    int vocab = model.vocabularySize();
    int eos = model.eos();
    int bos = model.bos();
    if (vocab < 1 || eos < 0 || eos >= vocab) {
      throw new IllegalArgumentException("EOS id " + eos + " outside the vocabulary of " + vocab);
    }
    Sentence[] sentences = new Sentence[n];
    try (NDManager searchManager = manager.newSubManager()) {
      DecoderState state = model.start(searchManager, sources);
      if (state.rows() != n || state.sourceLengths().length != n) {
        throw new IllegalStateException("start() gave " + state.rows() + " rows for " + n);
      }
      int[] sourceLengths = state.sourceLengths();
      for (int s = 0; s < n; s++) {
        sentences[s] = new Sentence(sourceLengths[s], maxTokens(sources.get(s).length) + 1);
      }
      // Rows of the batch: the live hypothesis of each row and its sentence.
      Node[] rowNodes = new Node[n];
      int[] rowSentences = new int[n];
      for (int s = 0; s < n; s++) {
        rowNodes[s] = Node.ROOT;
        rowSentences[s] = s;
      }
      NDManager stateManager = null; // owns state unless it came from start()
      for (int t = 1; rowNodes.length > 0; t++) {
        int[] tokens = new int[rowNodes.length];
        for (int r = 0; r < tokens.length; r++) {
          tokens[r] = t == 1 ? bos : rowNodes[r].token;
        }
        try (NDManager stepManager = searchManager.newSubManager()) {
          StepOutput out = model.step(stepManager, state, tokens);
          StepData data = read(out, tokens.length, vocab, eos);
          List<Node> nextNodes = new ArrayList<>();
          List<Integer> parents = new ArrayList<>();
          List<Integer> nextSentences = new ArrayList<>();
          for (int from = 0; from < rowNodes.length; ) {
            int s = rowSentences[from];
            int to = from;
            while (to < rowNodes.length && rowSentences[to] == s) {
              to++;
            }
            advance(sentences[s], t, rowNodes, from, to, data, eos, nextNodes, parents);
            while (nextSentences.size() < nextNodes.size()) {
              nextSentences.add(s);
            }
            from = to;
          }
          rowNodes = nextNodes.toArray(new Node[0]);
          rowSentences = nextSentences.stream().mapToInt(Integer::intValue).toArray();
          if (rowNodes.length > 0) {
            NDManager nextManager = searchManager.newSubManager();
            state = out.next().select(nextManager, parents.stream().mapToInt(i -> i).toArray());
            if (stateManager != null) {
              stateManager.close();
            }
            stateManager = nextManager;
          }
        }
      }
    }
    List<Translation> result = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      if (sentences[s].finished.isEmpty()) {
        throw new IllegalStateException(
            "sentence " + s + ": every hypothesis has log-probability -inf");
      }
      result.add(new Translation(sentences[s].sourceLength, sentences[s].finished));
    }
    return result;
  }

  /** What the search reads of one step's output, in Java. */
  private record StepData(
      float[] topValues,
      long[] topTokens,
      int k,
      float[] eosLogProbs,
      float[] attention,
      int width) {}

  private StepData read(StepOutput out, int rows, int vocab, int eos) {
    NDArray logProbs = out.logProbs();
    NDArray attention = out.attention();
    if (!logProbs.getShape().equals(new Shape(rows, vocab))) {
      throw new IllegalStateException(
          "log-probabilities " + logProbs.getShape() + ", expected (" + rows + ", " + vocab + ")");
    }
    Shape a = attention.getShape();
    if (a.dimension() != 2 || a.get(0) != rows) {
      throw new IllegalStateException("attention " + a + " for " + rows + " rows");
    }
    int k = Math.min(beamSize + 1, vocab);
    NDList top = logProbs.topK(k, 1, true, true);
    float[] values = top.get(0).toType(DataType.FLOAT32, false).toFloatArray();
    long[] indices = top.get(1).toType(DataType.INT64, false).toLongArray();
    float[] eosColumn =
        logProbs.get(new NDIndex(":, {}", eos)).toType(DataType.FLOAT32, false).toFloatArray();
    float[] weights = attention.toType(DataType.FLOAT32, false).toFloatArray();
    return new StepData(values, indices, k, eosColumn, weights, (int) a.get(1));
  }

  /** One step of sentence {@code s}, whose live rows are {@code [from, to)}. */
  private void advance(
      Sentence s,
      int t,
      Node[] rowNodes,
      int from,
      int to,
      StepData data,
      int eos,
      List<Node> nextNodes,
      List<Integer> parents) {
    if (data.width < s.sourceLength) {
      throw new IllegalStateException(
          "attention width " + data.width + " below the source length " + s.sourceLength);
    }
    float[][] attention = new float[to - from][];
    for (int r = from; r < to; r++) {
      int offset = r * data.width;
      attention[r - from] = Arrays.copyOfRange(data.attention, offset, offset + s.sourceLength);
    }
    if (t >= s.maxSteps) {
      for (int r = from; r < to; r++) {
        finish(s, rowNodes[r], attention[r - from], rowNodes[r].logProb + data.eosLogProbs[r], t);
      }
      return;
    }
    List<Candidate> candidates = new ArrayList<>((to - from) * data.k);
    for (int r = from; r < to; r++) {
      for (int j = 0; j < data.k; j++) {
        double logProb = rowNodes[r].logProb + data.topValues[r * data.k + j];
        if (logProb > Double.NEGATIVE_INFINITY) { // drops -inf and NaN
          candidates.add(new Candidate(r, (int) data.topTokens[r * data.k + j], logProb));
        }
      }
    }
    candidates.sort(Comparator.comparingDouble(Candidate::logProb).reversed());
    for (int i = 0; i < Math.min(beamSize, candidates.size()); i++) {
      Candidate c = candidates.get(i);
      if (c.token == eos) {
        finish(s, rowNodes[c.row], attention[c.row - from], c.logProb, t);
      }
    }
    double lp = lengthPenalty(t, alpha);
    List<Candidate> live = new ArrayList<>(beamSize);
    for (Candidate c : candidates) {
      if (live.size() == beamSize) {
        break;
      }
      if (c.token != eos
          && (live.isEmpty() || (live.get(0).logProb - c.logProb) / lp <= pruneWidth)) {
        live.add(c);
      }
    }
    if (live.isEmpty()) {
      return;
    }
    if (s.finished.size() >= nBest) {
      double lpMax = lengthPenalty(s.maxSteps, alpha);
      double lpNext = lengthPenalty(t + 1, alpha);
      double bound = Double.NEGATIVE_INFINITY;
      for (Candidate c : live) {
        bound = Math.max(bound, c.logProb / (c.logProb <= 0 ? lpMax : lpNext));
      }
      if (s.finished.get(nBest - 1).score() >= bound) {
        return;
      }
    }
    for (Candidate c : live) {
      nextNodes.add(new Node(rowNodes[c.row], c.token, attention[c.row - from], c.logProb, t));
      parents.add(c.row);
    }
  }

  /** Adds {@code node} + EOS (attention row {@code eosAttention}) to the sentence's n-best list. */
  private void finish(Sentence s, Node node, float[] eosAttention, double logProb, int length) {
    if (!(logProb > Double.NEGATIVE_INFINITY)) {
      return;
    }
    int[] tokens = new int[length - 1];
    float[][] attention = new float[length][];
    attention[length - 1] = eosAttention;
    for (Node p = node; p.length > 0; p = p.parent) {
      tokens[p.length - 1] = p.token;
      attention[p.length - 1] = p.attention;
    }
    double score = score(logProb, length, attention, s.sourceLength);
    if (Double.isNaN(score)) {
      return;
    }
    List<Hypothesis> finished = s.finished;
    int at = finished.size();
    while (at > 0 && finished.get(at - 1).score() < score) {
      at--;
    }
    if (at < nBest) {
      finished.add(at, new Hypothesis(tokens, score, logProb, attention));
      if (finished.size() > nBest) {
        finished.remove(nBest);
      }
    }
  }

  /** A sentence's fixed facts and its finished hypotheses, best first. */
  private static final class Sentence {
    final int sourceLength;
    final int maxSteps;
    final List<Hypothesis> finished = new ArrayList<>();

    Sentence(int sourceLength, int maxSteps) {
      this.sourceLength = sourceLength;
      this.maxSteps = maxSteps;
    }
  }

  /** A live hypothesis: its last token, that token's attention row and its prefix. */
  private record Node(Node parent, int token, float[] attention, double logProb, int length) {
    static final Node ROOT = new Node(null, -1, null, 0, 0);
  }

  private record Candidate(int row, int token, double logProb) {}

  /** Settings of a {@link BeamSearch}. */
  public static final class Builder {
    private int beamSize = 5;
    private int nBest = 1;
    private double alpha = 0.6;
    private double beta = 0.1;
    private double pruneWidth = 3.0;
    private double maxLengthRatio = 2.0;
    private int maxLengthOffset = 10;
    private int maxLengthCap = 256;

    private Builder() {}

    /** Live hypotheses kept per sentence ({@code >= 1}; 1 is greedy). */
    public Builder beamSize(int beamSize) {
      this.beamSize = beamSize;
      return this;
    }

    /** Finished hypotheses returned per sentence ({@code 1..beamSize}). */
    public Builder nBest(int nBest) {
      this.nBest = nBest;
      return this;
    }

    /** Length-penalty exponent α ({@code >= 0}; 0 switches it off). */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** Coverage-penalty weight β ({@code >= 0}; 0 switches it off). */
    public Builder beta(double beta) {
      this.beta = beta;
      return this;
    }

    /**
     * Live hypotheses more than this below the best live one of their sentence, in partial score,
     * are dropped ({@code > 0}; {@link Double#POSITIVE_INFINITY} switches pruning off).
     */
    public Builder pruneWidth(double pruneWidth) {
      this.pruneWidth = pruneWidth;
      return this;
    }

    /**
     * At most {@code min(cap, floor(ratio · |X|) + offset)} target tokens before EOS; EOS is forced
     * after them.
     */
    public Builder maxLength(double ratio, int offset, int cap) {
      this.maxLengthRatio = ratio;
      this.maxLengthOffset = offset;
      this.maxLengthCap = cap;
      return this;
    }

    public BeamSearch build() {
      check(beamSize >= 1, "beam size must be >= 1: " + beamSize);
      check(nBest >= 1 && nBest <= beamSize, "n-best must be in 1.." + beamSize + ": " + nBest);
      check(alpha >= 0 && Double.isFinite(alpha), "alpha must be finite and >= 0: " + alpha);
      check(beta >= 0 && Double.isFinite(beta), "beta must be finite and >= 0: " + beta);
      check(pruneWidth > 0, "prune width must be > 0: " + pruneWidth);
      check(
          maxLengthRatio >= 0 && Double.isFinite(maxLengthRatio),
          "max length ratio must be finite and >= 0: " + maxLengthRatio);
      check(maxLengthOffset >= 0, "max length offset must be >= 0: " + maxLengthOffset);
      check(maxLengthCap >= 0, "max length cap must be >= 0: " + maxLengthCap);
      return new BeamSearch(this);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
