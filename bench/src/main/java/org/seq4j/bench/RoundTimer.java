package org.seq4j.bench;

/**
 * Times one round of repeated calls, with the policy the Python peers follow too: call in batches
 * that double in size (1, 2, 4, ...), read the clock only between batches, and stop once at least
 * the minimum time has passed. The clock is therefore read about log2(calls) times per round, which
 * keeps its cost out of even sub-microsecond calls.
 */
public final class RoundTimer {
  private RoundTimer() {}

  /** The outcome of a round: how long it took and how many calls it made. */
  public record Round(double seconds, long calls) {
    /** Microseconds per call. */
    public double usPerOp() {
      return seconds * 1e6 / calls;
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
    long start = System.nanoTime();
    while (true) {
      for (long i = 0; i < batch; i++) {
        call.run();
      }
      calls += batch;
      long elapsed = System.nanoTime() - start;
      if (elapsed >= minNanos) {
        return new Round(elapsed / 1e9, calls);
      }
      batch *= 2;
    }
  }
}
