package org.seq4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small zText module written here in SWORD's layout, read back. */
class ZTextReaderTest {
  private static final Versification TINY =
      new Versification(
          List.of(
              new Versification.Book("Aa", "Aa", Versification.Testament.OT, new int[] {2, 1}),
              new Versification.Book("Bb", "Bb", Versification.Testament.OT, new int[] {3}),
              new Versification.Book("Cc", "Cc", Versification.Testament.NT, new int[] {2})));

  @Test
  void kjvVersificationHasTheCanonicalCounts() {
    Versification kjv = Versification.kjv();
    assertEquals(66, kjv.books().size());
    assertEquals(31_102, kjv.verseCount());
    assertEquals(23_145, kjv.verses(Versification.Testament.OT).size());
    assertEquals(7_957, kjv.verses(Versification.Testament.NT).size());
    assertEquals(21, kjv.book("John").orElseThrow().chapters());
    assertEquals(176, kjv.book("Ps").orElseThrow().verses(119));
  }

  @Test
  void readsVersesAcrossBlocks(@TempDir Path dir) throws IOException {
    // OT: headings, Aa intro, Aa.1 heading, 2 verses, Aa.2 heading, 1 verse, Bb intro, Bb.1
    // heading,
    // 3 verses; two blocks (one per book, as BlockType=BOOK).
    writeTestament(
        dir,
        "ot",
        List.of(
            List.of("", "importer", "Aa intro", "ch", "Aa one one", "Aa one two", "ch", "Aa 2:1"),
            List.of("Bb intro", "ch", "Bb 1:1 é", "", "Bb 1:3")));
    writeTestament(dir, "nt", List.of(List.of("", "", "", "ch", "Cc 1:1", "Cc 1:2 ünïcödé")));
    Map<Versification.VerseKey, String> verses = new ZTextReader(dir, TINY).readVerses();
    List<String> got = new ArrayList<>();
    verses.forEach((k, v) -> got.add(k.osisRef() + "=" + v));
    assertEquals(
        List.of(
            "Aa.1.1=Aa one one",
            "Aa.1.2=Aa one two",
            "Aa.2.1=Aa 2:1",
            "Bb.1.1=Bb 1:1 é",
            "Bb.1.2=",
            "Bb.1.3=Bb 1:3",
            "Cc.1.1=Cc 1:1",
            "Cc.1.2=Cc 1:2 ünïcödé"),
        got);
  }

  @Test
  void anotherVersificationIsAClearError(@TempDir Path dir) throws IOException {
    writeTestament(dir, "ot", List.of(List.of("", "", "x", "y")));
    writeTestament(dir, "nt", List.of(List.of("", "", "", "ch", "a", "b")));
    IOException e = assertThrows(IOException.class, () -> new ZTextReader(dir, TINY).readVerses());
    assertTrue(e.getMessage().contains("another versification?"), e.getMessage());
  }

  /** Writes .bzs/.bzv/.bzz for entries grouped in blocks; the entries follow the index order. */
  static void writeTestament(Path dir, String prefix, List<List<String>> blocks)
      throws IOException {
    ByteArrayOutputStream bzz = new ByteArrayOutputStream();
    ByteBuffer bzs = ByteBuffer.allocate(12 * blocks.size()).order(ByteOrder.LITTLE_ENDIAN);
    int entries = blocks.stream().mapToInt(List::size).sum();
    ByteBuffer bzv = ByteBuffer.allocate(10 * entries).order(ByteOrder.LITTLE_ENDIAN);
    for (int b = 0; b < blocks.size(); b++) {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      for (String text : blocks.get(b)) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        bzv.putInt(b).putInt(raw.size()).putShort((short) bytes.length);
        raw.write(bytes);
      }
      byte[] plain = raw.toByteArray();
      Deflater deflater = new Deflater();
      deflater.setInput(plain);
      deflater.finish();
      byte[] buf = new byte[plain.length + 64];
      int n = deflater.deflate(buf);
      deflater.end();
      bzs.putInt(bzz.size()).putInt(n).putInt(plain.length);
      bzz.write(buf, 0, n);
    }
    Files.write(dir.resolve(prefix + ".bzs"), bzs.array());
    Files.write(dir.resolve(prefix + ".bzv"), bzv.array());
    Files.write(dir.resolve(prefix + ".bzz"), bzz.toByteArray());
  }
}
