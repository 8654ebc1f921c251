package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterleavedRoundsTest {
  @Test
  void warmsUpThenAlternatesAndReportsMedians() {
    List<String> log = new ArrayList<>();
    List<BenchResult> results =
        InterleavedRounds.measure(
            "gemm-1024",
            2,
            2e6,
            3,
            List.of(
                new ScriptedContender("seq4j", log, 10, 30, 20),
                new ScriptedContender("pytorch", log, 5, 4, 6)));

    assertEquals(
        List.of(
            "seq4j:warm",
            "pytorch:warm",
            "seq4j",
            "pytorch",
            "pytorch",
            "seq4j",
            "seq4j",
            "pytorch"),
        log);
    BenchResult seq4j = results.get(0);
    assertEquals("seq4j", seq4j.impl());
    assertEquals("gemm-1024", seq4j.op());
    assertEquals(2, seq4j.threads());
    assertEquals(20.0, seq4j.usPerOp());
    assertEquals(100.0, seq4j.gflops(), 1e-9); // 2e6 flops in 20 us
    assertEquals(3, seq4j.rounds());
    assertEquals(10.0, seq4j.extra().get("min_us_per_op"));
    assertEquals(30.0, seq4j.extra().get("max_us_per_op"));
    assertEquals(5.0, results.get(1).usPerOp());
  }

  @Test
  void noGflopsWithoutFlopCount() {
    List<BenchResult> results =
        InterleavedRounds.measure(
            "tanh-1x1024", 1, 0, 1, List.of(new ScriptedContender("seq4j", new ArrayList<>(), 4)));
    assertNull(results.get(0).gflops());
  }

  @Test
  void runKeepsEveryRoundsSampleWithHeapFigures() {
    Contender allocating =
        new Contender() {
          private int round;

          @Override
          public String impl() {
            return "seq4j";
          }

          @Override
          public void warmUp() {}

          @Override
          public double measureRound() {
            return measureSample().usPerOp();
          }

          @Override
          public RoundSample measureSample() {
            round++;
            return new RoundSample(10.0 * round, 100.0 * round);
          }
        };
    List<RoundSeries> series =
        InterleavedRounds.run(
            3, List.of(allocating, new ScriptedContender("pytorch", new ArrayList<>(), 5, 4, 6)));
    assertEquals(3, series.get(0).rounds());
    assertEquals(20.0, series.get(0).medianUsPerOp());
    assertEquals(200.0, series.get(0).medianHeapBytesPerOp());
    assertEquals("pytorch", series.get(1).impl());
    assertEquals(false, series.get(1).hasHeapBytes());
    assertEquals(true, Double.isNaN(series.get(1).medianHeapBytesPerOp()));
  }
}
