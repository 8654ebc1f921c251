package org.seq4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1) with L2 weight decay added to the gradient, following
 * {@code torch.optim.Adam} step by step:
 *
 * <pre>
 *   g     = grad + weightDecay * param
 *   m     = m + (1 - beta1) * (g - m)               (torch: exp_avg.lerp_(g, 1 - beta1))
 *   v     = beta2 * v + (1 - beta2) * g * g
 *   bc1   = 1 - beta1^t,  bc2 = 1 - beta2^t         (bias corrections, in double)
 *   denom = sqrt(v) / sqrt(bc2) + eps
 *   param = param - (lr / bc1) * m / denom
 * </pre>
 *
 * <p>State slots: {@code exp_avg} (m) and {@code exp_avg_sq} (v). See {@link AdamW} for decoupled
 * weight decay.
 */
public class Adam extends Optimizer {

  /** State slot of the first-moment estimate. */
  public static final String EXP_AVG = "exp_avg";

  /** State slot of the second-moment estimate. */
  public static final String EXP_AVG_SQ = "exp_avg_sq";

  private static final String[] SLOTS = {EXP_AVG, EXP_AVG_SQ};

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;

  /**
   * Creates Adam with torch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
   *
   * @param parent the manager under which the optimizer's state lives
   * @param learningRate the learning rate
   */
  public Adam(NDManager parent, double learningRate) {
    this(parent, learningRate, 0.9, 0.999, 1e-8, 0);
  }

  /**
   * Creates Adam with L2 weight decay added to the gradient.
   *
   * @param parent the manager under which the optimizer's state lives
   * @param learningRate the learning rate, {@code >= 0}
   * @param beta1 decay of the first moment, in {@code [0, 1)}
   * @param beta2 decay of the second moment, in {@code [0, 1)}
   * @param eps term added to the denominator, {@code >= 0}
   * @param weightDecay the L2 penalty, {@code >= 0}
   * @throws IllegalArgumentException if an argument is out of range
   */
  public Adam(
      NDManager parent,
      double learningRate,
      double beta1,
      double beta2,
      double eps,
      double weightDecay) {
    this(parent, learningRate, beta1, beta2, eps, weightDecay, false);
  }

  /** Creates Adam, with decoupled weight decay when {@code decoupled} is true (AdamW). */
  Adam(
      NDManager parent,
      double learningRate,
      double beta1,
      double beta2,
      double eps,
      double weightDecay,
      boolean decoupled) {
    super(parent, learningRate);
    this.beta1 = checkBeta("beta1", beta1);
    this.beta2 = checkBeta("beta2", beta2);
    this.eps = checkNonNegative("eps", eps);
    this.weightDecay = checkNonNegative("weight decay", weightDecay);
    this.decoupled = decoupled;
  }

  @Override
  protected void update(String name, NDArray param, NDArray grad, long step) {
    double lr = learningRate();
    NDArray g = grad;
    if (weightDecay != 0) {
      if (decoupled) {
        // AdamW (Loshchilov & Hutter 2019, Alg. 2): decay the weights, not the gradient.
        param.muli((float) (1 - lr * weightDecay));
      } else {
        g = grad.add(param.mul((float) weightDecay));
      }
    }
    NDArray m = stateArray(EXP_AVG, name, param::zerosLike);
    NDArray v = stateArray(EXP_AVG_SQ, name, param::zerosLike);
    m.addi(g.sub(m).muli((float) (1 - beta1)));
    v.muli((float) beta2).addi(g.mul((float) (1 - beta2)).muli(g));

    // Bias corrections of both moments (Kingma & Ba 2015, Alg. 1), folded into the step size
    // and the denominator as torch does.
    double biasCorrection1 = 1 - Math.pow(beta1, step);
    double biasCorrection2 = 1 - Math.pow(beta2, step);
    double stepSize = lr / biasCorrection1;
    NDArray denom = v.sqrt().divi((float) Math.sqrt(biasCorrection2)).addi((float) eps);
    param.subi(m.mul((float) stepSize).divi(denom));
  }

  private static double checkBeta(String name, double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
    }
    return beta;
  }

  @Override
  protected String[] slots() {
    return SLOTS.clone();
  }

  @Override
  public String kind() {
    return "adam";
  }

  /** Returns lr, beta1, beta2, eps and weight_decay. */
  @Override
  public Map<String, Object> hyperParameters() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("lr", learningRate());
    h.put("beta1", beta1);
    h.put("beta2", beta2);
    h.put("eps", eps);
    h.put("weight_decay", weightDecay);
    return h;
  }
}
