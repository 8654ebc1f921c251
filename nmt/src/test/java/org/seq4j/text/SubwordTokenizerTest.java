package org.seq4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubwordTokenizerTest {
  private static final String[] SAMPLE = {
    "In the beginning God created the heaven and the earth.",
    "And the earth was without form, and void; and darkness was upon the face of the deep.",
    "En el principio crió Dios los cielos y la tierra.",
    "Y la tierra estaba desordenada y vacía, y las tinieblas estaban sobre la haz del abismo.",
    "Mein Hund folgt mir auf Schritt und Tritt.",
    "¿Qué? ¡Señor! «Zürich» — naïve café, 3.14 and 1,000.",
  };

  private static SubwordTokenizer model;

  @BeforeAll
  static void train() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.addAll(List.of(SAMPLE));
    }
    model = new BpeTrainer(new BpeTrainer.Options(600, 0.9999, true, 2)).train(texts);
  }

  @Test
  void specialIdsAreFixed() {
    assertEquals("<pad>", model.piece(SubwordTokenizer.PAD));
    assertEquals("<unk>", model.piece(SubwordTokenizer.UNK));
    assertEquals("<s>", model.piece(SubwordTokenizer.BOS));
    assertEquals("</s>", model.piece(SubwordTokenizer.EOS));
    assertEquals("<0x00>", model.piece(4));
    assertEquals("<0xFF>", model.piece(259));
    assertEquals("▁", model.piece(260));
  }

  @Test
  void wordsStartWithTheMarker() {
    assertEquals(List.of("▁In", "▁the", "▁beginning"), model.encodeAsPieces("In the beginning"));
    assertEquals("In the beginning", model.decode(model.encode("In the beginning")));
  }

  @Test
  void edgeCasesRoundTrip() {
    String[] cases = {
      "",
      " ",
      "  ",
      " leading",
      "trailing ",
      "two  spaces",
      "\t",
      "tab\there",
      "line\nbreak\r\n",
      "▁",
      "▁▁ ▁ x▁y",
      "<unk> <s> </s> <pad> <0x41>",
      "\uD800",
      "a\uDC00b",
      "\uDBFF\uDFFF",
      "😀 emoji 🇪🇸",
      "\u0000\u001F\u007F\u200B\uFEFF",
      "e\u0301 combining",
    };
    for (String s : cases) {
      assertEquals(s, model.decode(model.encode(s)), () -> "'" + s + "'");
    }
    assertArrayEquals(new int[0], model.encode(""));
  }

  @Test
  void randomUnicodeRoundTrips() {
    Random rng = new Random(20261127);
    int[][] ranges = {
      {0x20, 0x7E},
      {0x00, 0x1F},
      {0xA0, 0x24F},
      {0x370, 0x3FF},
      {0x400, 0x4FF},
      {0x590, 0x6FF},
      {0x2000, 0x206F},
      {0x2580, 0x2582},
      {0x3000, 0x30FF},
      {0x4E00, 0x9FFF},
      {0xD800, 0xDFFF},
      {0xE000, 0xF8FF},
      {0xFFF0, 0xFFFF},
      {0x1F300, 0x1FAFF},
      {0x10000, 0x10FFFF},
    };
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      StringBuilder s = new StringBuilder();
      int len = rng.nextInt(40);
      for (int k = 0; k < len; k++) {
        double r = rng.nextDouble();
        if (r < 0.2) {
          s.append(' ');
        } else if (r < 0.5) {
          s.append(SAMPLE[rng.nextInt(SAMPLE.length)].charAt(rng.nextInt(20)));
        } else {
          int[] range = ranges[rng.nextInt(ranges.length)];
          s.appendCodePoint(range[0] + rng.nextInt(range[1] - range[0] + 1));
        }
      }
      String text = s.toString();
      int[] ids = model.encode(text);
      for (int id : ids) {
        assertTrue(id > SubwordTokenizer.EOS && id < model.size());
      }
      assertEquals(text, model.decode(ids), () -> "seed 20261127, string " + text);
    }
  }

  @Test
  void withoutByteFallbackUnknownCharactersBecomeUnk() {
    SubwordTokenizer noBytes =
        new BpeTrainer(new BpeTrainer.Options(400, 1.0, false, 2)).train(List.of(SAMPLE));
    int[] ids = noBytes.encode("God 東京");
    assertEquals(SubwordTokenizer.UNK, ids[ids.length - 1]);
    assertEquals(SubwordTokenizer.UNK, ids[ids.length - 2]);
    assertEquals("God ⁇⁇", noBytes.decode(ids));
    assertEquals("God created", noBytes.decode(noBytes.encode("God created")));
  }

  @Test
  void decodeSkipsControlIdsAndRejectsUnknownIds() {
    int[] ids = model.encode("the earth");
    int[] framed = new int[ids.length + 3];
    framed[0] = SubwordTokenizer.BOS;
    System.arraycopy(ids, 0, framed, 1, ids.length);
    framed[ids.length + 1] = SubwordTokenizer.EOS;
    framed[ids.length + 2] = SubwordTokenizer.PAD;
    assertEquals("the earth", model.decode(framed));
    assertEquals("\uFFFD", model.decode(new int[] {4 + 0xE2}));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> model.decode(new int[] {-1}));
    assertEquals("piece id -1 is outside the vocabulary [0, " + model.size() + ")", e.getMessage());
  }

  @Test
  void saveAndLoadGiveTheSameModel(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.txt");
    model.save(file);
    SubwordTokenizer loaded = SubwordTokenizer.load(file);
    assertEquals(model.size(), loaded.size());
    for (int id = 0; id < model.size(); id++) {
      assertEquals(model.piece(id), loaded.piece(id));
      assertEquals(model.kind(id), loaded.kind(id));
    }
    for (String s : SAMPLE) {
      assertArrayEquals(model.encode(s), loaded.encode(s));
    }
    Path again = dir.resolve("again.txt");
    loaded.save(again);
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(text.contains("\tmerge\t▁the\t"), "the file is readable");
  }

  @Test
  void badModelFilesAreClearErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.txt");
    model.save(file);
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    int firstMerge = 0;
    while (!lines.get(firstMerge).contains("\tmerge\t")) {
      firstMerge++;
    }
    lines.set(firstMerge, lines.get(firstMerge).replaceFirst("\tmerge\t[^\t]+", "\tmerge\tXY"));
    Files.write(dir.resolve("bad.txt"), lines);
    IOException e =
        assertThrows(IOException.class, () -> SubwordTokenizer.load(dir.resolve("bad.txt")));
    assertTrue(e.getMessage().contains("line " + (firstMerge + 1)), e.getMessage());
    assertThrows(
        java.io.FileNotFoundException.class,
        () -> SubwordTokenizer.load(dir.resolve("missing.txt")));
    Files.writeString(dir.resolve("other.txt"), "not a model\n");
    IOException other =
        assertThrows(IOException.class, () -> SubwordTokenizer.load(dir.resolve("other.txt")));
    assertTrue(other.getMessage().contains("is not a seq4j tokenizer model"), other.getMessage());
  }

  @Test
  void escapesRoundTrip() {
    for (String s : new String[] {"\t", "\n", "\\", "\u0000", "\u00A0", "\uD800", "a b", "▁x"}) {
      assertEquals(s, PieceEscapes.unescape(PieceEscapes.escape(s)));
      assertTrue(
          PieceEscapes.escape(s).indexOf('\t') < 0 && PieceEscapes.escape(s).indexOf('\n') < 0);
    }
  }
}
