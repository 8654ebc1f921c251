package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.nmt.StepDecoder.DecoderState;
import org.seq4j.nmt.StepDecoder.StepOutput;

/** Beam search against brute force and greedy decoding, on {@link ToyStepDecoder} models. */
class BeamSearchTest {
  private static final double TOL = 1e-4;
  private static final int SOURCE_VOCAB = 7;

  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    Engine engine = Seq4jEngine.get();
    manager = engine.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  /** One complete target sequence with its log-probability and attention, from enumeration. */
  private record Sequence(int[] tokens, double logProb, float[][] attention) {}

  /**
   * Every sequence of at most {@code maxTokens} non-EOS tokens followed by EOS, for one source:
   * breadth first, all prefixes of one length as the rows of one step.
   */
  private static List<Sequence> enumerate(StepDecoder model, int[] source, int maxTokens) {
    List<Sequence> all = new ArrayList<>();
    int eos = model.eos();
    try (NDManager m = manager.newSubManager()) {
      DecoderState state = model.start(m, List.of(source));
      List<Sequence> prefixes = List.of(new Sequence(new int[0], 0, new float[0][]));
      for (int t = 0; t <= maxTokens; t++) {
        int[] last = new int[prefixes.size()];
        for (int r = 0; r < last.length; r++) {
          int[] tokens = prefixes.get(r).tokens;
          last[r] = t == 0 ? model.bos() : tokens[tokens.length - 1];
        }
        StepOutput step = model.step(m, state, last);
        int vocab = model.vocabularySize();
        float[] logProbs = step.logProbs().toFloatArray();
        float[] attention = step.attention().toFloatArray();
        int width = attention.length / last.length;
        List<Sequence> longer = new ArrayList<>();
        List<Integer> parents = new ArrayList<>();
        for (int r = 0; r < last.length; r++) {
          Sequence p = prefixes.get(r);
          float[][] rows = Arrays.copyOf(p.attention, t + 1);
          rows[t] = Arrays.copyOfRange(attention, r * width, r * width + source.length);
          all.add(new Sequence(p.tokens, p.logProb + logProbs[r * vocab + eos], rows));
          for (int v = 0; v < vocab && t < maxTokens; v++) {
            if (v != eos) {
              int[] tokens = Arrays.copyOf(p.tokens, t + 1);
              tokens[t] = v;
              longer.add(new Sequence(tokens, p.logProb + logProbs[r * vocab + v], rows));
              parents.add(r);
            }
          }
        }
        if (!longer.isEmpty()) {
          state = step.next().select(m, parents.stream().mapToInt(i -> i).toArray());
        }
        prefixes = longer;
      }
    }
    return all;
  }

  /** GNMT's score, written out independently of {@link BeamSearch}. */
  private static double gnmtScore(Sequence y, int sourceLength, double alpha, double beta) {
    int length = y.tokens.length + 1; // EOS counts
    double lp = Math.pow((5.0 + length) / 6.0, alpha);
    double cp = 0;
    for (int i = 0; i < sourceLength; i++) {
      double coverage = 0;
      for (float[] row : y.attention) {
        coverage += row[i];
      }
      cp += Math.log(Math.min(coverage, 1.0));
    }
    return y.logProb / lp + beta * cp;
  }

  private static int[] randomSource(Random random, int length) {
    int[] source = new int[length];
    for (int i = 0; i < length; i++) {
      source[i] = random.nextInt(SOURCE_VOCAB);
    }
    return source;
  }

  @Test
  void exhaustiveBeamFindsTheBruteForceNBest() {
    int earlyStops = 0;
    earlyStops += exhaustive(4, 4, 0.8, 0.4, 3);
    earlyStops += exhaustive(4, 4, 2.0, 0.2, 1);
    // Long maxima and a large α: an unsafe stopping bound (lp(t + 1) instead of lp(Tmax)) fails
    // here.
    earlyStops += exhaustive(3, 7, 3.0, 0.1, 2);
    // The stopping bound must have cut some searches short, or this test would not test it.
    assertTrue(earlyStops > 0, "no search stopped before the maximum length");
  }

  /**
   * An exhaustive beam on random toy models equals the brute-force n-best list; returns how many
   * single-sentence searches stopped before the maximum length.
   */
  private int exhaustive(int vocab, int maxTokens, double alpha, double beta, int nBest) {
    int earlyStops = 0;
    for (long seed = 1; seed <= 8; seed++) {
      float sharpness = seed % 2 == 0 ? 1f : 4f;
      float eosBias = seed % 4 == 1 ? 2f : 0f;
      ToyStepDecoder model =
          new ToyStepDecoder(manager, seed, vocab, SOURCE_VOCAB, 8, sharpness, eosBias);
      Random random = new Random(seed);
      List<int[]> sources =
          List.of(
              randomSource(random, 1 + random.nextInt(5)),
              randomSource(random, 3),
              randomSource(random, 1));
      // V^maxTokens live hypotheses: no candidate is ever left out of the beam.
      BeamSearch search =
          BeamSearch.builder()
              .beamSize((int) Math.pow(vocab, maxTokens))
              .nBest(nBest)
              .alpha(alpha)
              .beta(beta)
              .pruneWidth(Double.POSITIVE_INFINITY)
              .maxLength(0, maxTokens, maxTokens)
              .build();
      List<Translation> translations = search.search(manager, model, sources);
      for (int s = 0; s < sources.size(); s++) {
        model.stepRows.clear();
        Translation alone = search.search(manager, model, sources.get(s));
        if (model.stepRows.size() < maxTokens + 1) {
          earlyStops++;
        }
        for (int i = 0; i < nBest; i++) {
          assertEquals(
              alone.hypotheses().get(i).score(),
              translations.get(s).hypotheses().get(i).score(),
              TOL);
        }
      }
      for (int s = 0; s < sources.size(); s++) {
        int sourceLength = sources.get(s).length;
        List<Sequence> all = enumerate(model, sources.get(s), maxTokens);
        int count = 0;
        for (int t = 0; t <= maxTokens; t++) {
          count += (int) Math.pow(vocab - 1, t);
        }
        assertEquals(count, all.size());
        all.sort(
            Comparator.comparingDouble((Sequence y) -> gnmtScore(y, sourceLength, alpha, beta))
                .reversed());
        List<Hypothesis> found = translations.get(s).hypotheses();
        assertEquals(nBest, found.size());
        for (int i = 0; i < nBest; i++) {
          Sequence expected = all.get(i);
          double expectedScore = gnmtScore(expected, sourceLength, alpha, beta);
          Hypothesis h = found.get(i);
          String where = "alpha " + alpha + " seed " + seed + " sentence " + s + " rank " + i;
          assertEquals(expectedScore, h.score(), TOL, where);
          double gap =
              Math.min(
                  i == 0
                      ? Double.POSITIVE_INFINITY
                      : gnmtScore(all.get(i - 1), sourceLength, alpha, beta) - expectedScore,
                  expectedScore - gnmtScore(all.get(i + 1), sourceLength, alpha, beta));
          if (gap > TOL) {
            assertArrayEquals(expected.tokens, h.tokens(), where);
            assertEquals(expected.logProb, h.logProb(), TOL, where);
            assertEquals(expected.attention.length, h.attention().length, where);
            for (int j = 0; j < h.attention().length; j++) {
              assertArrayEquals(expected.attention[j], h.attention()[j], 1e-5f, where);
            }
          }
        }
      }
    }
    return earlyStops;
  }

  /** Arg-max decoding, one sentence at a time, EOS forced after {@code maxTokens}. */
  private static Sequence greedy(StepDecoder model, int[] source, int maxTokens) {
    try (NDManager m = manager.newSubManager()) {
      DecoderState state = model.start(m, List.of(source));
      int last = model.bos();
      List<Integer> tokens = new ArrayList<>();
      double logProb = 0;
      while (true) {
        StepOutput step = model.step(m, state, new int[] {last});
        float[] logProbs = step.logProbs().toFloatArray();
        int best = model.eos();
        if (tokens.size() < maxTokens) {
          for (int v = 0; v < logProbs.length; v++) {
            if (logProbs[v] > logProbs[best]) {
              best = v;
            }
          }
        }
        logProb += logProbs[best];
        if (best == model.eos()) {
          return new Sequence(
              tokens.stream().mapToInt(Integer::intValue).toArray(), logProb, new float[0][]);
        }
        tokens.add(best);
        last = best;
        state = step.next();
      }
    }
  }

  @Test
  void beamOneWithoutPenaltiesIsGreedy() {
    BeamSearch search =
        BeamSearch.builder().beamSize(1).alpha(0).beta(0).maxLength(1.5, 2, 12).build();
    int endedByEos = 0;
    for (long seed = 1; seed <= 6; seed++) {
      ToyStepDecoder model = new ToyStepDecoder(manager, seed, 9, SOURCE_VOCAB, 16, 2f, 1f);
      Random random = new Random(seed);
      List<int[]> sources = new ArrayList<>();
      for (int s = 0; s < 5; s++) {
        sources.add(randomSource(random, random.nextInt(7)));
      }
      List<Translation> translations = search.search(manager, model, sources);
      for (int s = 0; s < sources.size(); s++) {
        int maxTokens = search.maxTokens(sources.get(s).length);
        Sequence expected = greedy(model, sources.get(s), maxTokens);
        Hypothesis h = translations.get(s).best();
        assertEquals(1, translations.get(s).hypotheses().size());
        assertArrayEquals(expected.tokens, h.tokens(), "seed " + seed + " sentence " + s);
        assertEquals(expected.logProb, h.logProb(), TOL);
        assertEquals(h.logProb(), h.score(), 0.0);
        if (expected.tokens.length < maxTokens) {
          endedByEos++;
        }
      }
    }
    assertTrue(endedByEos > 0, "no greedy decoding ended with EOS before the maximum length");
  }

  @Test
  void coveragePenaltyIgnoresPadding() {
    BeamSearch search =
        BeamSearch.builder().beamSize(4).nBest(3).alpha(0.6).beta(0.5).pruneWidth(5).build();
    ToyStepDecoder model = new ToyStepDecoder(manager, 11, 8, SOURCE_VOCAB, 12, 1.5f, 0f);
    int[] shortOne = {3, 1, 4};
    int[] longOne = {2, 6, 5, 3, 5, 0, 2, 6, 1};
    Translation alone = search.search(manager, model, shortOne);
    List<Translation> batched = search.search(manager, model, List.of(longOne, shortOne));
    List<Translation> batchedAgain = search.search(manager, model, List.of(shortOne, longOne));
    assertEquals(3, alone.sourceLength());
    assertEquals(9, batched.get(0).sourceLength());
    for (Translation other : List.of(batched.get(1), batchedAgain.get(0))) {
      assertEquals(alone.hypotheses().size(), other.hypotheses().size());
      for (int i = 0; i < alone.hypotheses().size(); i++) {
        Hypothesis a = alone.hypotheses().get(i);
        Hypothesis b = other.hypotheses().get(i);
        assertArrayEquals(a.tokens(), b.tokens());
        assertEquals(a.score(), b.score(), 1e-5);
        assertEquals(a.logProb(), b.logProb(), 1e-5);
        assertEquals(3, b.attention()[0].length);
        assertTrue(Double.isFinite(b.score()));
      }
    }
    assertEquals(9, batched.get(0).best().attention()[0].length);
  }

  @Test
  void finishedSentencesLeaveTheBatch() {
    // Sentence 0 may have 1 token before EOS (2 steps), sentence 1 eight (9 steps).
    BeamSearch search =
        BeamSearch.builder()
            .beamSize(3)
            .alpha(0.2)
            .beta(0.2)
            .pruneWidth(Double.POSITIVE_INFINITY)
            .maxLength(1.0, 0, 100)
            .build();
    ToyStepDecoder model = new ToyStepDecoder(manager, 5, 6, SOURCE_VOCAB, 8, 1f, -3f);
    List<Translation> out = search.search(manager, model, List.of(new int[] {4}, new int[8]));
    List<Integer> rows = model.stepRows;
    assertEquals(List.of(2, 6), rows.subList(0, 2)); // one root row each, then 3 + 3 live
    assertTrue(rows.size() <= 9);
    for (int t = 2; t < rows.size(); t++) {
      assertTrue(rows.get(t) <= 3, "rows at step " + (t + 1) + ": " + rows);
    }
    assertTrue(out.get(0).best().tokens().length <= 1);
    assertTrue(out.get(1).best().tokens().length <= 8);
  }

  @Test
  void emptySourceGivesAHypothesis() {
    BeamSearch search = BeamSearch.builder().beamSize(3).nBest(2).build();
    ToyStepDecoder model = new ToyStepDecoder(manager, 3, 6, SOURCE_VOCAB, 8, 1f, 0f);
    Translation alone = search.search(manager, model, new int[0]);
    List<Translation> batched =
        search.search(manager, model, List.of(new int[0], new int[] {1, 2}));
    for (Translation t : List.of(alone, batched.get(0))) {
      assertEquals(0, t.sourceLength());
      assertEquals(2, t.hypotheses().size());
      Hypothesis best = t.best();
      assertTrue(best.tokens().length <= search.maxTokens(0));
      assertEquals(best.length(), best.attention().length);
      assertEquals(0, best.attention()[0].length);
      // No source position, no coverage penalty.
      assertEquals(
          best.logProb() / BeamSearch.lengthPenalty(best.length(), search.alpha()),
          best.score(),
          1e-9);
    }
    assertArrayEquals(alone.best().tokens(), batched.get(0).best().tokens());
    assertEquals(alone.best().score(), batched.get(0).best().score(), 1e-5);
    assertEquals(List.of(), search.search(manager, model, List.of()));
  }

  @Test
  void longSourceIsCappedAtTheMaximumLength() {
    BeamSearch search = BeamSearch.builder().beamSize(2).maxLength(2.0, 10, 30).build();
    assertEquals(30, search.maxTokens(400));
    assertEquals(16, search.maxTokens(3));
    // EOS is very unlikely: the search runs to the cap and forces EOS there.
    ToyStepDecoder model = new ToyStepDecoder(manager, 9, 6, SOURCE_VOCAB, 8, 1f, -30f);
    Translation t = search.search(manager, model, randomSource(new Random(1), 400));
    Hypothesis best = t.best();
    assertEquals(30, best.tokens().length);
    assertEquals(31, best.attention().length);
    assertEquals(400, best.attention()[30].length);
    assertEquals(31, model.stepRows.size());
    assertTrue(best.logProb() < -20);
  }

  @Test
  void manySearchesKeepLiveArraysFlat() {
    BeamSearch search = BeamSearch.builder().beamSize(4).nBest(2).maxLength(1.0, 3, 20).build();
    try (NDManager base = Seq4jEngine.get().newBaseManager()) {
      ToyStepDecoder model = new ToyStepDecoder(base, 2, 10, SOURCE_VOCAB, 8, 1.5f, 0f);
      Random random = new Random(4);
      List<Integer> live = new ArrayList<>();
      for (int call = 0; call < 150; call++) {
        List<int[]> sources = new ArrayList<>();
        for (int s = 0, n = 1 + random.nextInt(4); s < n; s++) {
          sources.add(randomSource(random, random.nextInt(8)));
        }
        search.search(base, model, sources);
        live.add(base.getManagedArrays().size());
      }
      for (int i = 0; i < live.size(); i++) {
        assertEquals(live.get(0), live.get(i), "live native arrays changed at call " + (i + 1));
      }
      // Within one long search, each step frees the previous one's arrays.
      ToyStepDecoder endless = new ToyStepDecoder(base, 2, 10, SOURCE_VOCAB, 8, 1.5f, -30f);
      endless.watched = base;
      BeamSearch.builder()
          .beamSize(4)
          .maxLength(0, 40, 40)
          .build()
          .search(base, endless, List.of(new int[] {1, 2, 3}, new int[] {4}));
      assertEquals(41, endless.liveArrays.size());
      for (int t = 2; t < endless.liveArrays.size(); t++) {
        assertEquals(
            endless.liveArrays.get(2),
            endless.liveArrays.get(t),
            "live native arrays changed at step " + (t + 1));
      }
    }
  }

  @Test
  void builderRejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> BeamSearch.builder().beamSize(0).build());
    assertThrows(
        IllegalArgumentException.class, () -> BeamSearch.builder().beamSize(2).nBest(3).build());
    assertThrows(IllegalArgumentException.class, () -> BeamSearch.builder().alpha(-0.1).build());
    assertThrows(IllegalArgumentException.class, () -> BeamSearch.builder().beta(-0.1).build());
    assertThrows(
        IllegalArgumentException.class, () -> BeamSearch.builder().pruneWidth(Double.NaN).build());
  }
}
