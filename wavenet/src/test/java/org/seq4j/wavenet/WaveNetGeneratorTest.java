package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;

class WaveNetGeneratorTest {
  private static final double TOLERANCE = 1e-4;
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = Seq4jEngine.get().newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  private static WaveNetConfig config(
      int classes, int r, int d, int s, int kernel, int inputKernel, int... dilations) {
    return new WaveNetConfig(classes, r, d, s, kernel, inputKernel, dilations, 0, 0, 0, 0, null);
  }

  private static int[][] randomClasses(int batch, int steps, int classes, long seed) {
    Random random = new Random(seed);
    int[][] x = new int[batch][steps];
    for (int[] row : x) {
      // a random walk, as audio is, with an occasional jump
      int v = random.nextInt(classes);
      for (int t = 0; t < steps; t++) {
        v = random.nextInt(20) == 0 ? random.nextInt(classes) : v + random.nextInt(7) - 3;
        v = Math.max(0, Math.min(classes - 1, v));
        row[t] = v;
      }
    }
    return x;
  }

  private static float[][][] randomLocal(int batch, int steps, int channels, long seed) {
    Random random = new Random(seed);
    float[][][] f = new float[batch][steps][channels];
    for (float[][] clip : f) {
      for (float[] step : clip) {
        for (int i = 0; i < channels; i++) {
          step[i] = (float) random.nextGaussian();
        }
      }
    }
    return f;
  }

  /** Teacher-forced logits of the fast generator against the full-sequence DJL reference. */
  private static void assertParity(
      String name, WaveNetConfig c, int batch, int steps, boolean global, boolean local) {
    Map<String, NDArray> sd = RandomStateDict.create(manager, c, 7);
    int[][] x = randomClasses(batch, steps, c.classes(), 11);
    int[] ids = null;
    if (global) {
      ids = new int[batch];
      for (int b = 0; b < batch; b++) {
        ids[b] = (b * 2 + 1) % c.globalClasses();
      }
    }
    float[][][] features = local ? randomLocal(batch, steps, c.localChannels(), 13) : null;
    float[][][] expected = ReferenceWaveNet.logits(manager, c, sd, x, ids, features);
    float[][][] actual;
    try (WaveNetGenerator g = new WaveNetGenerator(c, sd)) {
      actual = g.logits(x, ids, features == null ? null : LocalConditioning.of(features));
    }
    double worst = 0;
    double scale = 0;
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        for (int q = 0; q < c.classes(); q++) {
          worst = Math.max(worst, Math.abs(actual[b][t][q] - expected[b][t][q]));
          scale = Math.max(scale, Math.abs(expected[b][t][q]));
        }
      }
    }
    System.out.printf(
        "logits parity %-44s batch %d, %d steps: worst |difference| %.2e (largest logit %.2f)%n",
        name, batch, steps, worst, scale);
    assertTrue(worst <= TOLERANCE, name + ": worst difference " + worst);
    assertTrue(scale > 0.5, name + ": logits too small to test anything");
    for (Map.Entry<String, NDArray> e : sd.entrySet()) {
      e.getValue().close();
    }
  }

  @Test
  void kernel2InputKernel2MatchesReference() {
    WaveNetConfig c = config(256, 32, 32, 64, 2, 2, 1, 2, 4, 8, 16, 1, 2, 4, 8, 16);
    assertParity("k 2, input k 2, 256 classes", c, 1, 200, false, false);
  }

  @Test
  void kernel3InputKernel1WithGlobalConditioningMatchesReference() {
    WaveNetConfig c = config(50, 24, 20, 40, 3, 1, 1, 2, 4, 1, 2, 4).withGlobalConditioning(3, 5);
    assertParity("k 3, input k 1, global, padded widths", c, 3, 120, true, false);
  }

  @Test
  void localAndGlobalConditioningMatchReference() {
    WaveNetConfig c =
        config(256, 16, 48, 80, 2, 2, 1, 2, 4, 8, 1, 2)
            .withGlobalConditioning(4, 6)
            .withLocalConditioning(7, 4, WaveNetConfig.Upsampling.REPEAT);
    assertParity("k 2, input k 2, global + local, 3-vector gates", c, 3, 100, true, true);
  }

  @Test
  void kernel1InputKernel3MatchesReference() {
    WaveNetConfig c = config(40, 20, 16, 32, 1, 3, 1, 1, 1);
    assertParity("k 1, input k 3", c, 2, 40, false, false);
  }

  @Test
  void modelBMatchesReference() {
    assertParity("model (b)", WaveNetConfig.modelB(), 1, 300, false, false);
  }

  private static WaveNetConfig small() {
    return config(256, 32, 32, 64, 2, 2, 1, 2, 4, 8, 16, 32, 1, 2, 4, 8);
  }

  @Test
  void seededSamplingIsReproducibleAndIndependentOfBatchAndThreads() {
    WaveNetConfig c = small().withGlobalConditioning(5, 4);
    Map<String, NDArray> sd = RandomStateDict.create(manager, c, 3);
    int[] ids5 = {0, 4, 2, 1, 3};
    int[][] five;
    int[][] again;
    int[][] threaded;
    int[][] three;
    int[][] one;
    int[][] otherSeed;
    try (WaveNetGenerator g1 = new WaveNetGenerator(c, sd);
        WaveNetGenerator g2 = new WaveNetGenerator(c, sd, 2);
        WaveNetGenerator g3 = new WaveNetGenerator(c, sd, 3)) {
      five = g1.generate(400, 5, 1f, 42, ids5, null, null);
      again = g1.generate(400, 5, 1f, 42, ids5, null, null);
      threaded = g2.generate(400, 5, 1f, 42, ids5, null, null);
      three = g3.generate(400, 3, 1f, 42, Arrays.copyOf(ids5, 3), null, null);
      one = g2.generate(400, 1, 1f, 42, Arrays.copyOf(ids5, 1), null, null);
      otherSeed = g1.generate(400, 5, 1f, 43, ids5, null, null);
    }
    assertTrue(Arrays.deepEquals(five, again), "same seed, same samples");
    assertTrue(Arrays.deepEquals(five, threaded), "2 threads give the samples of 1");
    for (int b = 0; b < 3; b++) {
      assertArrayEquals(five[b], three[b], "clip " + b + " in a batch of 3 on 3 threads");
    }
    assertArrayEquals(five[0], one[0], "clip 0 alone");
    assertFalse(Arrays.equals(five[0], otherSeed[0]), "another seed, other samples");
    assertFalse(Arrays.equals(five[0], five[1]), "clips differ");
    long distinct = Arrays.stream(five[0]).distinct().count();
    assertTrue(distinct > 10, "temperature 1 explores: " + distinct + " distinct classes");
  }

  @Test
  void samplesFollowTheirLogitsAndTheSampler() {
    WaveNetConfig c = small();
    Map<String, NDArray> sd = RandomStateDict.create(manager, c, 5);
    try (WaveNetGenerator g = new WaveNetGenerator(c, sd, 2)) {
      for (float temperature : new float[] {0f, 0.7f, 1f}) {
        int[][] out = g.generate(300, 2, temperature, 9);
        for (int clip = 0; clip < 2; clip++) {
          // The generated clip fed back: the sampler on its teacher-forced logits draws it again.
          int[] inputs = new int[300];
          inputs[0] = g.silence();
          System.arraycopy(out[clip], 0, inputs, 1, 299);
          float[][] logits = g.logits(inputs);
          Sampler sampler = new Sampler(c.classes());
          SplittableRandom random = Sampler.clipRandom(9, clip);
          for (int t = 0; t < 300; t++) {
            assertEquals(
                out[clip][t],
                sampler.sample(logits[t], 0, temperature, random),
                "temperature " + temperature + ", clip " + clip + ", sample " + t);
          }
        }
      }
    }
  }

  @Test
  void primingContinuesTheGivenSamples() {
    WaveNetConfig c = small();
    Map<String, NDArray> sd = RandomStateDict.create(manager, c, 5);
    try (WaveNetGenerator g = new WaveNetGenerator(c, sd)) {
      int[][] priming = randomClasses(2, 50, c.classes(), 3);
      int[][] out = g.generate(100, priming, 0.8f, 4, null, null, null);
      int[] inputs = new int[149];
      System.arraycopy(priming[1], 0, inputs, 0, 50);
      System.arraycopy(out[1], 0, inputs, 50, 99);
      float[][] logits = g.logits(inputs);
      Sampler sampler = new Sampler(c.classes());
      SplittableRandom random = Sampler.clipRandom(4, 1);
      for (int s = 0; s < 100; s++) {
        assertEquals(out[1][s], sampler.sample(logits[49 + s], 0, 0.8f, random), "sample " + s);
      }
    }
  }

  @Test
  void greedyIsTheArgMax() {
    float[] logits = {0.1f, 2f, -1f, 2f, 1.9f};
    assertEquals(1, new Sampler(5).sample(logits, 0, 0f, new SplittableRandom(1)));
    assertEquals(1, new Sampler(5).sample(logits, 0, -1f, new SplittableRandom(1)));
  }

  @Test
  void samplerFollowsTheSoftmax() {
    float[] logits = new float[21]; // a tail beyond whole vectors
    for (int q = 0; q < logits.length; q++) {
      logits[q] = (float) Math.sin(q);
    }
    float temperature = 0.5f;
    double[] p = new double[logits.length];
    double sum = 0;
    for (int q = 0; q < p.length; q++) {
      p[q] = Math.exp(logits[q] / temperature);
      sum += p[q];
    }
    int draws = 200_000;
    int[] counts = new int[logits.length];
    Sampler sampler = new Sampler(logits.length);
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < draws; i++) {
      counts[sampler.sample(logits, 0, temperature, random)]++;
    }
    for (int q = 0; q < p.length; q++) {
      double expected = p[q] / sum;
      double sd = Math.sqrt(expected * (1 - expected) / draws);
      assertEquals(expected, counts[q] / (double) draws, 5 * sd + 1e-6, "class " + q);
    }
  }

  @Test
  void noAllocationPerSample() {
    WaveNetConfig c = small().withGlobalConditioning(3, 4);
    Map<String, NDArray> sd = RandomStateDict.create(manager, c, 5);
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (WaveNetGenerator g = new WaveNetGenerator(c, sd)) {
      for (int batch : new int[] {1, 3}) {
        int[] ids = new int[batch];
        GenerationStream stream = g.open(batch, 1f, 1, ids, null);
        int[] next = new int[batch];
        Arrays.fill(next, g.silence());
        double perSample = Double.NaN;
        for (int round = 0; round < 100; round++) { // warm up until the kernels are compiled
          long before = bean.getCurrentThreadAllocatedBytes();
          for (int s = 0; s < 2000; s++) {
            stream.feed(next);
            stream.sample(next);
          }
          perSample = (bean.getCurrentThreadAllocatedBytes() - before) / 2000.0;
          if (round >= 5 && perSample < 8) {
            break;
          }
        }
        System.out.printf("batch %d: %.3f bytes allocated per sample%n", batch, perSample);
        assertTrue(perSample < 8, "batch " + batch + ": " + perSample + " bytes per sample");
      }
    }
  }

  @Test
  void missingOrMisshapenTensorsAreNamed() {
    WaveNetConfig c = small();
    Map<String, NDArray> sd = new LinkedHashMap<>(RandomStateDict.create(manager, c, 5));
    NDArray skip = sd.remove("layers.3.skip.weight");
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> new WaveNetGenerator(c, sd));
    assertTrue(missing.getMessage().contains("layers.3.skip.weight"), missing.getMessage());
    sd.put("layers.3.skip.weight", skip);
    sd.put("head.conv2.weight", manager.zeros(new Shape(256, 64)));
    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> new WaveNetGenerator(c, sd));
    assertTrue(shape.getMessage().contains("head.conv2.weight"), shape.getMessage());
    WaveNetConfig global = c.withGlobalConditioning(2, 3);
    IllegalArgumentException noGlobal =
        assertThrows(
            IllegalArgumentException.class,
            () -> new WaveNetGenerator(global, RandomStateDict.create(manager, c, 5)));
    assertTrue(noGlobal.getMessage().contains("global"), noGlobal.getMessage());
  }

  @Test
  void badRequestsAreRejected() {
    WaveNetConfig c = small();
    try (WaveNetGenerator g = new WaveNetGenerator(c, RandomStateDict.create(manager, c, 5))) {
      assertThrows(IllegalArgumentException.class, () -> g.generate(10, 0, 1f, 1));
      assertThrows(
          IllegalArgumentException.class,
          () -> g.generate(10, 1, 1f, 1, new int[] {0}, null, null));
      assertThrows(IllegalArgumentException.class, () -> g.logits(new int[] {0, 256}));
      assertThrows(
          IllegalArgumentException.class,
          () -> g.generate(10, new int[][] {{1, 2}, {3}}, 1f, 1, null, null, null));
      assertThrows(
          IllegalStateException.class, () -> g.open(1, 1f, 1, null, null).sample(new int[1]));
    }
  }

  @Test
  void progressIsReported() {
    WaveNetConfig c = small();
    try (WaveNetGenerator g = new WaveNetGenerator(c, RandomStateDict.create(manager, c, 5), 2)) {
      long[] last = {-1, 0};
      g.generate(
          1000,
          4,
          1f,
          1,
          null,
          null,
          (done, total) -> {
            assertTrue(done >= last[0], "progress never goes back");
            last[0] = done;
            last[1] = total;
          });
      assertEquals(1000, last[0]);
      assertEquals(1000, last[1]);
    }
  }
}
