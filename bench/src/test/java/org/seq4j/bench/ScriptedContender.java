package org.seq4j.bench;

import java.util.List;

/**
 * A contender for tests that answers the given per-round times in turn (starting over after the
 * last) and logs its calls: {@code impl:warm} for a warm-up, {@code impl} for a round.
 */
final class ScriptedContender implements Contender {
  private final String impl;
  private final List<String> log;
  private final double[] times;
  private int round;

  ScriptedContender(String impl, List<String> log, double... times) {
    this.impl = impl;
    this.log = log;
    this.times = times.clone();
  }

  @Override
  public String impl() {
    return impl;
  }

  @Override
  public void warmUp() {
    log.add(impl + ":warm");
  }

  @Override
  public double measureRound() {
    log.add(impl);
    return times[round++ % times.length];
  }
}
