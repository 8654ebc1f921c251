package org.seq4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {

  private static List<String> tinyCorpus() {
    List<String> texts = new ArrayList<>();
    texts.addAll(Collections.nCopies(5, "low"));
    texts.addAll(Collections.nCopies(2, "lower"));
    texts.addAll(Collections.nCopies(6, "newest"));
    texts.addAll(Collections.nCopies(3, "widest"));
    Collections.shuffle(texts, new Random(1));
    return texts;
  }

  @Test
  void learnsTheKnownMergesOfSennrichsExample() {
    // 4 specials + 256 bytes + 11 characters (the marker and e w s t l o n d i r) + 10 merges.
    SubwordTokenizer model =
        new BpeTrainer(new BpeTrainer.Options(281, 1.0, true, 2)).train(tinyCorpus());
    assertEquals(281, model.size());
    assertEquals(11, model.characterCount());
    List<String> learned = new ArrayList<>();
    for (int id = 271; id < 281; id++) {
      assertEquals(SubwordTokenizer.Kind.MERGE, model.kind(id));
      learned.add(model.piece(id));
    }
    // Counts 9, 9, 7, 7, 7, 6, 6, 6, 6, 3; ties go to the smaller left id (▁ < e < w < ... by
    // frequency), so "▁l" (7) comes before "ow" (7).
    assertEquals(
        List.of("es", "est", "▁l", "ow", "▁low", "▁n", "ew", "▁new", "▁newest", "▁w"), learned);
    assertEquals(
        List.of("▁low", "e", "r", "▁newest", "▁w", "i", "d", "est"),
        model.encodeAsPieces("lower newest widest"));
  }

  @Test
  void stopsWhenNoPairOccursTwice() {
    SubwordTokenizer model =
        new BpeTrainer(new BpeTrainer.Options(10_000, 1.0, true, 2)).train(tinyCorpus());
    assertEquals(model.size(), 271 + model.mergeCount());
    assertEquals("▁lower", String.join("", model.encodeAsPieces("lower")));
  }

  @Test
  void incrementalCountsGiveTheMergesOfNaiveRecounting() {
    Random rng = new Random(7);
    String letters = "aaabbcdeeeefghiilmnnoorrsstu";
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder line = new StringBuilder();
      int words = 1 + rng.nextInt(8);
      for (int w = 0; w < words; w++) {
        if (w > 0) {
          line.append(' ');
        }
        int len = 1 + rng.nextInt(7);
        for (int k = 0; k < len; k++) {
          line.append(letters.charAt(rng.nextInt(letters.length())));
        }
      }
      texts.add(line.toString());
    }
    SubwordTokenizer model =
        new BpeTrainer(new BpeTrainer.Options(4 + 256 + 18 + 300, 1.0, true, 2)).train(texts);
    assertEquals(300, model.mergeCount());
    List<int[]> expected = naiveMerges(BpeTrainer.countWords(texts), model, model.mergeCount());
    List<int[]> actual = model.merges();
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "merge " + i);
    }
  }

  /** The textbook algorithm: recount every pair after every merge; same tie rule. */
  private static List<int[]> naiveMerges(
      Map<String, Long> wordCounts, SubwordTokenizer model, int maxMerges) {
    List<int[]> words = new ArrayList<>();
    List<Long> freqs = new ArrayList<>();
    wordCounts.forEach(
        (w, c) -> {
          words.add(model.spell(w));
          freqs.add(c);
        });
    List<int[]> merges = new ArrayList<>();
    int nextId = model.size() - model.mergeCount();
    while (merges.size() < maxMerges) {
      Map<Long, Long> counts = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        int[] s = words.get(w);
        for (int i = 0; i + 1 < s.length; i++) {
          counts.merge(SubwordTokenizer.pairKey(s[i], s[i + 1]), freqs.get(w), Long::sum);
        }
      }
      long best = -1;
      long bestCount = 0;
      for (Map.Entry<Long, Long> e : counts.entrySet()) {
        long p = e.getKey();
        long c = e.getValue();
        if (c > bestCount || (c == bestCount && Long.compareUnsigned(p, best) < 0)) {
          best = p;
          bestCount = c;
        }
      }
      if (bestCount < 2) {
        break;
      }
      int left = (int) (best >>> 32);
      int right = (int) best;
      merges.add(new int[] {left, right});
      for (int w = 0; w < words.size(); w++) {
        words.set(w, BpeTrainer.merge(words.get(w), left, right, nextId));
      }
      nextId++;
    }
    return merges;
  }

  @Test
  void rareCharactersAreLeftOutByCoverage() {
    List<String> texts = new ArrayList<>(Collections.nCopies(2000, "aaaa bbbb"));
    texts.add("z");
    SubwordTokenizer model =
        new BpeTrainer(new BpeTrainer.Options(300, 0.9999, true, 2)).train(texts);
    assertEquals(false, model.knows('z'));
    assertEquals(List.of("▁", "<0x7A>"), model.encodeAsPieces("z"));
    assertEquals("z", model.decode(model.encode("z")));
  }

  @Test
  void tooSmallAVocabularyIsAClearError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BpeTrainer(new BpeTrainer.Options(100, 1.0, true, 2)).train(tinyCorpus()));
    assertEquals(
        "vocabulary size 100 is below the 271 pieces the specials, bytes and characters need;"
            + " raise it or lower the character coverage",
        e.getMessage());
  }

  @Test
  void trainingDoesNotDependOnInputOrder() {
    List<String> a = tinyCorpus();
    List<String> b = new ArrayList<>(a);
    Collections.reverse(b);
    BpeTrainer trainer = new BpeTrainer(new BpeTrainer.Options(281, 1.0, true, 2));
    SubwordTokenizer ma = trainer.train(a);
    SubwordTokenizer mb = trainer.train(b);
    for (int id = 0; id < ma.size(); id++) {
      assertEquals(ma.piece(id), mb.piece(id));
    }
  }
}
