package org.seq4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A first-order optimizer written on plain {@link NDArray} operations, following the update rules
 * of {@code torch.optim} (single-tensor, {@code foreach=False} code paths) to float32 precision.
 *
 * <p>The optimizer owns a child {@link NDManager} that holds its state tensors (moments, momentum
 * buffers). Those are created lazily on the first {@link #step} and live until {@link #close()}.
 * Every temporary created during a step is released before {@code step} returns, so repeated steps
 * do not grow any manager.
 *
 * <p>State tensors are keyed {@code "<slot>/<parameter name>"}, for example {@code
 * "exp_avg/encoder.weight"}; {@link #state()} and {@link #loadState} use the same keys, so a
 * checkpoint can store them as named tensors.
 *
 * <p>A subclass implements {@link #update} for one parameter, obtains its state through {@link
 * #stateArray}, and lists its state slots in {@link #slots()}.
 *
 * <p>Instances are not thread-safe.
 */
public abstract class Optimizer implements AutoCloseable {

  private final NDManager manager;
  private final Map<String, NDArray> state = new LinkedHashMap<>();
  private double learningRate;
  private long stepCount;
  private boolean closed;

  /**
   * Creates an optimizer whose state lives in a new child manager of {@code parent}.
   *
   * @param parent the manager under which the optimizer's state manager is created
   * @param learningRate the initial learning rate, finite and {@code >= 0}
   * @throws IllegalArgumentException if the learning rate is negative or not finite
   */
  protected Optimizer(NDManager parent, double learningRate) {
    checkLearningRate(learningRate);
    this.manager = parent.newSubManager();
    this.learningRate = learningRate;
  }

  /**
   * Applies one update to every parameter. Parameters are updated in place, in the iteration order
   * of {@code params}; gradients are only read. The step count increases by one.
   *
   * <p>Like {@code torch.optim.Optimizer.step}, the update runs with autograd recording disabled,
   * so parameters that require gradients can be updated in place.
   *
   * @param params the parameters keyed by name
   * @param grads the gradients keyed by the same names, each with its parameter's shape
   * @throws IllegalArgumentException if a gradient is missing or has the wrong shape
   * @throws IllegalStateException if the optimizer is closed
   */
  public final void step(Map<String, NDArray> params, Map<String, NDArray> grads) {
    checkOpen();
    checkShapes(params, grads);
    long step = stepCount + 1;
    withoutGrad(
        () -> {
          try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
              update(e.getKey(), e.getValue(), grads.get(e.getKey()), step);
            }
          }
        });
    stepCount = step;
  }

  /** Checks, before anything is updated, that gradients and existing state fit the parameters. */
  private void checkShapes(Map<String, NDArray> params, Map<String, NDArray> grads) {
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      String name = e.getKey();
      Shape shape = e.getValue().getShape();
      NDArray grad = grads.get(name);
      if (grad == null) {
        throw new IllegalArgumentException("No gradient for parameter '" + name + "'");
      }
      if (!grad.getShape().equals(shape)) {
        throw new IllegalArgumentException(
            "Gradient of '" + name + "' has shape " + grad.getShape() + ", parameter " + shape);
      }
      for (String slot : slots()) {
        NDArray s = existingState(slot, name);
        if (s != null && !s.getShape().equals(shape)) {
          throw new IllegalArgumentException(
              "Optimizer state '"
                  + slot
                  + "/"
                  + name
                  + "' has shape "
                  + s.getShape()
                  + ", parameter "
                  + shape);
        }
      }
    }
  }

  /**
   * Updates one parameter in place. Runs inside an {@link NDScope} that closes every array created
   * here, except state arrays obtained from {@link #stateArray}.
   *
   * @param name the parameter's name
   * @param param the parameter, to be updated in place
   * @param grad its gradient, read only
   * @param step the 1-based number of this update
   */
  protected abstract void update(String name, NDArray param, NDArray grad, long step);

  /**
   * Returns the state slots this optimizer keeps for every parameter, for example {@code
   * "exp_avg"}; {@link #loadState} accepts keys with these slots only.
   */
  protected abstract String[] slots();

  /**
   * Returns the state array {@code "<slot>/<name>"}, creating it with {@code initial} on first use.
   * A created array is removed from the current {@link NDScope} and attached to the optimizer's
   * manager, so it survives the step.
   *
   * @param slot the state slot, for example {@code "exp_avg"}
   * @param name the parameter's name
   * @param initial creates the initial value; may return a fresh array in any manager
   * @return the live state array
   */
  protected final NDArray stateArray(String slot, String name, Supplier<NDArray> initial) {
    String key = slot + "/" + name;
    NDArray arr = state.get(key);
    if (arr == null) {
      arr = initial.get();
      NDScope.unregister(arr);
      arr.attach(manager);
      state.put(key, arr);
    }
    return arr;
  }

  /** Returns the state array {@code "<slot>/<name>"}, or {@code null} if not created yet. */
  protected final NDArray existingState(String slot, String name) {
    return state.get(slot + "/" + name);
  }

  /**
   * Sets the learning rate used by the following steps.
   *
   * @param lr the learning rate, finite and {@code >= 0}
   * @throws IllegalArgumentException if {@code lr} is negative or not finite
   */
  public void setLearningRate(double lr) {
    checkLearningRate(lr);
    this.learningRate = lr;
  }

  /** Returns the learning rate used by the next step. */
  public double learningRate() {
    return learningRate;
  }

  /** Returns the number of updates done so far. */
  public long stepCount() {
    return stepCount;
  }

  /** Returns the optimizer's kind as stored in checkpoints: "sgd", "adam" or "adamw". */
  public abstract String kind();

  /**
   * Returns the hyper-parameters for a checkpoint's JSON, in a stable order. The learning rate is
   * included under {@code "lr"} as the value currently set; schedules recompute it from the step.
   */
  public abstract Map<String, Object> hyperParameters();

  /**
   * Returns the state tensors keyed {@code "<slot>/<parameter name>"}, in creation order. The
   * arrays are the live state, owned by the optimizer: callers must neither close nor modify them.
   * Empty before the first step.
   */
  public Map<String, NDArray> state() {
    checkOpen();
    return Collections.unmodifiableMap(state);
  }

  /**
   * Restores state saved from {@link #state()} together with the step count. Values are copied into
   * arrays attached to this optimizer's manager; the given arrays stay owned by the caller.
   *
   * <p>If this optimizer already has state (it has stepped before), the keys must match it exactly.
   * Otherwise every key must have the form {@code "<slot>/<name>"} with a slot this optimizer uses,
   * and all slots of a parameter must be present. Nothing is changed when an argument is rejected.
   *
   * @param saved the state tensors
   * @param stepCount the number of updates the state corresponds to, {@code >= 0}
   * @throws IllegalArgumentException naming the offending key on unknown or missing keys or on
   *     shape mismatches
   */
  public void loadState(Map<String, NDArray> saved, long stepCount) {
    checkOpen();
    if (stepCount < 0) {
      throw new IllegalArgumentException("stepCount must be >= 0, got " + stepCount);
    }
    if (!state.isEmpty()) {
      for (String key : state.keySet()) {
        if (!saved.containsKey(key)) {
          throw new IllegalArgumentException("Missing optimizer state '" + key + "'");
        }
      }
    }
    for (Map.Entry<String, NDArray> e : saved.entrySet()) {
      String key = e.getKey();
      NDArray current = state.get(key);
      if (current == null) {
        if (!state.isEmpty()) {
          throw new IllegalArgumentException("Unknown optimizer state '" + key + "'");
        }
        checkKey(key, saved);
      } else if (!current.getShape().equals(e.getValue().getShape())) {
        throw new IllegalArgumentException(
            "Optimizer state '"
                + key
                + "' has shape "
                + e.getValue().getShape()
                + ", expected "
                + current.getShape());
      }
    }
    withoutGrad(
        () -> {
          for (Map.Entry<String, NDArray> e : saved.entrySet()) {
            NDArray copy = e.getValue().duplicate();
            NDScope.unregister(copy);
            copy.attach(manager);
            NDArray old = state.put(e.getKey(), copy);
            if (old != null) {
              old.close();
            }
          }
        });
    this.stepCount = stepCount;
  }

  private void checkKey(String key, Map<String, NDArray> saved) {
    int slash = key.indexOf('/');
    String slot = slash < 0 ? "" : key.substring(0, slash);
    String name = key.substring(slash + 1);
    boolean known = false;
    for (String s : slots()) {
      known |= s.equals(slot);
    }
    if (slash <= 0 || name.isEmpty() || !known) {
      throw new IllegalArgumentException("Unknown optimizer state '" + key + "'");
    }
    for (String s : slots()) {
      if (!saved.containsKey(s + "/" + name)) {
        throw new IllegalArgumentException("Missing optimizer state '" + s + "/" + name + "'");
      }
    }
    NDArray arr = saved.get(key);
    Shape shape = arr.getShape();
    for (String s : slots()) {
      Shape other = saved.get(s + "/" + name).getShape();
      if (!other.equals(shape)) {
        throw new IllegalArgumentException(
            "Optimizer state '"
                + s
                + "/"
                + name
                + "' has shape "
                + other
                + ", but '"
                + key
                + "' has shape "
                + shape);
      }
    }
  }

  /** Frees the optimizer's state. Further calls to {@link #step} fail; closing twice is a no-op. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      state.clear();
      manager.close();
    }
  }

  /** Checks a hyper-parameter is finite and {@code >= 0}; names it in the exception. */
  static double checkNonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  /** Runs {@code body} with autograd recording off, as torch's optimizers do. */
  private static void withoutGrad(Runnable body) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      body.run();
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private static void checkLearningRate(double lr) {
    checkNonNegative("learning rate", lr);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Optimizer is closed");
    }
  }
}
