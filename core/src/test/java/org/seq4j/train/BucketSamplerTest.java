package org.seq4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BucketSamplerTest {
  private static int[] lengths(int n, long seed) {
    Random r = new Random(seed);
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = 1 + r.nextInt(60);
    }
    return l;
  }

  @Test
  void everyExampleOnceUnderTheTokenBudget() {
    int[] lengths = lengths(1000, 1);
    BucketSampler s = new BucketSampler(lengths, 256, 3);
    for (long epoch = 0; epoch < 3; epoch++) {
      Set<Integer> seen = new HashSet<>();
      for (int b = 0; b < s.batchesPerEpoch(); b++) {
        int[] batch = s.batch(epoch, b);
        int max = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
        assertTrue(batch.length * max <= 256, "batch over budget");
        for (int i : batch) {
          assertTrue(seen.add(i), "example " + i + " twice in epoch " + epoch);
        }
      }
      assertEquals(1000, seen.size());
    }
  }

  @Test
  void batchesGroupSimilarLengths() {
    int[] lengths = lengths(2000, 2);
    BucketSampler s = new BucketSampler(lengths, 600, 3);
    long padded = 0;
    long real = 0;
    for (int b = 0; b < s.batchesPerEpoch(); b++) {
      int[] batch = s.batch(0, b);
      int max = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
      padded += (long) max * batch.length;
      real += Arrays.stream(batch).map(i -> lengths[i]).sum();
    }
    assertTrue(real > 0.9 * padded, "padding overhead too high: " + real + "/" + padded);
  }

  @Test
  void seededAndDifferentPerEpoch() {
    int[] lengths = lengths(500, 3);
    BucketSampler a = new BucketSampler(lengths, 200, 9);
    BucketSampler b = new BucketSampler(lengths, 200, 9);
    assertArrayEquals(a.batch(1, 4), b.batch(1, 4));
    assertArrayEquals(a.batch(0, 0), b.batch(0, 0));
    boolean differs = false;
    for (int i = 0; i < a.batchesPerEpoch(); i++) {
      differs |= !Arrays.equals(a.batch(0, i), a.batch(1, i));
    }
    assertTrue(differs, "epochs should be shuffled differently");
    BucketSampler c = new BucketSampler(lengths, 200, 10);
    boolean seedMatters = false;
    for (int i = 0; i < a.batchesPerEpoch(); i++) {
      seedMatters |= !Arrays.equals(a.batch(0, i), c.batch(0, i));
    }
    assertTrue(seedMatters);
  }

  @Test
  void longExampleGetsItsOwnBatchAndBadInputIsRejected() {
    BucketSampler s = new BucketSampler(new int[] {5, 500, 5}, 100, 0);
    boolean alone = false;
    for (int b = 0; b < s.batchesPerEpoch(); b++) {
      int[] batch = s.batch(0, b);
      alone |= batch.length == 1 && batch[0] == 1;
    }
    assertTrue(alone);
    assertThrows(IllegalArgumentException.class, () -> new BucketSampler(new int[0], 10, 0));
    assertThrows(IllegalArgumentException.class, () -> new BucketSampler(new int[] {3, 0}, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> new BucketSampler(new int[] {3}, 0, 0));
    assertFalse(s.batchesPerEpoch() == 0);
  }
}
