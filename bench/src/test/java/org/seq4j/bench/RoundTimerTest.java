package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoundTimerTest {
  @Test
  void roundLastsAtLeastTheMinimumAndCountsEveryCall() {
    AtomicLong calls = new AtomicLong();
    RoundTimer.Round round = RoundTimer.run(calls::incrementAndGet, 0.01);
    assertTrue(round.seconds() >= 0.01, "round too short: " + round);
    assertEquals(calls.get(), round.calls());
    // Batches double, so the count is 1 + 2 + 4 + ... = 2^k - 1.
    assertEquals(0, (round.calls() + 1) & round.calls());
    assertEquals(round.seconds() * 1e6 / round.calls(), round.usPerOp(), 1e-12);
  }

  @Test
  void rejectsNonPositiveMinimumTime() {
    assertThrows(IllegalArgumentException.class, () -> RoundTimer.run(() -> {}, 0));
  }

  @Test
  void countsHeapBytesAllocatedByTheCalls() {
    assumeTrue(ThreadAllocation.supported(), "no per-thread allocation counter");
    Object[] sink = new Object[1];
    RoundTimer.Round round = RoundTimer.run(() -> sink[0] = new byte[4096], 0.01);
    assertTrue(round.heapBytesPerOp() >= 4096, "too few bytes: " + round);
    assertTrue(round.heapBytesPerOp() < 8192, "too many bytes: " + round);
  }
}
