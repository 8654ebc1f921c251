package org.seq4j.bench;

/**
 * Times one round of repeated calls, with the policy the Python peers follow too: call in batches
 * that double in size (1, 2, 4, ...), read the clock only between batches, and stop once at least
 * the minimum time has passed. The clock is therefore read about log2(calls) times per round, which
 * keeps its cost out of even sub-microsecond calls.
 *
 * <p>The round also records the bytes the calling thread allocated on the Java heap during the
 * calls ({@link ThreadAllocation}); the timing loop itself allocates nothing.
 */
public final class RoundTimer {
  private RoundTimer() {}

  /**
   * The outcome of a round: how long it took, how many calls it made and how many bytes they
   * allocated on the Java heap.
   *
   * @param seconds the round's length
   * @param calls the number of calls made
   * @param heapBytes the Java heap bytes allocated by the calling thread, or -1 where unknown
   */
  public record Round(double seconds, long calls, long heapBytes) {
    /** A round whose allocations were not measured. */
    public Round(double seconds, long calls) {
      this(seconds, calls, -1);
    }

    /** Microseconds per call. */
    public double usPerOp() {
      return seconds * 1e6 / calls;
    }

    /** Java heap bytes allocated per call, or {@code NaN} where unknown. */
    public double heapBytesPerOp() {
      return heapBytes < 0 ? Double.NaN : (double) heapBytes / calls;
    }
  }

  /** Runs one round of {@code call} lasting at least {@code minTimeS} seconds. */
  public static Round run(Runnable call, double minTimeS) {
    if (!(minTimeS > 0)) {
      throw new IllegalArgumentException("minimum round time must be > 0, got " + minTimeS);
    }
    long minNanos = (long) (minTimeS * 1e9);
    long calls = 0;
    long batch = 1;
    long bytesBefore = ThreadAllocation.currentThreadBytes();
    long start = System.nanoTime();
    while (true) {
      for (long i = 0; i < batch; i++) {
        call.run();
      }
      calls += batch;
      long elapsed = System.nanoTime() - start;
      if (elapsed >= minNanos) {
        long bytesAfter = ThreadAllocation.currentThreadBytes();
        long heapBytes = bytesBefore < 0 || bytesAfter < 0 ? -1 : bytesAfter - bytesBefore;
        return new Round(elapsed / 1e9, calls, heapBytes);
      }
      batch *= 2;
    }
  }
}
