package org.seq4j.cli.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextStreamsTest {
  /** ids 0, 1, ..., n - 1: every id is its own position. */
  private static int[] positions(int n) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return ids;
  }

  @Test
  void streamsAreContiguousSlicesOfTheText() {
    TextStreams s = new TextStreams(positions(103), 4); // L = 25, 3 characters left out
    assertEquals(25, s.length());
    assertEquals(4, s.fullChunks(6)); // (25 - 1) / 6
    TextChunk c = s.chunk(1, 6);
    assertEquals(4, c.streams());
    assertEquals(6, c.length());
    // Stream 2 starts at 50; chunk 1 is its characters 6..11, targets one further.
    assertArrayEquals(
        new long[] {56, 57, 58, 59, 60, 61}, java.util.Arrays.copyOfRange(c.inputs(), 12, 18));
    assertArrayEquals(
        new long[] {57, 58, 59, 60, 61, 62}, java.util.Arrays.copyOfRange(c.targets(), 12, 18));
  }

  @Test
  void consecutiveChunksContinueEveryStream() {
    TextStreams s = new TextStreams(positions(1000), 8);
    int t = 7;
    for (int k = 0; k + 1 < s.fullChunks(t); k++) {
      TextChunk a = s.chunk(k, t);
      TextChunk b = s.chunk(k + 1, t);
      for (int stream = 0; stream < 8; stream++) {
        long lastTarget = a.targets()[stream * t + t - 1];
        long firstInput = b.inputs()[stream * t];
        assertEquals(lastTarget, firstInput, "stream " + stream + " after chunk " + k);
        assertEquals(stream * s.length() + (long) k * t, a.inputs()[stream * t]);
      }
    }
    // The last full chunk's targets stay inside the stream.
    TextChunk last = s.chunk(s.fullChunks(t) - 1, t);
    assertEquals(true, last.targets()[t - 1] < s.length());
  }

  @Test
  void slicesCoverEveryTargetOnce() {
    TextStreams s = new TextStreams(positions(50), 3); // L = 16
    long targets = 0;
    long expectedNext = 1;
    for (int start = 0; start < s.length() - 1; start += 4) {
      TextChunk c = s.slice(start, 4);
      assertEquals(Math.min(4, s.length() - 1 - start), c.length());
      assertEquals(expectedNext, c.targets()[0]);
      expectedNext = c.targets()[c.length() - 1] + 1;
      targets += (long) c.streams() * c.length();
    }
    assertEquals(3 * 15, targets);
    assertEquals(16, expectedNext);
  }

  @Test
  void impossibleRequestsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new TextStreams(positions(5), 3));
    TextStreams s = new TextStreams(positions(40), 2);
    assertThrows(IllegalArgumentException.class, () -> s.chunk(s.fullChunks(5), 5));
    assertThrows(IllegalArgumentException.class, () -> s.slice(19, 5));
    assertThrows(IllegalArgumentException.class, () -> s.fullChunks(0));
  }

  @Test
  void validationUsesFewerStreamsForShortTexts() {
    assertEquals(64, CharLmTask.validationStreams(125_000, 64, 128));
    assertEquals(3, CharLmTask.validationStreams(400, 64, 128));
    assertEquals(1, CharLmTask.validationStreams(20, 64, 128));
  }
}
