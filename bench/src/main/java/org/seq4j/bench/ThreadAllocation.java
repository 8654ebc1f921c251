package org.seq4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Reads how many bytes the current thread has allocated on the Java heap so far, with {@code
 * com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}. The difference of two readings
 * around some calls is what those calls allocated: the Java objects DJL creates for each result
 * (wrappers, shapes, lists), not the native memory of the tensors themselves.
 */
public final class ThreadAllocation {
  private static final com.sun.management.ThreadMXBean BEAN = bean();

  private ThreadAllocation() {}

  /** Whether this JVM can report per-thread allocation. */
  public static boolean supported() {
    return BEAN != null;
  }

  /** The bytes allocated by the current thread since it started, or -1 where unsupported. */
  public static long currentThreadBytes() {
    return BEAN == null ? -1 : BEAN.getCurrentThreadAllocatedBytes();
  }

  private static com.sun.management.ThreadMXBean bean() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.ThreadMXBean sun)) {
      return null;
    }
    try {
      if (!sun.isThreadAllocatedMemorySupported()) {
        return null;
      }
      if (!sun.isThreadAllocatedMemoryEnabled()) {
        sun.setThreadAllocatedMemoryEnabled(true);
      }
      return sun.getCurrentThreadAllocatedBytes() >= 0 ? sun : null;
    } catch (UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }
}
