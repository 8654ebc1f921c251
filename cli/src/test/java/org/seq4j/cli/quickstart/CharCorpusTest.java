package org.seq4j.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharCorpusTest {

  @Test
  void holdsOutEveryKthParagraph(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("t.txt");
    Files.writeString(f, "aa\n\nbb\n\ncc\n\ndd\n\n\n\nee 😀\n\nff\n");
    CharCorpus c = CharCorpus.read(List.of(f), 3);
    // Paragraphs 3 (cc) and 6 (ff) are held out; each paragraph is followed by "\n\n".
    assertEquals("aa\n\nbb\n\ndd\n\nee 😀\n\n".codePoints().count(), c.train().length);
    // "cc\n\nff\n\n" without 'c' and 'f', which training never saw.
    assertEquals(4, c.validation().length);
    assertEquals("😀", c.character(c.id("😀".codePointAt(0))));
    assertEquals(-1, c.id('c'));
    assertTrue(c.vocabularySize() >= 6);
  }

  @Test
  void tooSmallOrBadCorporaAreClearErrors(@TempDir Path dir) throws IOException {
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "\n\n");
    IOException ex = assertThrows(IOException.class, () -> CharCorpus.read(List.of(empty), 10));
    assertTrue(ex.getMessage().contains("too small"), ex.getMessage());
    Path binary = dir.resolve("bad.txt");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3});
    ex = assertThrows(IOException.class, () -> CharCorpus.read(List.of(binary), 10));
    assertTrue(ex.getMessage().contains("not valid UTF-8"), ex.getMessage());
  }
}
