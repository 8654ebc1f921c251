package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JitWarmUpTest {
  private static final double WINDOW_S = 0.05;

  /** A call of about 2 ms; while {@code busy} says so, the "compiler" spends 10 ms per call. */
  private static Runnable call(AtomicLong calls, AtomicLong compileMs, long busyCalls) {
    return () -> {
      sleep(2);
      if (calls.incrementAndGet() <= busyCalls) {
        compileMs.addAndGet(10);
      }
    };
  }

  @Test
  void goesOnPastTheMinimumUntilTheCompilerIsQuietForAWindow() {
    AtomicLong calls = new AtomicLong();
    AtomicLong compileMs = new AtomicLong();
    JitWarmUp.Result r =
        JitWarmUp.run(call(calls, compileMs, 60), 0.02, 5.0, 1, WINDOW_S, compileMs::get);
    assertTrue(r.quiet());
    assertEquals(calls.get(), r.calls());
    assertTrue(r.calls() > 60, "stopped while compiling: " + r);
    // A whole window of quiet calls after the last busy one: 50 ms of calls of >= 2 ms.
    assertTrue(r.calls() <= 60 + 40, "went on long after the compiler was quiet: " + r);
    assertEquals(600, r.compileMs());
  }

  @Test
  void aQuietCompilerEndsAtTheMinimumTime() {
    AtomicLong calls = new AtomicLong();
    AtomicLong compileMs = new AtomicLong();
    JitWarmUp.Result r =
        JitWarmUp.run(call(calls, compileMs, 0), 0.1, 5.0, 1, WINDOW_S, compileMs::get);
    assertTrue(r.quiet());
    assertTrue(r.seconds() >= 0.1 && r.seconds() < 1.0, r.toString());
    assertEquals(0, r.compileMs());
  }

  @Test
  void aBusyCompilerEndsAtTheMaximumTime() {
    AtomicLong calls = new AtomicLong();
    AtomicLong compileMs = new AtomicLong();
    JitWarmUp.Result r =
        JitWarmUp.run(
            call(calls, compileMs, Long.MAX_VALUE), 0.02, 0.15, 1, WINDOW_S, compileMs::get);
    assertFalse(r.quiet());
    assertTrue(r.seconds() >= 0.15 && r.seconds() < 1.0, r.toString());
    assertEquals(10 * r.calls(), r.compileMs());
  }

  @Test
  void withoutACompilerClockItRunsTheMinimumTime() {
    AtomicLong calls = new AtomicLong();
    JitWarmUp.Result r =
        JitWarmUp.run(call(calls, new AtomicLong(), 0), 0.05, 5.0, 1, WINDOW_S, () -> -1);
    assertFalse(r.quiet());
    assertEquals(-1, r.compileMs());
    assertTrue(r.seconds() >= 0.05 && r.seconds() < 1.0, r.toString());
  }

  @Test
  void makesAtLeastTheMinimumNumberOfCalls() {
    AtomicLong calls = new AtomicLong();
    AtomicLong compileMs = new AtomicLong();
    JitWarmUp.Result r =
        JitWarmUp.run(call(calls, compileMs, 0), 0.001, 0.001, 25, 0.001, compileMs::get);
    assertEquals(25, r.calls());
  }

  @Test
  void rejectsBadLimits() {
    Runnable nothing = () -> {};
    assertThrows(IllegalArgumentException.class, () -> JitWarmUp.run(nothing, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> JitWarmUp.run(nothing, 2, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> JitWarmUp.run(nothing, 1, 2, 1, 0, () -> 0));
  }

  @Test
  void theBenchWarmsUpLongerWhileTheCompilerIsBusyAndSaysSo() {
    assertEquals(NmtBench.WARM_UP_S, NmtBench.warmUpS(0.2));
    assertEquals(NmtBench.MAX_WARM_UP_S, NmtBench.maxWarmUpS(0.2));
    // Quick runs (short rounds) keep short warm-ups.
    assertEquals(0.05, NmtBench.warmUpS(0.001), 1e-12);
    assertEquals(0.3, NmtBench.maxWarmUpS(0.001), 1e-12);
    assertEquals(
        "warm-up seq4j, x: 31.2 s, 22 calls, the JIT compiler was quiet (40 ms compiling)",
        NmtBench.warmUpNote("seq4j, x", new JitWarmUp.Result(31.24, 22, true, 40)));
    assertEquals(
        "warm-up seq4j, x: 60.0 s, 40 calls, the JIT compiler still busy (900 ms compiling)",
        NmtBench.warmUpNote("seq4j, x", new JitWarmUp.Result(60.0, 40, false, 900)));
  }

  @Test
  void theCompilerClockOfThisJvmCounts() {
    long ms = JitWarmUp.compilerClock().getAsLong();
    assertTrue(ms >= 0, "HotSpot reports its compile time: " + ms);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
