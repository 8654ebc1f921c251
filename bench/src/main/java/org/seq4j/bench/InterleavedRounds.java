package org.seq4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures several implementations of one operation in turns: after every contender has warmed up,
 * each round times every contender once, and the reported figure is each one's median over rounds.
 * Load from other processes then hits all contenders alike, so their ratio stays meaningful on a
 * busy machine even when the absolute times do not. The order within a round alternates (A B, B A,
 * ...) so neither side always runs right after the other.
 */
public final class InterleavedRounds {
  private InterleavedRounds() {}

  /**
   * Measures {@code contenders} for {@code rounds} rounds.
   *
   * @param op the operation's name in the results
   * @param threads the intra-op thread count in the results
   * @param flopsPerOp floating-point operations per call, to report GFLOPS; {@code <= 0} for none
   * @return one result per contender, in the order given
   */
  public static List<BenchResult> measure(
      String op, int threads, double flopsPerOp, int rounds, List<Contender> contenders) {
    return BenchResult.fromRounds(op, threads, flopsPerOp, run(rounds, contenders));
  }

  /**
   * Warms every contender up, then runs {@code rounds} rounds in which each contender is sampled
   * once, alternating the order from round to round.
   *
   * @return every contender's samples, in the order given
   */
  public static List<RoundSeries> run(int rounds, List<Contender> contenders) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
    }
    for (Contender c : contenders) {
      c.warmUp();
    }
    int n = contenders.size();
    double[][] times = new double[n][rounds];
    double[][] heap = new double[n][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < n; k++) {
        int i = r % 2 == 0 ? k : n - 1 - k;
        RoundSample sample = contenders.get(i).measureSample();
        times[i][r] = sample.usPerOp();
        heap[i][r] = sample.heapBytesPerOp();
      }
    }
    List<RoundSeries> series = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      series.add(new RoundSeries(contenders.get(i).impl(), times[i], heap[i]));
    }
    return series;
  }
}
