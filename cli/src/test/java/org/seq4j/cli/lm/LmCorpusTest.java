package org.seq4j.cli.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.data.Documents;

class LmCorpusTest {

  /** Quotes "q1" ... "qN"; quote 20 and 40 also hold characters no training quote has. */
  private static String quotes(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      s.append("q").append(i).append(i % 20 == 0 ? " ¿Zé?" : "").append("\n%\n");
    }
    return s.toString();
  }

  @Test
  void everyTwentiethQuoteIsHeldOut() throws IOException {
    LmCorpus c = LmCorpus.of(quotes(45), "test");
    assertEquals(Documents.Kind.QUOTES, c.kind());
    assertEquals(45, c.documents());
    assertEquals("q20 ¿Zé?\n%\nq40 ¿Zé?\n%\n", c.validationText());
    assertTrue(c.trainText().startsWith("q1\n%\nq2\n%\n"));
    assertTrue(c.trainText().contains("q19\n%\nq21\n%\n"));
    assertTrue(c.trainText().endsWith("q45\n%\n"));
    assertEquals(c.trainText().length(), c.train().length);
  }

  @Test
  void theVocabularyComesFromTrainingAndUnknownValidationCharactersAreUnk() throws IOException {
    LmCorpus c = LmCorpus.of(quotes(45), "test");
    Vocabulary v = c.vocabulary();
    // Training quotes hold only 'q', digits, newlines and the separator.
    assertEquals("\n%0123456789q", v.characters());
    // " ¿Zé?" is unknown: 5 characters in each of the 2 validation quotes.
    assertEquals(10, c.unknownInValidation());
    int[] first = java.util.Arrays.copyOf(c.validation(), 9);
    assertArrayEquals(
        new int[] {v.id('q'), v.id('2'), v.id('0'), 0, 0, 0, 0, 0, v.id('\n')}, first);
    assertEquals(c.validationText().length(), c.validation().length);
  }

  @Test
  void plainTextIsSplitIntoParagraphs() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= 25; i++) {
      s.append("Paragraph ").append(i).append(".\nSecond line.\n\n");
    }
    LmCorpus c = LmCorpus.of(s.toString(), "plain");
    assertEquals(Documents.Kind.PARAGRAPHS, c.kind());
    assertEquals("Paragraph 20.\nSecond line.\n\n", c.validationText());
  }

  @Test
  void emptyTinyAndNonUtf8TextsAreClearErrors(@TempDir Path dir) throws IOException {
    IOException ex = assertThrows(IOException.class, () -> LmCorpus.of(" \n\n", "e.txt"));
    assertEquals("e.txt is empty", ex.getMessage());
    ex = assertThrows(IOException.class, () -> LmCorpus.of(quotes(19), "small.txt"));
    assertTrue(ex.getMessage().startsWith("small.txt is too small: it has 19 documents"));
    Path bad = dir.resolve("latin1.txt");
    Files.write(bad, new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
    ex = assertThrows(IOException.class, () -> LmCorpus.read(bad));
    assertEquals(bad + " is not valid UTF-8 text (bad byte 0xe9 at offset 3)", ex.getMessage());
    ex = assertThrows(IOException.class, () -> LmCorpus.read(dir.resolve("missing.txt")));
    assertEquals("no such text file: " + dir.resolve("missing.txt"), ex.getMessage());
  }
}
