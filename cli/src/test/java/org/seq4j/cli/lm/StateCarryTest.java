package org.seq4j.cli.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class StateCarryTest {
  private static HostState state(float v) {
    return new HostState(new long[] {1, 1, 1}, new float[] {v}, null);
  }

  @Test
  void theStateGoesToTheNextChunkOnly() {
    StateCarry carry = new StateCarry();
    assertNull(carry.initialFor(0, 0), "nothing stored yet");
    HostState a = state(1);
    carry.store(0, 3, a);
    assertSame(a, carry.initialFor(0, 4));
    assertNull(carry.initialFor(0, 5), "a gap: the state belongs to another position");
    assertNull(carry.initialFor(0, 3), "not for the chunk that made it");
    assertNull(carry.initialFor(1, 4), "another epoch");
  }

  @Test
  void everyEpochStartsFromZeros() {
    StateCarry carry = new StateCarry();
    carry.store(0, 286, state(1));
    assertNull(carry.initialFor(1, 0));
    carry.store(1, 0, state(2));
    assertEquals(2f, carry.initialFor(1, 1).h()[0]);
  }

  @Test
  void aResumedRunStartsFromZeros() {
    // A fresh task (as after a resume) has no state for the chunk it resumes at.
    StateCarry carry = new StateCarry();
    assertNull(carry.initialFor(3, 120));
    carry.store(3, 120, state(1));
    carry.reset();
    assertNull(carry.initialFor(3, 121));
  }
}
