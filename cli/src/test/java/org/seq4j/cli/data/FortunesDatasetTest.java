package org.seq4j.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FortunesDatasetTest {

  /** A quote directory laid out as the Debian package lays it out. */
  private static Path packageTree(Path root) throws IOException {
    Path quotes = root.resolve(FortunesDataset.QUOTE_DIR);
    Files.createDirectories(quotes);
    Files.writeString(quotes.resolve("zippy"), "Are we having fun yet?\n%\nYow!\n%\n");
    Files.writeString(quotes.resolve("art"), "Art is long.\n%\nLife is short.\n%\n");
    Files.writeString(quotes.resolve("linux"), "Ünïcödé\n\t-- a kernel hacker\n%\n");
    Files.write(quotes.resolve("art.dat"), new byte[] {0, 0, 0, 2, (byte) 0xff});
    Files.createSymbolicLink(quotes.resolve("art.u8"), Path.of("art"));
    Files.createSymbolicLink(quotes.resolve("other"), Path.of("zippy"));
    Files.createDirectories(quotes.resolve("off"));
    return quotes;
  }

  @Test
  void quoteFilesAreTheRegularFilesWithoutIndexOrDuplicate(@TempDir Path dir) throws IOException {
    Path quotes = packageTree(dir);
    List<String> names =
        FortunesDataset.quoteFiles(quotes).stream().map(p -> p.getFileName().toString()).toList();
    assertEquals(List.of("art", "linux", "zippy"), names);
  }

  @Test
  void assembleWritesOneFileInNameOrderAndTheSourceList(@TempDir Path dir) throws IOException {
    Path quotes = packageTree(dir.resolve("pkg"));
    Path out = dir.resolve("data").resolve("fortunes");
    FortunesDataset.Result r = FortunesDataset.assemble(quotes, out, "test package 1.0");
    assertEquals(out.resolve("fortunes.txt"), r.text());
    assertEquals(5, r.quotes());
    String text = Files.readString(r.text(), StandardCharsets.UTF_8);
    assertEquals(
        "Art is long.\n%\nLife is short.\n%\nÜnïcödé\n\t-- a kernel hacker\n%\n"
            + "Are we having fun yet?\n%\nYow!\n%\n",
        text);
    assertEquals(Files.size(r.text()), r.bytes());
    assertEquals(
        List.of(
            new FortunesDataset.Source("art", 2, Files.size(quotes.resolve("art"))),
            new FortunesDataset.Source("linux", 1, Files.size(quotes.resolve("linux"))),
            new FortunesDataset.Source("zippy", 2, Files.size(quotes.resolve("zippy")))),
        r.sources());
    List<String> lines = Files.readAllLines(r.sourcesFile());
    assertEquals("# test package 1.0", lines.get(0));
    assertEquals("art\t2\t" + Files.size(quotes.resolve("art")), lines.get(2));
    assertEquals(5, lines.size());
    // Running it again gives the same bytes.
    FortunesDataset.assemble(quotes, out, "test package 1.0");
    assertEquals(text, Files.readString(r.text(), StandardCharsets.UTF_8));
  }

  @Test
  void aNonUtf8QuoteFileIsNamed(@TempDir Path dir) throws IOException {
    Path quotes = packageTree(dir);
    Files.write(quotes.resolve("bad"), new byte[] {'o', 'k', '\n', (byte) 0xe9, '\n'});
    IOException ex =
        assertThrows(
            IOException.class, () -> FortunesDataset.assemble(quotes, dir.resolve("o"), "x"));
    assertTrue(ex.getMessage().contains("bad is not valid UTF-8 text"), ex.getMessage());
    assertTrue(ex.getMessage().contains("at offset 3"), ex.getMessage());
  }

  @Test
  void aMissingQuoteDirectoryIsAClearError(@TempDir Path dir) {
    IOException ex =
        assertThrows(
            IOException.class,
            () -> FortunesDataset.assemble(dir.resolve("nope"), dir.resolve("o"), "x"));
    assertTrue(ex.getMessage().startsWith("no quote directory"), ex.getMessage());
  }
}
