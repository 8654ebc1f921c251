package org.seq4j.cli.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VocabularyTest {

  @Test
  void idsFollowCodePointOrderAfterUnk() {
    Vocabulary v = Vocabulary.of("cab\nbac");
    assertEquals(5, v.size()); // UNK, '\n', a, b, c
    assertEquals(Vocabulary.UNK, 0);
    assertArrayEquals(new int[] {1, 2, 3, 4}, v.encode("\nabc"));
    assertEquals("\nabc", v.characters());
    assertEquals("b", v.character(3));
  }

  @Test
  void unknownCharactersMapToUnkAndAreCounted() {
    Vocabulary v = Vocabulary.of("abc");
    assertArrayEquals(new int[] {1, 0, 3, 0}, v.encode("axc😀"));
    assertEquals(2, v.countUnknown("axc😀"));
    assertFalse(v.contains('x'));
    assertEquals(Vocabulary.UNK_TEXT, v.character(Vocabulary.UNK));
    assertThrows(IllegalArgumentException.class, () -> v.character(4));
  }

  @Test
  void charactersRoundTripThroughTheCheckpointConfig() throws Exception {
    // Control characters, a backspace as in the fortunes, and a character outside the BMP.
    Vocabulary v = Vocabulary.of("tab\tbell\u0007bs\bé😀\n");
    CharRnnConfig config = new CharRnnConfig("GRU", v, 8, 16, 2, 0.25f);
    ObjectMapper json = new ObjectMapper();
    String text = json.writeValueAsString(config.writeTo(json.createObjectNode()));
    JsonNode node = json.readTree(text);
    CharRnnConfig back = CharRnnConfig.readFrom(node);
    assertEquals(v.characters(), back.vocabulary().characters());
    assertEquals(v.size(), back.vocabulary().size());
    assertEquals("gru", back.cell());
    assertEquals(16, back.hidden());
    assertEquals(0.25f, back.dropout());
    int emoji = "😀".codePointAt(0);
    assertEquals(v.id(emoji), back.vocabulary().id(emoji));
    assertTrue(v.id(emoji) > 0);
  }

  @Test
  void aConfigWithoutAVocabularyIsAClearError() throws Exception {
    JsonNode node = new ObjectMapper().readTree("{\"model\":\"lstm\",\"hidden\":8}");
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> CharRnnConfig.readFrom(node));
    assertTrue(ex.getMessage().contains("no 'vocabulary'"), ex.getMessage());
  }

  @Test
  void unknownCellsAreRejected() {
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> CharRnnConfig.checkCell("transformer"));
    assertEquals("unknown model 'transformer': choose one of lstm, gru, rnn", ex.getMessage());
    assertEquals("lstm", CharRnnConfig.checkCell("LSTM"));
  }
}
