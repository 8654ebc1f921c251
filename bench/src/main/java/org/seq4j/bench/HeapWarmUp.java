package org.seq4j.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Brings the JVM heap to its steady state before the first timed round.
 *
 * <p>A fresh JVM grows its young generation over its first collections, and the first pass through
 * each newly committed page costs a page fault. On virtual machines that back guest memory lazily
 * such a fault can cost around 10 µs, and an op that allocates a few hundred bytes of Java objects
 * per call (as every DJL op does for its result's {@code NDArray}) pays for them for the first few
 * seconds: {@code tanh} on 1×1024 floats measured about 5 µs instead of 3.7 µs until the young
 * generation had been collected once at full size. Allocating short-lived garbage until a few young
 * collections have happened touches those pages up front, as a long-running program would have.
 */
public final class HeapWarmUp {
  /** Young collections to wait for; enough for G1 to reach its working young-generation size. */
  static final int COLLECTIONS = 4;

  private static final long MAX_NANOS = 5_000_000_000L;
  private static final int RING = 64;

  private static volatile boolean done;
  private static Object[] sink = new Object[RING];

  private HeapWarmUp() {}

  /** Runs the warm-up once per JVM; later calls return at once. */
  public static void ensureDone() {
    if (done) {
      return;
    }
    synchronized (HeapWarmUp.class) {
      if (!done) {
        run();
        done = true;
      }
    }
  }

  private static void run() {
    long start = System.nanoTime();
    long collections = collections();
    if (collections < 0) {
      return; // Collection counts are not available; nothing to wait for.
    }
    long target = collections + COLLECTIONS;
    Object[] ring = sink;
    long n = 0;
    while (collections() < target && System.nanoTime() - start < MAX_NANOS) {
      for (int i = 0; i < 4096; i++) {
        ring[(int) (n++ % RING)] = new byte[256];
      }
    }
    sink = new Object[RING];
  }

  private static long collections() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long count = gc.getCollectionCount();
      if (count < 0) {
        return -1;
      }
      total += count;
    }
    return total;
  }
}
