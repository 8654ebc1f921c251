package org.seq4j.bench;

/**
 * One implementation of a benchmarked operation, measured a round at a time so that {@link
 * InterleavedRounds} can alternate it with its peers.
 */
public interface Contender {

  /** The implementation's name in reports, e.g. {@code seq4j} or {@code pytorch}. */
  String impl();

  /** Runs whatever must happen before the first timed round (JIT, caches, thread pools). */
  void warmUp();

  /** Runs one timed round and returns its microseconds per call. */
  double measureRound();

  /**
   * Runs one timed round and returns everything it measured. By default only the time; contenders
   * in this JVM also report the Java heap bytes allocated per call.
   */
  default RoundSample measureSample() {
    return RoundSample.timeOnly(measureRound());
  }

  /**
   * A contender that times {@code call} in this JVM with {@link RoundTimer}, warming up with {@link
   * HeapWarmUp} (once per JVM) and one untimed round.
   */
  static Contender inProcess(String impl, Runnable call, double minTimeS) {
    return inProcess(impl, call, minTimeS, () -> RoundTimer.run(call, minTimeS));
  }

  /**
   * Like {@link #inProcess(String, Runnable, double)}, with {@code warmUp} run after {@link
   * HeapWarmUp} instead of the untimed round: for calls that the JIT compiler needs longer (or more
   * calls) to compile.
   */
  static Contender inProcess(String impl, Runnable call, double minTimeS, Runnable warmUp) {
    return new Contender() {
      @Override
      public String impl() {
        return impl;
      }

      @Override
      public void warmUp() {
        HeapWarmUp.ensureDone();
        warmUp.run();
      }

      @Override
      public double measureRound() {
        return measureSample().usPerOp();
      }

      @Override
      public RoundSample measureSample() {
        RoundTimer.Round round = RoundTimer.run(call, minTimeS);
        return new RoundSample(round.usPerOp(), round.heapBytesPerOp());
      }
    };
  }
}
