package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianOfOddCountIsMiddleValue() {
    assertEquals(3.0, Stats.median(5, 1, 3));
    assertEquals(2.0, Stats.median(9, 2, 1, 7, 2));
  }

  @Test
  void medianOfEvenCountIsMeanOfMiddleValues() {
    assertEquals(2.5, Stats.median(4, 1, 3, 2));
  }

  @Test
  void medianDoesNotReorderInput() {
    double[] values = {3, 1, 2};
    Stats.median(values);
    assertEquals(3.0, values[0]);
  }

  @Test
  void medianOfNothingIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Stats.median());
  }

  @Test
  void minAndMax() {
    assertEquals(1.0, Stats.min(3, 1, 2));
    assertEquals(3.0, Stats.max(3, 1, 2));
  }
}
