package org.seq4j.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.seq4j.cli.lm.TextChunk;
import org.seq4j.cli.lm.TextStreams;

class CharTcnTaskTest {
  /** Two streams of 50: ids 0..49 and 100..149. */
  private static TextStreams streams() {
    int[] ids = new int[100];
    for (int i = 0; i < 100; i++) {
      ids[i] = i < 50 ? i : 50 + i;
    }
    return new TextStreams(ids, 2);
  }

  @Test
  void aWindowReadsTheContextBeforeTheChunkWithoutScoringIt() {
    TextChunk w = CharTcnTask.window(streams(), 20, 10, 6);
    assertEquals(2, w.streams());
    assertEquals(16, w.length());
    long[] first = Arrays.copyOfRange(w.inputs(), 0, 16);
    long[] firstTargets = Arrays.copyOfRange(w.targets(), 0, 16);
    long[] expected = new long[16];
    long[] expectedTargets = new long[16];
    for (int t = 0; t < 16; t++) {
      expected[t] = 14 + t;
      expectedTargets[t] = t < 6 ? CharTcnTask.IGNORE : 15 + t;
    }
    assertArrayEquals(expected, first);
    assertArrayEquals(expectedTargets, firstTargets);
    assertEquals(114, w.inputs()[16], "the second stream starts its window at 14 too");
    assertEquals(121, w.targets()[16 + 6], "its first scored target is character 21");
  }

  @Test
  void theContextIsShorterAtTheStartAndTheChunkAtTheEndOfAStream() {
    TextChunk start = CharTcnTask.window(streams(), 0, 10, 6);
    assertEquals(10, start.length());
    assertEquals(1, start.targets()[0]);
    TextChunk end = CharTcnTask.window(streams(), 40, 10, 6);
    assertEquals(6 + 9, end.length(), "49 characters of 50 have a target");
    assertEquals(49, end.targets()[end.length() - 1]);
  }

  @Test
  void nearestFindsTheArgumentWhoseSizeIsClosest() {
    assertEquals(10, ConvVsRecurrent.nearest(x -> (long) x * x, 100, 1, 1000));
    assertEquals(10, ConvVsRecurrent.nearest(x -> (long) x * x, 109, 1, 1000));
    assertEquals(11, ConvVsRecurrent.nearest(x -> (long) x * x, 112, 1, 1000));
    assertEquals(1, ConvVsRecurrent.nearest(x -> (long) x * x, 0, 1, 1000));
    assertEquals(1000, ConvVsRecurrent.nearest(x -> (long) x * x, 1L << 40, 1, 1000));
  }
}
