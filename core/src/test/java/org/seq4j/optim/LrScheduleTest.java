package org.seq4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seq4j.io.SafeTensors;
import org.seq4j.testing.Parity;

/**
 * Parity of {@link LrSchedule} with torch's schedulers on {@code fixtures/schedules.safetensors}
 * (written by {@code tools/fixtures_optim.py}): the rates are stored as float32, so they are
 * compared with a relative tolerance of 1e-6.
 */
class LrScheduleTest {

  private static final double TOLERANCE = 1e-6;

  private static Map<String, SafeTensors.TensorData> fx;
  private static Map<String, String> meta;

  @BeforeAll
  static void loadFixtures() throws Exception {
    Path path = Parity.fixture("schedules.safetensors");
    SafeTensors.Contents contents = SafeTensors.read(path);
    fx = contents.tensors();
    meta = contents.metadata();
  }

  @Test
  void warmupInverseSqrtMatchesLambdaLr() {
    LrSchedule s =
        LrSchedule.warmupInverseSqrt(
            number("inverse_sqrt.lr"), integer("inverse_sqrt.warmup_steps"));
    assertMatches("inverse_sqrt", s);
    long warmup = integer("inverse_sqrt.warmup_steps");
    assertEquals(number("inverse_sqrt.lr"), s.lr(warmup - 1), 1e-15);
  }

  @Test
  void warmupCosineMatchesSequentialLinearAndCosine() {
    double lr = number("cosine.lr");
    double minLr = number("cosine.min_lr");
    long total = integer("cosine.total_steps");
    LrSchedule s = LrSchedule.warmupCosine(lr, integer("cosine.warmup_steps"), total, minLr);
    assertMatches("cosine", s);
    assertEquals(minLr, s.lr(total), 1e-18);
    assertEquals(minLr, s.lr(total + 1000), 1e-18);
  }

  @Test
  void gnmtHalvingMatchesMultiStepLr() {
    LrSchedule s =
        LrSchedule.gnmtHalving(
            number("gnmt.lr"),
            integer("gnmt.start_step"),
            integer("gnmt.interval"),
            (int) integer("gnmt.max_halvings"));
    assertMatches("gnmt", s);
    assertEquals(number("gnmt.lr") / 16, s.lr(1_000_000));
  }

  @Test
  void constantAndWarmupFreeCosine() {
    LrSchedule c = LrSchedule.constant(0.25);
    assertEquals(0.25, c.lr(0));
    assertEquals(0.25, c.lr(123_456));
    LrSchedule cos = LrSchedule.warmupCosine(1.0, 0, 10, 0.0);
    assertEquals(1.0, cos.lr(0));
    assertEquals(0.5, cos.lr(5), 1e-15);
    assertEquals(0.0, cos.lr(10));
  }

  @Test
  void rejectsInvalidArguments() {
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(-1));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupInverseSqrt(1e-3, 0));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupInverseSqrt(-1e-3, 10));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1e-3, -1, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1e-3, 10, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1e-3, 1, 10, 2e-3));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1e-3, 1, 10, -1e-5));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.gnmtHalving(1, -1, 5, 4));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.gnmtHalving(1, 10, 0, 4));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.gnmtHalving(1, 10, 5, -1));
    LrSchedule[] schedules = {
      LrSchedule.constant(1),
      LrSchedule.warmupInverseSqrt(1, 4),
      LrSchedule.warmupCosine(1, 2, 10, 0),
      LrSchedule.gnmtHalving(1, 10, 5, 4)
    };
    for (LrSchedule s : schedules) {
      assertThrows(IllegalArgumentException.class, () -> s.lr(-1));
    }
  }

  private void assertMatches(String name, LrSchedule schedule) {
    float[] expected = fx.get(name + ".lrs").data();
    double worst = 0;
    for (int step = 0; step < expected.length; step++) {
      double err = Math.abs(schedule.lr(step) - expected[step]) / Math.abs(expected[step]);
      worst = Math.max(worst, err);
    }
    System.out.printf("parity schedule %-12s worst relative error %.3e%n", name, worst);
    assertTrue(worst <= TOLERANCE, name + ": worst relative error " + worst);
  }

  private static double number(String key) {
    return Double.parseDouble(meta.get(key));
  }

  private static long integer(String key) {
    return Long.parseLong(meta.get(key));
  }
}
