package org.seq4j.optim;

/**
 * A learning-rate schedule: the learning rate to use for the next update, given the number of
 * updates already done.
 *
 * <p>{@code lr(step)} is 0-based: {@code lr(0)} is used for the first update, and {@code lr(n)}
 * equals {@code optimizer.param_groups[0]["lr"]} of the matching torch scheduler after {@code n}
 * calls of {@code scheduler.step()}. The factories throw {@link IllegalArgumentException} on
 * invalid arguments, and the schedules they return throw it for a negative step.
 */
@FunctionalInterface
public interface LrSchedule {

  /**
   * Returns the learning rate for the update that follows {@code step} completed updates.
   *
   * @param step the number of updates already done, {@code >= 0}
   * @return the learning rate
   */
  double lr(long step);

  /** A constant learning rate. */
  static LrSchedule constant(double lr) {
    checkLr(lr);
    return step -> {
      checkStep(step);
      return lr;
    };
  }

  /**
   * Linear warm-up followed by inverse-square-root decay (Vaswani et al. 2017, without the model
   * dimension factor):
   *
   * <pre>
   *   lr(s) = lr * min((s + 1) / warmup, sqrt(warmup / (s + 1)))
   * </pre>
   *
   * <p>The rate reaches {@code lr} at {@code s = warmup - 1}. In torch: {@code LambdaLR} with that
   * factor.
   *
   * @param lr the peak learning rate, {@code >= 0}
   * @param warmupSteps the number of warm-up steps, {@code >= 1}
   */
  static LrSchedule warmupInverseSqrt(double lr, long warmupSteps) {
    checkLr(lr);
    if (warmupSteps < 1) {
      throw new IllegalArgumentException("warmupSteps must be >= 1, got " + warmupSteps);
    }
    double warmup = warmupSteps;
    return step -> {
      checkStep(step);
      double s = step + 1.0;
      return lr * Math.min(s / warmup, Math.sqrt(warmup / s));
    };
  }

  /**
   * Linear warm-up followed by cosine annealing (Loshchilov &amp; Hutter 2017, one cycle without
   * restarts), in closed form:
   *
   * <pre>
   *   lr(s) = lr * (s + 1) / warmup                                  for s &lt; warmup
   *   lr(s) = minLr + (lr - minLr) * (1 + cos(pi * p)) / 2,
   *           p = min(s - warmup, total - warmup) / (total - warmup) for s &gt;= warmup
   * </pre>
   *
   * <p>The rate reaches {@code lr} at {@code s = warmup - 1} and at {@code s = warmup}, and stays
   * at {@code minLr} from {@code s = total} on. Up to {@code s = total} this equals torch's {@code
   * SequentialLR([LinearLR(start_factor=1/warmup, total_iters=warmup-1),
   * CosineAnnealingLR(T_max=total-warmup, eta_min=minLr)], milestones=[warmup])} to within
   * double-precision rounding (torch's schedulers are recursive); past {@code total} torch's cosine
   * rises again, this schedule does not.
   *
   * @param lr the peak learning rate, {@code >= 0}
   * @param warmupSteps the number of warm-up steps, {@code >= 0}
   * @param totalSteps the step at which the rate reaches {@code minLr}, {@code > warmupSteps}
   * @param minLr the final learning rate, in {@code [0, lr]}
   */
  static LrSchedule warmupCosine(double lr, long warmupSteps, long totalSteps, double minLr) {
    checkLr(lr);
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
    }
    if (totalSteps <= warmupSteps) {
      throw new IllegalArgumentException(
          "totalSteps must be > warmupSteps, got " + totalSteps + " <= " + warmupSteps);
    }
    if (!(minLr >= 0 && minLr <= lr)) {
      throw new IllegalArgumentException("minLr must be in [0, lr = " + lr + "], got " + minLr);
    }
    double decaySteps = totalSteps - warmupSteps;
    return step -> {
      checkStep(step);
      if (step < warmupSteps) {
        return lr * (step + 1) / warmupSteps;
      }
      double progress = Math.min(step - warmupSteps, totalSteps - warmupSteps) / decaySteps;
      return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * progress)) / 2;
    };
  }

  /**
   * The GNMT / tensorflow-nmt step decay: constant until {@code startStep}, then halved at {@code
   * startStep} and every {@code interval} steps after it, at most {@code maxHalvings} times:
   *
   * <pre>
   *   lr(s) = lr * 0.5^k,  k = s &lt; start ? 0 : min(maxHalvings, (s - start) / interval + 1)
   * </pre>
   *
   * <p>In torch: {@code MultiStepLR(milestones=[start, start + interval, ..., start + (maxHalvings
   * - 1) * interval], gamma=0.5)}.
   *
   * @param lr the initial learning rate, {@code >= 0}
   * @param startStep the step of the first halving, {@code >= 0}
   * @param interval steps between halvings, {@code >= 1}
   * @param maxHalvings the number of halvings, {@code >= 0}
   */
  static LrSchedule gnmtHalving(double lr, long startStep, long interval, int maxHalvings) {
    checkLr(lr);
    if (startStep < 0) {
      throw new IllegalArgumentException("startStep must be >= 0, got " + startStep);
    }
    if (interval < 1) {
      throw new IllegalArgumentException("interval must be >= 1, got " + interval);
    }
    if (maxHalvings < 0) {
      throw new IllegalArgumentException("maxHalvings must be >= 0, got " + maxHalvings);
    }
    return step -> {
      checkStep(step);
      long halvings =
          step < startStep ? 0 : Math.min(maxHalvings, (step - startStep) / interval + 1);
      return lr * Math.pow(0.5, halvings);
    };
  }

  private static void checkLr(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }
  }

  private static void checkStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
  }
}
