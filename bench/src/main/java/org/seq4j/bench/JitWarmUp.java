package org.seq4j.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Untimed calls until the JIT compiler has gone quiet: at least a minimum time, then until the
 * compiler spent at most a small share of the last few seconds compiling, or a maximum time.
 *
 * <p>A call that runs thousands of distinct Java paths (DJL's wrappers, a beam search's
 * bookkeeping) keeps HotSpot's compiler threads busy for tens of seconds, and on a machine with few
 * cores they take turns with the timed work. Timing must start after that, as a server's steady
 * state would see it. The compiler's activity is read from {@link
 * CompilationMXBean#getTotalCompilationTime()} (milliseconds spent compiling, summed over the
 * compiler threads); where the JVM does not report it, the warm-up lasts the minimum time.
 */
final class JitWarmUp {
  /** The window over which the compiler's share is measured, in seconds. */
  static final double WINDOW_S = 5.0;

  /** The compiler's largest share of the window's wall time for it to count as quiet. */
  static final double QUIET_SHARE = 0.02;

  private JitWarmUp() {}

  /**
   * What a warm-up did.
   *
   * @param seconds how long it ran
   * @param calls how many calls it made
   * @param quiet whether it ended because the compiler was quiet (false: it hit the maximum time,
   *     or the compiler's time is not reported)
   * @param compileMs the milliseconds the compiler spent during the warm-up, or -1 where unknown
   */
  record Result(double seconds, long calls, boolean quiet, long compileMs) {}

  /**
   * Calls {@code call} for at least {@code minS} seconds and {@code minCalls} calls, then until the
   * compiler has spent at most {@link #QUIET_SHARE} of the last {@code min(WINDOW_S, minS)} seconds
   * compiling, for at most {@code maxS} seconds in all.
   */
  static Result run(Runnable call, double minS, double maxS, long minCalls) {
    return run(call, minS, maxS, minCalls, Math.min(WINDOW_S, minS), compilerClock());
  }

  /**
   * {@link #run(Runnable, double, double, long)} with an explicit window and compiler clock
   * (milliseconds spent compiling so far, or a negative number where unknown).
   */
  static Result run(
      Runnable call, double minS, double maxS, long minCalls, double windowS, LongSupplier clock) {
    if (!(minS > 0) || !(maxS >= minS) || !(windowS > 0)) {
      throw new IllegalArgumentException(
          "need 0 < min <= max and a window > 0, got " + minS + ", " + maxS + ", " + windowS);
    }
    long start = System.nanoTime();
    long compileStart = clock.getAsLong();
    // (time, compile ms) after each call, back to the first one at least a window old.
    Deque<long[]> samples = new ArrayDeque<>();
    samples.addLast(new long[] {start, compileStart});
    long calls = 0;
    while (true) {
      call.run();
      calls++;
      long now = System.nanoTime();
      long compiled = clock.getAsLong();
      samples.addLast(new long[] {now, compiled});
      long windowNanos = (long) (windowS * 1e9);
      while (samples.size() > 2 && now - secondOldest(samples)[0] >= windowNanos) {
        samples.removeFirst();
      }
      double elapsedS = (now - start) / 1e9;
      boolean known = compileStart >= 0 && compiled >= 0;
      if (elapsedS >= minS && calls >= minCalls) {
        if (!known) {
          return new Result(elapsedS, calls, false, -1);
        }
        long[] oldest = samples.getFirst();
        double spanMs = (now - oldest[0]) / 1e6;
        if (spanMs >= windowS * 1e3 && compiled - oldest[1] <= QUIET_SHARE * spanMs) {
          return new Result(elapsedS, calls, true, compiled - compileStart);
        }
      }
      if (elapsedS >= maxS && calls >= minCalls) {
        return new Result(elapsedS, calls, false, known ? compiled - compileStart : -1);
      }
    }
  }

  private static long[] secondOldest(Deque<long[]> samples) {
    var it = samples.iterator();
    it.next();
    return it.next();
  }

  /** HotSpot's total compilation time in milliseconds, or -1 where the JVM does not report it. */
  static LongSupplier compilerClock() {
    CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    if (bean == null || !bean.isCompilationTimeMonitoringSupported()) {
      return () -> -1;
    }
    return bean::getTotalCompilationTime;
  }
}
