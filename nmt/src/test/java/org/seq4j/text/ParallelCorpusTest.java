package org.seq4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelCorpusTest {

  @Test
  void tsvRoundTrips(@TempDir Path dir) throws IOException {
    List<SentencePair> pairs =
        List.of(new SentencePair("a b", "c d", "x.1"), new SentencePair("é", "ü 😀", "x.2"));
    Path file = dir.resolve("p.tsv");
    ParallelCorpus.writeTsv(file, pairs);
    assertEquals(pairs, ParallelCorpus.readTsv(file));
  }

  @Test
  void tsvWithoutIdsNumbersTheLines(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.tsv");
    Files.writeString(file, "a\tb\r\nc\td\n");
    assertEquals(
        List.of(new SentencePair("a", "b", "1"), new SentencePair("c", "d", "2")),
        ParallelCorpus.readTsv(file));
  }

  @Test
  void missingTabNamesTheLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.tsv");
    Files.writeString(file, "a\tb\nno tab here\n");
    IOException e = assertThrows(IOException.class, () -> ParallelCorpus.readTsv(file));
    assertEquals(file + " line 2: no tab; expected 'source TAB target [TAB id]'", e.getMessage());
  }

  @Test
  void emptyCorpusIsAnError(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.tsv");
    Files.writeString(file, "");
    IOException e = assertThrows(IOException.class, () -> ParallelCorpus.readTsv(file));
    assertEquals(file + " holds no sentence pairs", e.getMessage());
  }

  @Test
  void alignedFilesMustHaveTheSameLineCount(@TempDir Path dir) throws IOException {
    Path src = dir.resolve("train.de");
    Path tgt = dir.resolve("train.en");
    Files.writeString(src, "eins\nzwei\ndrei\n");
    Files.writeString(tgt, "one\ntwo\n");
    IOException e = assertThrows(IOException.class, () -> ParallelCorpus.readAligned(src, tgt));
    assertEquals("line counts differ: " + src + " has 3 lines, " + tgt + " has 2", e.getMessage());
    Files.writeString(tgt, "one\ntwo\nthree");
    assertEquals(
        new SentencePair("drei", "three", "3"), ParallelCorpus.readAligned(src, tgt).get(2));
  }

  @Test
  void invalidUtf8NamesTheFileAndLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("latin1.tsv");
    Files.write(file, "ok\tfine\nbad\t".getBytes(StandardCharsets.UTF_8));
    Files.write(file, new byte[] {(byte) 0xE9, '\n'}, java.nio.file.StandardOpenOption.APPEND);
    IOException e = assertThrows(IOException.class, () -> ParallelCorpus.readTsv(file));
    assertEquals(file + " is not valid UTF-8 text (line 2, byte offset 12: 0xe9)", e.getMessage());
  }

  @Test
  void missingFileIsAnError(@TempDir Path dir) {
    IOException e =
        assertThrows(IOException.class, () -> ParallelCorpus.readTsv(dir.resolve("none.tsv")));
    assertEquals("no such file: " + dir.resolve("none.tsv"), e.getMessage());
  }

  @Test
  void tabsCannotBeWritten(@TempDir Path dir) {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ParallelCorpus.writeTsv(
                dir.resolve("x.tsv"), List.of(new SentencePair("a\tb", "c", "1"))));
  }
}
