package org.seq4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.seq4j.nmt.BeamSearch;
import org.seq4j.nmt.GnmtConfig;
import org.seq4j.nn.Attention;

/**
 * The problem every implementation of {@code bench nmt} solves: the GNMT's shape, one training
 * batch of sentence pairs and one batch of sources to translate, all drawn from a seed. Token ids
 * are uniform over the vocabulary's regular ids (after PAD, UNK, BOS and EOS); lengths are uniform
 * in {@code [minLength, maxLength]}, independently for source and target (Bible verses run 10 to 40
 * subwords).
 */
public final class NmtWorkload {
  /** Vocabulary of the standard workload (a shared subword vocabulary of a small corpus). */
  public static final int VOCABULARY = 8000;

  /** Sentence pairs in the training batch of the standard workload. */
  public static final int BATCH = 96;

  /** Sources per translation call of the standard workload. */
  public static final int SENTENCES = 32;

  /** The shortest sentence drawn. */
  public static final int MIN_LENGTH = 10;

  /** The longest sentence drawn. */
  public static final int MAX_LENGTH = 40;

  /** Label smoothing of the training loss (GNMT's). */
  public static final float LABEL_SMOOTHING = 0.1f;

  /** Adam's learning rate in training calls. */
  public static final double LEARNING_RATE = 1e-3;

  /** The first id that is not special: PAD 0, UNK 1, BOS 2, EOS 3. */
  static final int FIRST_REGULAR_ID = 4;

  private final GnmtConfig config;
  private final List<int[]> trainSources;
  private final List<int[]> trainTargets;
  private final List<int[]> translateSources;
  private final int minLength;
  private final int maxLength;
  private final long seed;

  private NmtWorkload(
      GnmtConfig config, int batch, int sentences, int minLength, int maxLength, long seed) {
    if (batch < 1 || sentences < 1) {
      throw new IllegalArgumentException("batch and sentences must be positive");
    }
    if (minLength < 1 || maxLength < minLength) {
      throw new IllegalArgumentException(
          "need 1 <= min length <= max length, got " + minLength + ", " + maxLength);
    }
    int first =
        Math.max(
            FIRST_REGULAR_ID, Math.max(config.pad(), Math.max(config.bos(), config.eos())) + 1);
    if (first >= config.vocabularySize()) {
      throw new IllegalArgumentException(
          "the vocabulary of " + config.vocabularySize() + " has no regular ids");
    }
    Random random = new Random(seed);
    List<int[]> sources = new ArrayList<>();
    List<int[]> targets = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      sources.add(sentence(random, first, config.vocabularySize(), minLength, maxLength));
      targets.add(sentence(random, first, config.vocabularySize(), minLength, maxLength));
    }
    List<int[]> translate = new ArrayList<>();
    for (int i = 0; i < sentences; i++) {
      translate.add(sentence(random, first, config.vocabularySize(), minLength, maxLength));
    }
    this.config = config;
    this.trainSources = Collections.unmodifiableList(sources);
    this.trainTargets = Collections.unmodifiableList(targets);
    this.translateSources = Collections.unmodifiableList(translate);
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.seed = seed;
  }

  /**
   * A workload on {@code config}: {@code batch} training pairs and {@code sentences} sources to
   * translate, lengths uniform in {@code [minLength, maxLength]}, drawn by {@link Random} with
   * {@code seed} (its algorithm is specified, so every JVM draws the same).
   */
  public static NmtWorkload of(
      GnmtConfig config, int batch, int sentences, int minLength, int maxLength, long seed) {
    return new NmtWorkload(config, batch, sentences, minLength, maxLength, seed);
  }

  /**
   * The standard workload: {@link GnmtConfig#small} of {@value #VOCABULARY} ids (4 + 4 layers of
   * 256, normalized Bahdanau attention queried by this step's bottom output, residuals from layer
   * 3, one embedding for source, target and projection, dropout 0.2), {@value #BATCH} training
   * pairs, {@value #SENTENCES} sources to translate, lengths {@value #MIN_LENGTH} to {@value
   * #MAX_LENGTH}.
   */
  public static NmtWorkload standard(long seed) {
    return of(GnmtConfig.small(VOCABULARY), BATCH, SENTENCES, MIN_LENGTH, MAX_LENGTH, seed);
  }

  private static int[] sentence(Random random, int first, int vocabulary, int min, int max) {
    int[] ids = new int[min + random.nextInt(max - min + 1)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = first + random.nextInt(vocabulary - first);
    }
    return ids;
  }

  /** The model's shape. */
  public GnmtConfig config() {
    return config;
  }

  /** The training batch's sources, without BOS/EOS. */
  public List<int[]> trainSources() {
    return trainSources;
  }

  /** The training batch's targets, without BOS/EOS. */
  public List<int[]> trainTargets() {
    return trainTargets;
  }

  /** The sources of one translation call. */
  public List<int[]> translateSources() {
    return translateSources;
  }

  /** The seed of the data, the weights and the dropout masks. */
  public long seed() {
    return seed;
  }

  /**
   * The tokens one training call processes: the source and target tokens of the batch, without BOS,
   * EOS or padding.
   */
  public long trainTokens() {
    return count(trainSources) + count(trainTargets);
  }

  private static long count(List<int[]> sentences) {
    long n = 0;
    for (int[] s : sentences) {
      n += s.length;
    }
    return n;
  }

  /**
   * The beam search of a translation call: beam 1 is greedy ({@code α = β = 0}); wider beams take
   * GNMT's length and coverage penalties {@code α = 0.6}, {@code β = 0.2}. Both keep {@link
   * BeamSearch}'s prune width 3 and maximum length {@code min(2 |X| + 10, 256)}.
   */
  public static BeamSearch search(int beam) {
    BeamSearch.Builder b = BeamSearch.builder().beamSize(beam).nBest(1);
    return beam == 1 ? b.alpha(0).beta(0).build() : b.alpha(0.6).beta(0.2).build();
  }

  /** The model's shape as the {@code gnmt.py} peer reads it. */
  public Map<String, Object> peerConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("vocab", config.vocabularySize());
    c.put("embedding", config.embeddingSize());
    c.put("hidden", config.hiddenSize());
    c.put("encoder_layers", config.encoderLayers());
    c.put("decoder_layers", config.decoderLayers());
    c.put("dropout", (double) config.dropout());
    c.put("attention", config.attention() == Attention.Kind.LUONG ? "luong" : "bahdanau");
    c.put("query", config.query().id());
    c.put("residual_from", config.residualFrom());
    c.put("tied", config.tiedProjection());
    c.put("shared_embedding", config.sharedEmbedding());
    c.put("pad", config.pad());
    c.put("bos", config.bos());
    c.put("eos", config.eos());
    return c;
  }

  /** The fields every request to the peer carries: the weights file, the config and the seed. */
  private Map<String, Object> peerModel(String weights) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("weights", weights);
    r.put("config", peerConfig());
    r.put("seed", seed);
    return r;
  }

  /** The training batch and loss settings for the peer, after {@link #peerModel}. */
  private Map<String, Object> peerTrainData(String weights) {
    Map<String, Object> r = peerModel(weights);
    r.put("sources", trainSources);
    r.put("targets", trainTargets);
    r.put("label_smoothing", (double) LABEL_SMOOTHING);
    r.put("lr", LEARNING_RATE);
    return r;
  }

  /** The request for one timed round of training steps in the peer. */
  public Map<String, Object> peerTrainRequest(String weights, int threads, double minTimeS) {
    Map<String, Object> r = measurement("nmt-train", threads, minTimeS);
    r.putAll(peerTrainData(weights));
    return r;
  }

  /** The request for the peer's loss of the training batch in eval mode (no dropout). */
  public Map<String, Object> peerLossRequest(String weights, int threads) {
    Map<String, Object> r = command("loss", threads);
    r.putAll(peerTrainData(weights));
    return r;
  }

  /** The request for one timed round of translation calls in the peer. */
  public Map<String, Object> peerTranslateRequest(
      String weights, int beam, int threads, double minTimeS) {
    Map<String, Object> r = measurement("nmt-translate", threads, minTimeS);
    r.putAll(peerModel(weights));
    r.put("sources", translateSources);
    r.putAll(peerSearch(search(beam), translateSources));
    return r;
  }

  /**
   * The request for the peer's translations of the translation batch, in {@code dtype} ({@code
   * float32} or {@code float64}).
   */
  public Map<String, Object> peerTranslationsRequest(
      String weights, BeamSearch search, String dtype, int threads) {
    Map<String, Object> r = command("translate", threads);
    r.putAll(peerModel(weights));
    r.put("sources", translateSources);
    r.putAll(peerSearch(search, translateSources));
    r.put("dtype", dtype);
    return r;
  }

  /** The search's settings, with its most tokens before EOS for each source (the same rule). */
  private static Map<String, Object> peerSearch(BeamSearch search, List<int[]> sources) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("beam", search.beamSize());
    r.put("alpha", search.alpha());
    r.put("beta", search.beta());
    r.put("prune_width", search.pruneWidth());
    List<Integer> maxTokens = new ArrayList<>();
    for (int[] source : sources) {
      maxTokens.add(search.maxTokens(source.length));
    }
    r.put("max_tokens", maxTokens);
    return r;
  }

  private static Map<String, Object> measurement(String op, int threads, double minTimeS) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("op", op);
    r.put("threads", threads);
    r.put("min_time_s", minTimeS);
    r.put("warm_up_s", NmtBench.warmUpS(minTimeS));
    return r;
  }

  private static Map<String, Object> command(String cmd, int threads) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("cmd", cmd);
    r.put("threads", threads);
    return r;
  }

  /** E.g. {@code GNMT 4+4 x 256, ...; training 96 pairs (4,871 tokens), ...}. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s; training batch %d pairs (%,d source + target tokens), translation batch %d sources;"
            + " lengths %d..%d, seed %d",
        config.describe(),
        trainSources.size(),
        trainTokens(),
        translateSources.size(),
        minLength,
        maxLength,
        seed);
  }
}
