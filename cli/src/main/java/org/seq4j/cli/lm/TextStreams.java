package org.seq4j.cli.lm;

/**
 * A text cut into {@code B} parallel streams for truncated back-propagation through time: stream
 * {@code b} is characters {@code [b*L, (b+1)*L)} of the text, {@code L = n / B} (the last {@code n
 * mod B} characters are left out). Chunk {@code k} of length {@code T} holds characters {@code
 * [k*T, k*T + T)} of every stream as inputs and the characters one further as targets, so chunk
 * {@code k + 1} continues exactly where chunk {@code k} stopped, in every stream, and a recurrent
 * state carried from one chunk to the next sees each stream as one long text.
 */
public final class TextStreams {
  private final int[] ids;
  private final int streams;
  private final int length;

  /**
   * @param ids the text
   * @param streams the number of streams, B
   * @throws IllegalArgumentException if a stream would be shorter than 2 characters
   */
  public TextStreams(int[] ids, int streams) {
    if (streams <= 0) {
      throw new IllegalArgumentException("the number of streams must be > 0, got " + streams);
    }
    this.ids = ids;
    this.streams = streams;
    this.length = ids.length / streams;
    if (length < 2) {
      throw new IllegalArgumentException(
          "a text of " + ids.length + " characters is too short for " + streams + " streams");
    }
  }

  /** The number of streams, B. */
  public int streams() {
    return streams;
  }

  /** The characters per stream, L. */
  public int length() {
    return length;
  }

  /**
   * The number of full chunks of {@code chunkLength} characters, {@code (L - 1) / T}: the inputs
   * and their targets of every full chunk lie inside the streams. The rest of each stream is
   * skipped in training.
   */
  public int fullChunks(int chunkLength) {
    checkLength(chunkLength);
    return (length - 1) / chunkLength;
  }

  /** The full chunk {@code index}: characters {@code [index*T, index*T + T)} of every stream. */
  public TextChunk chunk(int index, int chunkLength) {
    int chunks = fullChunks(chunkLength);
    if (index < 0 || index >= chunks) {
      throw new IllegalArgumentException(
          "chunk " + index + " is outside the " + chunks + " chunks of " + chunkLength);
    }
    return slice(index * chunkLength, chunkLength);
  }

  /**
   * The characters {@code [start, start + n)} of every stream, {@code n = min(maxLength, L - 1 -
   * start)}: consecutive calls with {@code start = 0, T, 2T, ...} while {@code start < L - 1} cover
   * every character of every stream but the first as a target once (how validation reads the whole
   * text).
   */
  public TextChunk slice(int start, int maxLength) {
    checkLength(maxLength);
    if (start < 0 || start >= length - 1) {
      throw new IllegalArgumentException(
          "start " + start + " is outside [0, " + (length - 1) + ")");
    }
    int n = Math.min(maxLength, length - 1 - start);
    long[] inputs = new long[streams * n];
    long[] targets = new long[streams * n];
    for (int b = 0; b < streams; b++) {
      int from = b * length + start;
      for (int t = 0; t < n; t++) {
        inputs[b * n + t] = ids[from + t];
        targets[b * n + t] = ids[from + t + 1];
      }
    }
    return new TextChunk(streams, n, inputs, targets);
  }

  private static void checkLength(int chunkLength) {
    if (chunkLength <= 0) {
      throw new IllegalArgumentException("the chunk length must be > 0, got " + chunkLength);
    }
  }
}
