package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.seq4j.nn.Attention;

/** {@link GnmtConfig}: defaults, JSON both ways, and values out of range. */
class GnmtConfigTest {

  @Test
  void defaultsAreSmallAndThePaperIsAvailable() {
    GnmtConfig small = GnmtConfig.small(8000);
    assertEquals(256, small.hiddenSize());
    assertEquals(4, small.encoderLayers());
    assertEquals(4, small.decoderLayers());
    assertEquals(Attention.Kind.NORMALIZED_BAHDANAU, small.attention());
    assertEquals(GnmtConfig.Query.GNMT_V2, small.query());
    assertEquals(3, small.residualFrom());
    assertTrue(small.tiedProjection() && small.sharedEmbedding());
    GnmtConfig paper = GnmtConfig.paper(32000);
    assertEquals(1024, paper.hiddenSize());
    assertEquals(8, paper.encoderLayers());
    assertEquals(8, paper.decoderLayers());
    assertFalse(paper.tiedProjection());
    assertFalse(paper.residual(2));
    assertTrue(paper.residual(3));
  }

  @Test
  void jsonRoundTripsEveryField() {
    GnmtConfig[] configs = {
      GnmtConfig.small(100),
      GnmtConfig.paper(32000),
      GnmtConfig.small(50)
          .withTying(false, false)
          .withSizes(16, 24)
          .withLayers(3, 5)
          .withDropout(0.3f)
          .withAttention(Attention.Kind.LUONG)
          .withQuery(GnmtConfig.Query.GNMT)
          .withResidualFrom(0)
          .withSpecialIds(1, 5, 7)
    };
    for (GnmtConfig c : configs) {
      assertEquals(c, GnmtConfig.fromJson(c.toJsonString()));
      assertEquals(c, GnmtConfig.readFrom(c.toJson()));
    }
    ObjectNode json = GnmtConfig.small(100).toJson();
    assertEquals("gnmt", json.get("model").asText());
    assertEquals("normalized_bahdanau", json.get("attention").asText());
    assertEquals("gnmt_v2", json.get("attention_query").asText());
  }

  @Test
  void badJsonIsRejectedWithTheField() {
    ObjectNode json = GnmtConfig.small(100).toJson();
    json.remove("hidden");
    assertMessage("has no 'hidden'", () -> GnmtConfig.readFrom(json));
    ObjectNode typed = GnmtConfig.small(100).toJson().put("tied_projection", "yes");
    assertMessage("'tied_projection' has the wrong type", () -> GnmtConfig.readFrom(typed));
    ObjectNode kind = GnmtConfig.small(100).toJson().put("attention", "dot");
    assertMessage("unknown attention 'dot'", () -> GnmtConfig.readFrom(kind));
    ObjectNode query = GnmtConfig.small(100).toJson().put("attention_query", "v3");
    assertMessage("unknown attention query 'v3'", () -> GnmtConfig.readFrom(query));
    ObjectNode model = GnmtConfig.small(100).toJson().put("model", "wavenet");
    assertMessage("'wavenet' model, not gnmt", () -> GnmtConfig.readFrom(model));
    assertMessage("not valid JSON", () -> GnmtConfig.fromJson("{"));
  }

  @Test
  void valuesOutOfRangeAreRejectedWithTheirName() {
    GnmtConfig c = GnmtConfig.small(100);
    assertMessage("vocabularySize: must be positive", () -> GnmtConfig.small(0));
    assertMessage("encoderLayers: at least 2", () -> c.withLayers(1, 4));
    assertMessage("decoderLayers: at least 2", () -> c.withLayers(4, 1));
    assertMessage("dropout: must be in [0, 1)", () -> c.withDropout(1f));
    assertMessage("residualFrom: 0 (none) or a layer number from 3", () -> c.withResidualFrom(2));
    assertMessage("tiedProjection: needs embeddingSize == hiddenSize", () -> c.withSizes(8, 16));
    assertMessage("eos: must be an id in [0, 100)", () -> c.withSpecialIds(0, 2, 100));
    assertMessage("pad, bos and eos must differ", () -> c.withSpecialIds(0, 2, 2));
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call);
    assertTrue(
        ex.getMessage().contains(expected),
        "message '" + ex.getMessage() + "' lacks '" + expected + "'");
  }
}
