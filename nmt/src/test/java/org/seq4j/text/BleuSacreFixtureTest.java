package org.seq4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agreement with the real sacreBLEU on random corpora and sentences ({@code fixtures/bleu.json},
 * made by {@code tools/fixtures_bleu.py}): the 13a tokenization, the counts and lengths exactly,
 * the scores and precisions within 1e-9, and the printed score line character for character.
 */
class BleuSacreFixtureTest {
  private static JsonNode doc;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = BleuSacreFixtureTest.class.getResourceAsStream("/fixtures/bleu.json")) {
      doc = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void tokenizer13aMatches() {
    int n = 0;
    for (JsonNode t : doc.get("tokenize_13a")) {
      String line = t.get("line").asText();
      assertEquals(
          t.get("tokens").asText(),
          BleuTokenizer.thirteenA().tokenize(PythonText.rstrip(line)),
          line);
      n++;
    }
    assertTrue(n >= 300, "only " + n + " lines");
  }

  @Test
  void corpusScoresMatch() {
    double worst = 0;
    for (JsonNode c : doc.get("corpora")) {
      List<String> hyps = strings(c.get("hyps"));
      List<List<String>> refs = new ArrayList<>();
      c.get("refs").forEach(r -> refs.add(strings(r)));
      BleuScore s = Bleu.sacreDefault().corpusScore(hyps, refs);
      worst = Math.max(worst, check(c, s));
      assertEquals(c.get("signature").asText().replaceAll("\\|version:.*$", ""), signature(refs));
    }
    System.out.println("corpus BLEU vs sacreBLEU: worst difference " + worst);
    assertTrue(worst <= 1e-9, "worst difference " + worst);
  }

  @Test
  void sentenceScoresMatch() {
    double worst = 0;
    for (JsonNode c : doc.get("sentences")) {
      String hyp = c.get("hyp").asText();
      List<String> refs = strings(c.get("refs"));
      worst =
          Math.max(
              worst, check(c.get("effective"), Bleu.sentenceDefault().sentenceScore(hyp, refs)));
      worst =
          Math.max(worst, check(c.get("default"), Bleu.sacreDefault().sentenceScore(hyp, refs)));
    }
    System.out.println("sentence BLEU vs sacreBLEU: worst difference " + worst);
    assertTrue(worst <= 1e-9, "worst difference " + worst);
  }

  private static String signature(List<List<String>> refs) {
    return Bleu.sacreDefault().signature(refs.size());
  }

  /** Checks one score against sacreBLEU's; returns the largest difference in score/precisions. */
  private static double check(JsonNode expected, BleuScore s) {
    String where = expected.get("formatted").asText();
    assertEquals(expected.get("sys_len").asLong(), s.stats().hypLength(), where);
    assertEquals(expected.get("ref_len").asLong(), s.stats().refLength(), where);
    assertArrayEquals(longs(expected.get("counts")), s.stats().correct(), where);
    assertArrayEquals(longs(expected.get("totals")), s.stats().total(), where);
    assertEquals(expected.get("bp").asDouble(), s.brevityPenalty(), 1e-12, where);
    double worst = Math.abs(expected.get("score").asDouble() - s.score());
    double[] p = s.precisions();
    for (int i = 0; i < p.length; i++) {
      worst = Math.max(worst, Math.abs(expected.get("precisions").get(i).asDouble() - p[i]));
    }
    assertEquals(where, s.format());
    return worst;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
