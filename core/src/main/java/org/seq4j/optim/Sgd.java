package org.seq4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov
 * momentum, with the semantics of {@code torch.optim.SGD}:
 *
 * <pre>
 *   g   = grad + weightDecay * param
 *   buf = g                                      (first step)
 *   buf = momentum * buf + (1 - dampening) * g   (later steps)
 *   g   = nesterov ? g + momentum * buf : buf    (if momentum != 0)
 *   param -= lr * g
 * </pre>
 *
 * <p>State slot: {@code momentum_buffer} (only when momentum is non-zero).
 */
public final class Sgd extends Optimizer {

  /** State slot of the momentum buffer. */
  public static final String MOMENTUM_BUFFER = "momentum_buffer";

  private final double momentum;
  private final double dampening;
  private final double weightDecay;
  private final boolean nesterov;

  /**
   * Creates plain SGD without momentum or weight decay.
   *
   * @param parent the manager under which the optimizer's state lives
   * @param learningRate the learning rate
   */
  public Sgd(NDManager parent, double learningRate) {
    this(parent, learningRate, 0, 0, 0, false);
  }

  /**
   * Creates SGD.
   *
   * @param parent the manager under which the optimizer's state lives
   * @param learningRate the learning rate, {@code >= 0}
   * @param momentum the momentum factor, {@code >= 0}
   * @param dampening the dampening of the momentum, in {@code [0, 1]}
   * @param weightDecay the L2 penalty added to the gradient, {@code >= 0}
   * @param nesterov whether to use Nesterov momentum; needs {@code momentum > 0} and zero dampening
   * @throws IllegalArgumentException if an argument is out of range
   */
  public Sgd(
      NDManager parent,
      double learningRate,
      double momentum,
      double dampening,
      double weightDecay,
      boolean nesterov) {
    super(parent, learningRate);
    this.momentum = checkNonNegative("momentum", momentum);
    if (!(dampening >= 0 && dampening <= 1)) {
      throw new IllegalArgumentException("dampening must be in [0, 1], got " + dampening);
    }
    this.dampening = dampening;
    this.weightDecay = checkNonNegative("weight decay", weightDecay);
    if (nesterov && (momentum == 0 || dampening != 0)) {
      throw new IllegalArgumentException(
          "Nesterov momentum requires a momentum > 0 and zero dampening, got momentum "
              + momentum
              + " and dampening "
              + dampening);
    }
    this.nesterov = nesterov;
  }

  @Override
  protected void update(String name, NDArray param, NDArray grad, long step) {
    NDArray g = grad;
    if (weightDecay != 0) {
      g = grad.add(param.mul((float) weightDecay));
    }
    if (momentum != 0) {
      NDArray buf = existingState(MOMENTUM_BUFFER, name);
      if (buf == null) {
        NDArray first = g;
        buf = stateArray(MOMENTUM_BUFFER, name, first::duplicate);
      } else {
        buf.muli((float) momentum).addi(dampening == 0 ? g : g.mul((float) (1 - dampening)));
      }
      g = nesterov ? g.add(buf.mul((float) momentum)) : buf;
    }
    param.subi(g.mul((float) learningRate()));
  }

  @Override
  protected String[] slots() {
    return momentum == 0 ? new String[0] : new String[] {MOMENTUM_BUFFER};
  }

  @Override
  public String kind() {
    return "sgd";
  }

  /** Returns lr, momentum, dampening, weight_decay and nesterov, named as in torch. */
  @Override
  public Map<String, Object> hyperParameters() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("lr", learningRate());
    h.put("momentum", momentum);
    h.put("dampening", dampening);
    h.put("weight_decay", weightDecay);
    h.put("nesterov", nesterov);
    return h;
  }
}
