package org.seq4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.seq4j.nn.Losses;

/**
 * A two-layer MLP with dropout regressing a fixed nonlinear function of random inputs: small enough
 * for thousands of steps in a test, and random in three ways (init, data, dropout) so that it
 * exercises every source of nondeterminism a resumed run must retrace.
 */
final class TinyRegressionTask implements TrainTask<float[]> {
  static final int IN = 8;
  static final int HIDDEN = 16;
  static final int BATCH = 32;

  private final Map<String, NDArray> params = new LinkedHashMap<>();
  private final long seed;
  private final int batches;

  /** Steps whose loss is replaced by NaN, to test the divergence guard; -1 for none. */
  long nanAtStep = -1;

  TinyRegressionTask(NDManager manager, long seed, int batchesPerEpoch) {
    this.seed = seed;
    this.batches = batchesPerEpoch;
    add("fc1.weight", manager.randomNormal(0, 0.3f, new Shape(HIDDEN, IN), DataType.FLOAT32));
    add("fc1.bias", manager.zeros(new Shape(HIDDEN)));
    add("fc2.weight", manager.randomNormal(0, 0.3f, new Shape(1, HIDDEN), DataType.FLOAT32));
    add("fc2.bias", manager.zeros(new Shape(1)));
  }

  private void add(String name, NDArray a) {
    a.setRequiresGradient(true);
    params.put(name, a);
  }

  @Override
  public Map<String, NDArray> parameters() {
    return params;
  }

  @Override
  public int batchesPerEpoch() {
    return batches;
  }

  @Override
  public float[] batch(long epoch, int index) {
    SplittableRandom r = new SplittableRandom(Seeds.mix(seed, epoch * batches + index));
    float[] x = new float[BATCH * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  @Override
  public StepLoss loss(StepContext ctx, float[] batch) {
    NDManager m = ctx.manager();
    NDArray x = m.create(batch, new Shape(BATCH, IN));
    NDArray y = target(x);
    NDArray pred = forward(x, ctx.training());
    NDArray loss = Losses.mse(pred, y);
    if (ctx.step() == nanAtStep) {
      loss = loss.mul(Float.NaN);
    }
    return new StepLoss(loss, BATCH);
  }

  private NDArray forward(NDArray x, boolean training) {
    NDArray h = x.matMul(params.get("fc1.weight").transpose()).add(params.get("fc1.bias")).tanh();
    h = h.getNDArrayInternal().dropout(h, 0.1f, training).singletonOrThrow();
    return h.matMul(params.get("fc2.weight").transpose()).add(params.get("fc2.bias"));
  }

  private static NDArray target(NDArray x) {
    return x.get(":, 0:1").mul(x.get(":, 1:2")).add(x.get(":, 2:3").sin());
  }

  @Override
  public Map<String, Double> validate(NDManager manager) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x5EEDL);
    float[] data = new float[256 * IN];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextGaussian();
    }
    NDArray x = manager.create(data, new Shape(256, IN));
    double loss = Losses.mse(forward(x, false), target(x)).getFloat();
    return Map.of("loss", loss);
  }
}
