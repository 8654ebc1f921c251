package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
