package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.text.SentencePair;

class TranslationDataTest {

  private static List<SentencePair> pairs(int n) {
    List<SentencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new SentencePair("source " + i + ".", "target " + i + ".", "p" + i));
    }
    return out;
  }

  private static Path fetched(Path dataDir, String name) throws IOException {
    Path dir = dataDir.resolve(name);
    new CorpusSplits(pairs(20), pairs(3), pairs(2)).write(dir);
    return dir;
  }

  @Test
  void aFetchedDataSetReadsItsSplitsInEitherDirection(@TempDir Path dataDir) throws IOException {
    fetched(dataDir, "bible-en-es");
    TranslationData own = TranslationData.load(List.of("bible-en-es"), dataDir, null);
    assertEquals("en-es", own.direction());
    assertEquals("bible-en-es (en-es)", own.description());
    assertEquals(20, own.splits().train().size());
    assertEquals(3, own.splits().dev().size());
    assertEquals(2, own.splits().test().size());
    assertEquals("source 0.", own.splits().train().get(0).source());

    TranslationData reverse = TranslationData.load(List.of("bible-en-es"), dataDir, "ES-EN");
    assertEquals("es-en", reverse.direction());
    assertEquals("target 0.", reverse.splits().train().get(0).source());
    assertEquals("source 0.", reverse.splits().train().get(0).target());
    assertEquals("p0", reverse.splits().train().get(0).id());
    assertEquals(40, reverse.trainingText().size());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TranslationData.load(List.of("bible-en-es"), dataDir, "de-en"));
    assertEquals("--direction for bible-en-es: en-es or es-en, got de-en", e.getMessage());
  }

  @Test
  void aDataSetNotFetchedSaysHowToFetchIt(@TempDir Path dataDir) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TranslationData.load(List.of("ding-de-en"), dataDir, null));
    assertTrue(e.getMessage().contains("seq4j data fetch ding-de-en"), e.getMessage());
    assertTrue(e.getMessage().contains(dataDir.resolve("ding-de-en").toString()), e.getMessage());
  }

  @Test
  void unknownDataIsNamed(@TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TranslationData.load(List.of("europarl"), dir, null));
    assertEquals(
        "unknown data 'europarl': not a fetched data set (bible-en-es, ding-de-en), nor an"
            + " existing file or folder",
        e.getMessage());
  }

  @Test
  void aTsvFileIsSplitBySourceHash(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("corpus.tsv");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      text.append("sentence number ").append(i).append('\t').append("Satz ").append(i);
      text.append('\n');
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
    TranslationData data = TranslationData.load(List.of(file.toString()), dir, null);
    assertEquals("", data.direction());
    assertEquals(TranslationData.HASH_RULE, data.splitRule());
    CorpusSplits s = data.splits();
    assertEquals(2000, s.size());
    // About 2% each, and every pair where its hash says.
    assertTrue(s.dev().size() > 15 && s.dev().size() < 70, "dev " + s.dev().size());
    assertTrue(s.test().size() > 15 && s.test().size() < 70, "test " + s.test().size());
    for (String split : CorpusSplits.NAMES) {
      for (SentencePair p : s.split(split)) {
        assertEquals(split, TranslationData.splitOf(p.source()));
      }
    }
    // The same rule as ding-de-en's.
    assertEquals(DingCorpus.splitOf("Das ist gut."), TranslationData.splitOf("Das ist gut."));
  }

  @Test
  void aSmallCorpusStillGetsDevAndTestPairs(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tiny.tsv");
    Files.writeString(file, "a\tA\nb\tB\nc\tC\nd\tD\n");
    CorpusSplits s = TranslationData.load(List.of(file.toString()), dir, null).splits();
    assertFalse(s.dev().isEmpty());
    assertFalse(s.test().isEmpty());
    assertFalse(s.train().isEmpty());
    assertEquals(4, s.size());
    Set<String> all = new HashSet<>();
    for (String split : CorpusSplits.NAMES) {
      s.split(split).forEach(p -> all.add(p.source()));
    }
    assertEquals(Set.of("a", "b", "c", "d"), all);
  }

  @Test
  void twoAlignedFilesAndACorpusFolderLoad(@TempDir Path dir) throws IOException {
    Path src = dir.resolve("train.de");
    Path tgt = dir.resolve("train.en");
    Files.writeString(src, "eins\nzwei\ndrei\nvier\nfünf\n");
    Files.writeString(tgt, "one\ntwo\nthree\nfour\nfive\n");
    TranslationData aligned =
        TranslationData.load(List.of(src.toString(), tgt.toString()), dir, null);
    assertEquals(5, aligned.splits().size());
    assertEquals(src + " + " + tgt, aligned.description());

    Path folder = dir.resolve("corpus");
    new CorpusSplits(pairs(5), pairs(2), List.of()).write(folder);
    TranslationData fromFolder = TranslationData.load(List.of(folder.toString()), dir, null);
    assertEquals(5, fromFolder.splits().train().size());
    assertEquals(2, fromFolder.splits().dev().size());
    assertTrue(fromFolder.splits().test().isEmpty());
  }

  @Test
  void badCorporaGetClearErrors(@TempDir Path dir) throws IOException {
    Path src = dir.resolve("a.txt");
    Path tgt = dir.resolve("b.txt");
    Files.writeString(src, "eins\nzwei\ndrei\n");
    Files.writeString(tgt, "one\ntwo\n");
    IOException misaligned =
        assertThrows(
            IOException.class,
            () -> TranslationData.load(List.of(src.toString(), tgt.toString()), dir, null));
    assertEquals(
        "line counts differ: " + src + " has 3 lines, " + tgt + " has 2", misaligned.getMessage());

    Path noTab = dir.resolve("bad.tsv");
    Files.writeString(noTab, "a\tb\nno tab\n");
    IOException malformed =
        assertThrows(
            IOException.class, () -> TranslationData.load(List.of(noTab.toString()), dir, null));
    assertTrue(malformed.getMessage().contains("line 2: no tab"), malformed.getMessage());

    Path empty = dir.resolve("empty.tsv");
    Files.writeString(empty, "");
    IOException none =
        assertThrows(
            IOException.class, () -> TranslationData.load(List.of(empty.toString()), dir, null));
    assertEquals(empty + " holds no sentence pairs", none.getMessage());

    Path folder = dir.resolve("nodev");
    new CorpusSplits(pairs(5), List.of(), pairs(1)).write(folder);
    IllegalArgumentException noDev =
        assertThrows(
            IllegalArgumentException.class,
            () -> TranslationData.load(List.of(folder.toString()), dir, null));
    assertEquals(folder + ": no dev pairs, which validation needs", noDev.getMessage());

    Path notCorpus = dir.resolve("other");
    Files.createDirectories(notCorpus);
    IllegalArgumentException noTrain =
        assertThrows(
            IllegalArgumentException.class,
            () -> TranslationData.load(List.of(notCorpus.toString()), dir, null));
    assertTrue(noTrain.getMessage().contains("has no train.tsv"), noTrain.getMessage());

    IllegalArgumentException direction =
        assertThrows(
            IllegalArgumentException.class,
            () -> TranslationData.load(List.of(noTab.toString()), dir, "en-de"));
    assertTrue(direction.getMessage().startsWith("--direction applies to"), direction.getMessage());
  }
}
