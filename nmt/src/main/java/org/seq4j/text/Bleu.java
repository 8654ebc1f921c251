package org.seq4j.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Corpus and sentence BLEU (Papineni et al., 2002) computed exactly as sacreBLEU 2.x computes it
 * (Post, 2018, "A Call for Clarity in Reporting BLEU Scores"; {@code sacrebleu/metrics/bleu.py}).
 *
 * <p>The default is sacreBLEU's default: the {@code 13a} tokenizer, case-sensitive, n-grams up to
 * 4, {@code exp} smoothing (NIST's: the k-th order without a match counts as {@code 1 / (2^k
 * total)}), no effective order, and the brevity penalty against, per segment, the reference whose
 * length is closest to the hypothesis (the shorter one on a tie). Each line is stripped of trailing
 * whitespace before it is tokenized, as sacreBLEU does. Any number of references per segment.
 *
 * <pre>{@code
 * BleuScore s = Bleu.sacreDefault().corpusScore(hypotheses, List.of(references));
 * System.out.println(s.format());                 // BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = ...)
 * }</pre>
 */
public final class Bleu {

  /** How an n-gram order without any match is scored (Chen and Cherry, 2014). */
  public enum Smoothing {
    /** No smoothing: a zero precision gives BLEU 0. */
    NONE("none"),
    /** Method 1: a zero count becomes {@code value} (default 0.1). */
    FLOOR("floor"),
    /** Method 2: {@code value} (default 1) is added to the counts of orders 2 and up. */
    ADD_K("add-k"),
    /** Method 3, NIST's: the k-th order without a match has precision {@code 1 / (2^k total)}. */
    EXP("exp");

    private final String id;

    Smoothing(String id) {
      this.id = id;
    }

    /** The name sacreBLEU uses ({@code exp}, {@code floor}, {@code add-k}, {@code none}). */
    public String id() {
      return id;
    }

    /** The default value of {@code floor} (0.1) and {@code add-k} (1); NaN for the others. */
    public double defaultValue() {
      return this == FLOOR ? 0.1 : this == ADD_K ? 1 : Double.NaN;
    }

    /** The smoothing sacreBLEU calls {@code name}. */
    public static Smoothing named(String name) {
      for (Smoothing s : values()) {
        if (s.id.equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown smoothing '" + name + "' (known: exp, floor, add-k, none)");
    }
  }

  /** sacreBLEU's maximum n-gram order. */
  public static final int MAX_ORDER = 4;

  private final BleuTokenizer tokenizer;
  private final boolean lowercase;
  private final Smoothing smoothing;
  private final double smoothValue;
  private final boolean effectiveOrder;
  private final int maxOrder;

  /**
   * A BLEU metric with the given settings.
   *
   * @param tokenizer how lines are split into words
   * @param lowercase whether to lowercase the lines first ({@link String#toLowerCase} with {@link
   *     Locale#ROOT}, which agrees with Python's {@code str.lower} on all but a few characters)
   * @param smoothing the smoothing method
   * @param smoothValue the value for {@code floor} and {@code add-k}; NaN for the default
   * @param effectiveOrder whether to stop at the first n-gram order without any hypothesis n-gram
   *     (sacreBLEU's {@code effective_order}, recommended for sentence BLEU)
   * @param maxOrder the highest n-gram order (4)
   */
  public Bleu(
      BleuTokenizer tokenizer,
      boolean lowercase,
      Smoothing smoothing,
      double smoothValue,
      boolean effectiveOrder,
      int maxOrder) {
    if (maxOrder < 1) {
      throw new IllegalArgumentException("maxOrder must be positive, got " + maxOrder);
    }
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.lowercase = lowercase;
    this.smoothing = Objects.requireNonNull(smoothing);
    this.smoothValue = Double.isNaN(smoothValue) ? smoothing.defaultValue() : smoothValue;
    this.effectiveOrder = effectiveOrder;
    this.maxOrder = maxOrder;
  }

  /** sacreBLEU's default corpus BLEU: 13a, case-sensitive, exp smoothing, no effective order. */
  public static Bleu sacreDefault() {
    return new Bleu(BleuTokenizer.thirteenA(), false, Smoothing.EXP, Double.NaN, false, MAX_ORDER);
  }

  /** sacreBLEU's {@code sentence_bleu} settings: as the default, with effective order. */
  public static Bleu sentenceDefault() {
    return new Bleu(BleuTokenizer.thirteenA(), false, Smoothing.EXP, Double.NaN, true, MAX_ORDER);
  }

  /**
   * Corpus BLEU of {@code hypotheses} against one or more reference streams, each holding one
   * reference per hypothesis (sacreBLEU's {@code corpus_score(hyps, [refs1, refs2])}).
   *
   * @throws IllegalArgumentException when there is no reference stream or a stream's length differs
   *     from the number of hypotheses
   */
  public BleuScore corpusScore(List<String> hypotheses, List<List<String>> referenceStreams) {
    return score(corpusStats(hypotheses, referenceStreams));
  }

  /** The summed statistics of {@link #corpusScore}. */
  public BleuStats corpusStats(List<String> hypotheses, List<List<String>> referenceStreams) {
    if (referenceStreams.isEmpty()) {
      throw new IllegalArgumentException("BLEU needs at least one reference stream");
    }
    for (int r = 0; r < referenceStreams.size(); r++) {
      if (referenceStreams.get(r).size() != hypotheses.size()) {
        throw new IllegalArgumentException(
            "reference stream "
                + (r + 1)
                + " has "
                + referenceStreams.get(r).size()
                + " lines, but there are "
                + hypotheses.size()
                + " hypotheses");
      }
    }
    BleuStats sum = BleuStats.zero(maxOrder);
    List<String> refs = new ArrayList<>(referenceStreams.size());
    for (int i = 0; i < hypotheses.size(); i++) {
      refs.clear();
      for (List<String> stream : referenceStreams) {
        refs.add(stream.get(i));
      }
      sum = sum.plus(segmentStats(hypotheses.get(i), refs));
    }
    return sum;
  }

  /** BLEU of one hypothesis against its references (sacreBLEU's {@code sentence_score}). */
  public BleuScore sentenceScore(String hypothesis, List<String> references) {
    if (references.isEmpty()) {
      throw new IllegalArgumentException("BLEU needs at least one reference");
    }
    return score(segmentStats(hypothesis, references));
  }

  /**
   * The statistics of one segment: n-gram matches clipped by the maximum count in any reference.
   */
  public BleuStats segmentStats(String hypothesis, List<String> references) {
    Map<List<String>, Integer> refCounts = new HashMap<>();
    List<Integer> refLengths = new ArrayList<>(references.size());
    for (String ref : references) {
      List<String> words = words(ref);
      refLengths.add(words.size());
      for (Map.Entry<List<String>, Integer> e : ngrams(words).entrySet()) {
        refCounts.merge(e.getKey(), e.getValue(), Math::max);
      }
    }
    List<String> hypWords = words(hypothesis);
    long[] correct = new long[maxOrder];
    long[] total = new long[maxOrder];
    for (Map.Entry<List<String>, Integer> e : ngrams(hypWords).entrySet()) {
      int n = e.getKey().size() - 1;
      total[n] += e.getValue();
      Integer inRef = refCounts.get(e.getKey());
      if (inRef != null) {
        correct[n] += Math.min(e.getValue(), inRef);
      }
    }
    return new BleuStats(
        hypWords.size(), closestRefLength(hypWords.size(), refLengths), correct, total);
  }

  /**
   * BLEU from statistics ({@code BLEU.compute_bleu} of sacreBLEU): {@code BP · exp(Σ_n log p_n /
   * N)}, with {@code log 0} taken as {@code -9999999999} as sacreBLEU does, and a score of 0 when
   * nothing matches at all.
   */
  public BleuScore score(BleuStats stats) {
    double sysLen = stats.hypLength();
    double refLen = stats.refLength();
    double bp = 1.0;
    if (sysLen < refLen) {
      bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
    }
    double[] precisions = new double[maxOrder];
    long[] correctCounts = stats.correct();
    long[] totalCounts = stats.total();
    boolean anyMatch = false;
    for (long c : correctCounts) {
      anyMatch |= c != 0;
    }
    if (!anyMatch) {
      return new BleuScore(0.0, precisions, bp, stats);
    }
    double[] correct = new double[maxOrder];
    double[] total = new double[maxOrder];
    for (int i = 0; i < maxOrder; i++) {
      correct[i] = correctCounts[i];
      total[i] = totalCounts[i];
    }
    double smoothMteval = 1.0;
    int effOrder = maxOrder;
    for (int n = 1; n <= maxOrder; n++) {
      if (smoothing == Smoothing.ADD_K && n > 1) {
        correct[n - 1] += smoothValue;
        total[n - 1] += smoothValue;
      }
      if (total[n - 1] == 0) {
        break;
      }
      if (effectiveOrder) {
        effOrder = n;
      }
      if (correct[n - 1] == 0) {
        if (smoothing == Smoothing.EXP) {
          smoothMteval *= 2;
          precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
        } else if (smoothing == Smoothing.FLOOR) {
          precisions[n - 1] = 100.0 * smoothValue / total[n - 1];
        }
      } else {
        precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
      }
    }
    double logSum = 0;
    for (int i = 0; i < effOrder; i++) {
      logSum += precisions[i] == 0.0 ? -9999999999.0 : Math.log(precisions[i]);
    }
    return new BleuScore(bp * Math.exp(logSum / effOrder), precisions, bp, stats);
  }

  /**
   * sacreBLEU's signature of these settings for {@code nrefs} references, e.g. {@code
   * nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp}. sacreBLEU appends {@code |version:2.x.y}; seq4j
   * leaves the version out, since it is not sacreBLEU (the scores agree with sacreBLEU 2.6.0).
   */
  public String signature(int nrefs) {
    String smooth = smoothing.id();
    if (smoothing == Smoothing.FLOOR || smoothing == Smoothing.ADD_K) {
      smooth += "[" + BleuScore.fixed(smoothValue, 2) + "]";
    }
    return "nrefs:"
        + nrefs
        + "|case:"
        + (lowercase ? "lc" : "mixed")
        + "|eff:"
        + (effectiveOrder ? "yes" : "no")
        + "|tok:"
        + tokenizer.signature()
        + "|smooth:"
        + smooth;
  }

  /** The words of a line: lowercased if asked, right-stripped, tokenized, split on whitespace. */
  List<String> words(String line) {
    String s = lowercase ? line.toLowerCase(Locale.ROOT) : line;
    return PythonText.split(tokenizer.tokenize(PythonText.rstrip(s)));
  }

  private Map<List<String>, Integer> ngrams(List<String> words) {
    Map<List<String>, Integer> counts = new HashMap<>();
    for (int n = 1; n <= maxOrder; n++) {
      for (int i = 0; i + n <= words.size(); i++) {
        counts.merge(List.copyOf(words.subList(i, i + n)), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The reference length closest to {@code hypLength}; the shorter one on a tie. */
  static int closestRefLength(int hypLength, List<Integer> refLengths) {
    int closestDiff = -1;
    int closestLen = -1;
    for (int refLen : refLengths) {
      int diff = Math.abs(hypLength - refLen);
      if (closestDiff == -1 || diff < closestDiff) {
        closestDiff = diff;
        closestLen = refLen;
      } else if (diff == closestDiff && refLen < closestLen) {
        closestLen = refLen;
      }
    }
    return closestLen;
  }
}
