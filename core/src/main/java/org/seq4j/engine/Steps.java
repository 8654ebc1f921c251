package org.seq4j.engine;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one step (of training, validation or generation) inside a child {@link NDManager} that is
 * closed when the step ends, so nothing allocated in the step outlives it unless the step attaches
 * it to another manager on purpose.
 *
 * <p>DJL puts the result of an op in the manager of its first operand, so {@code weight.mul(x)}
 * lands in the long-lived manager that owns the weight. The step therefore also opens an {@link
 * NDScope}, which closes every array created during the step whatever its manager. An array that
 * must outlive the step is passed to {@link NDScope#unregister} and attached to a longer-lived
 * manager.
 */
public final class Steps {
  private Steps() {}

  /** Runs {@code step} with a fresh child of {@code parent} and returns its plain-Java result. */
  public static <T> T scoped(NDManager parent, Function<NDManager, T> step) {
    try (NDManager child = parent.newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return step.apply(child);
    }
  }

  /** Runs {@code step} with a fresh child of {@code parent}. */
  public static void run(NDManager parent, Consumer<NDManager> step) {
    scoped(
        parent,
        m -> {
          step.accept(m);
          return null;
        });
  }
}
