package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, per shape, whether libtorch's LSTM <em>inference</em> kernel can be trusted on this CPU.
 *
 * <p>With gradients off, libtorch 2.7.1 runs oneDNN's inference kernel, and on AVX-512 CPUs it
 * returns wrong float32 results for some hidden sizes: on an AMD Zen 5, every H with {@code H mod
 * 32} in 1..16 (relative errors 0.1–1.7), while H = 17..32, 64, 96, 128, 256, 512 are exact.
 * oneDNN's training kernel is right for every size, and about 20% slower. So the first inference
 * call of each shape runs both kernels on a small batch drawn from a fixed seed and remembers
 * whether they agree; {@link Lstm} then takes the inference kernel only where they do.
 *
 * <p>The probe draws its numbers in Java, not from libtorch's generator, so that it never shifts a
 * seeded run's random stream.
 */
final class LstmInferenceKernel {
  /** The largest difference between the kernels still counted as agreement; the bug gives 0.1+. */
  static final double AGREEMENT = 1e-3;

  private static final int PROBE_BATCH = 5;
  private static final int PROBE_STEPS = 7;
  private static final long PROBE_SEED = 0x5eed4a11L;

  private static final Map<Probe, Boolean> VERDICTS = new ConcurrentHashMap<>();

  /** The shape of a fused call, as far as the kernels' choice goes. */
  private record Probe(DataType type, long inputSize, long hiddenSize, int layers, boolean bias) {}

  private LstmInferenceKernel() {}

  /**
   * Whether the inference kernel agrees with the training kernel for a fused call of {@code layers}
   * unidirectional layers from {@code inputSize} to {@code hiddenSize} features in {@code type},
   * with or without biases. Probes once per shape, in a child of {@code manager}.
   */
  static boolean trusted(
      NDManager manager, DataType type, long inputSize, long hiddenSize, int layers, boolean bias) {
    return VERDICTS.computeIfAbsent(
        new Probe(type, inputSize, hiddenSize, layers, bias),
        k -> probe(manager, type, inputSize, hiddenSize, layers, bias));
  }

  /** Runs both kernels on the same random problem and compares output, h and c. */
  private static boolean probe(
      NDManager manager, DataType type, long inputSize, long hiddenSize, int layers, boolean bias) {
    boolean gradMode = JniUtils.isGradMode();
    try (NDManager m = manager.newSubManager()) {
      SplittableRandom random = new SplittableRandom(PROBE_SEED);
      double bound = 1 / Math.sqrt(hiddenSize);
      NDList weights = new NDList();
      for (int l = 0; l < layers; l++) {
        long in = l == 0 ? inputSize : hiddenSize;
        weights.add(uniform(m, random, bound, type, 4 * hiddenSize, in));
        weights.add(uniform(m, random, bound, type, 4 * hiddenSize, hiddenSize));
        if (bias) {
          weights.add(uniform(m, random, bound, type, 4 * hiddenSize));
          weights.add(uniform(m, random, bound, type, 4 * hiddenSize));
        }
      }
      NDArray x = uniform(m, random, 1, type, PROBE_BATCH, PROBE_STEPS, inputSize);
      NDList state =
          new NDList(
              uniform(m, random, 1, type, layers, PROBE_BATCH, hiddenSize),
              uniform(m, random, 1, type, layers, PROBE_BATCH, hiddenSize));
      JniUtils.setGradMode(false);
      NDList inference = run(x, state, weights, layers, bias);
      JniUtils.setGradMode(true);
      NDList training = run(x, state, weights, layers, bias);
      double worst = 0;
      for (int i = 0; i < 3; i++) {
        NDArray a = inference.get(i).toType(DataType.FLOAT64, false);
        NDArray b = training.get(i).toType(DataType.FLOAT64, false);
        worst = Math.max(worst, a.sub(b).abs().max().getDouble());
      }
      return worst <= AGREEMENT;
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private static NDList run(NDArray x, NDList state, NDList weights, int layers, boolean bias) {
    return x.getNDArrayInternal().lstm(x, state, weights, bias, layers, 0, false, false, true);
  }

  private static NDArray uniform(
      NDManager m, SplittableRandom random, double bound, DataType type, long... dims) {
    Shape shape = new Shape(dims);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
    }
    return m.create(values, shape).toType(type, false);
  }
}
