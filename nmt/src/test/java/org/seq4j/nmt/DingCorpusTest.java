package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seq4j.text.SentencePair;

class DingCorpusTest {

  @Test
  void annotationsAreRemoved() {
    assertEquals("Das ist mir egal.", DingCorpus.clean("Das ist mir egal [ugs.] {adj} <egal>."));
    assertEquals("That's the same to me.", DingCorpus.clean("That's (all) the same to me [Br.]."));
    assertEquals("Aal", DingCorpus.clean("Aal {m}"));
  }

  @Test
  void sentencesNeedThreeWordsAndFinalPunctuation() {
    assertTrue(DingCorpus.isSentence("Er kommt morgen."));
    assertTrue(DingCorpus.isSentence("Kommt er morgen?"));
    assertTrue(DingCorpus.isSentence("Sie sagte „Ja.“"));
    assertFalse(DingCorpus.isSentence("Komm her!"));
    assertFalse(DingCorpus.isSentence("eel stock"));
  }

  @Test
  void entriesAreAlignedBySubEntryAndSplitByHash() {
    List<String> lines =
        List.of(
            "# comment",
            "Aal {m} | Aale {pl} :: eel | eels",
            "Er kommt morgen. | Er kam gestern.; Gestern kam er. :: He is coming tomorrow. | He"
                + " came yesterday.",
            "Das geht nicht. | zwei :: That won't work.",
            "kein Trenner",
            "Er kommt morgen. :: He is coming tomorrow.");
    DingCorpus.Result r = DingCorpus.build(lines);
    assertEquals(5, r.entries());
    assertEquals(1, r.mismatched());
    assertEquals(1, r.malformed());
    assertEquals(1, r.duplicates());
    List<SentencePair> all = new java.util.ArrayList<>(r.splits().train());
    all.addAll(r.splits().dev());
    all.addAll(r.splits().test());
    assertEquals(2, all.size());
    assertTrue(
        all.stream()
            .anyMatch(
                p ->
                    p.source().equals("Er kam gestern.")
                        && p.target().equals("He came yesterday.")));
  }

  @Test
  void splitIsStableAndAboutTwoTwoNinetySix() {
    assertEquals(DingCorpus.splitOf("Er kommt morgen."), DingCorpus.splitOf("Er kommt morgen."));
    int test = 0;
    int dev = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String s = DingCorpus.splitOf("Satz Nummer " + i + ".");
      test += s.equals("test") ? 1 : 0;
      dev += s.equals("dev") ? 1 : 0;
    }
    assertEquals(0.02, test / (double) n, 0.005);
    assertEquals(0.02, dev / (double) n, 0.005);
  }

  @Test
  void bibleBooksAreSplitAsDocumented() {
    assertEquals("test", BibleCorpus.splitOf("John"));
    assertEquals("dev", BibleCorpus.splitOf("Ruth"));
    assertEquals("dev", BibleCorpus.splitOf("Jonah"));
    assertEquals("dev", BibleCorpus.splitOf("Phil"));
    assertEquals("train", BibleCorpus.splitOf("1John"));
    assertEquals("train", BibleCorpus.splitOf("Gen"));
  }
}
