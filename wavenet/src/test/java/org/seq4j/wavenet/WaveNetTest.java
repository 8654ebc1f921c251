package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.io.Checkpoint;
import org.seq4j.io.SafeTensors;
import org.seq4j.nn.Losses;
import org.seq4j.optim.Adam;
import org.seq4j.optim.Gradients;

/**
 * What {@link WaveNet} promises besides parity: causality, the receptive field, the training loss
 * on full-field positions, the parameter names of {@link WaveNetConfig}, saving and loading, and
 * clear errors on bad input.
 */
class WaveNetTest {
  private static final int CLASSES = 16;

  private Engine engine;
  private NDManager manager;

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    engine.setRandomSeed(21);
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  /** Kernel 2, input kernel 2, dilations 1, 2, 4, 1, 2, 4: receptive field 2 + 14 = 16. */
  private static WaveNetConfig small() {
    return new WaveNetConfig(
        CLASSES, 6, 6, 8, 2, 2, new int[] {1, 2, 4, 1, 2, 4}, 0, 0, 0, 0, null);
  }

  private static WaveNetConfig conditioned() {
    return small()
        .withGlobalConditioning(3, 4)
        .withLocalConditioning(2, 4, WaveNetConfig.Upsampling.TRANSPOSED);
  }

  private WaveNet newNet(WaveNetConfig config) {
    WaveNet net = new WaveNet(config);
    net.initialize(manager, DataType.FLOAT64);
    return net;
  }

  private NDArray randomClasses(int batch, int time) {
    return manager.randomInteger(0, CLASSES, new Shape(batch, time), DataType.INT64);
  }

  /**
   * A training pass frees its intermediate arrays as it goes (autograd keeps what its backward
   * needs): the widest of them, every layer's skip output and partial sum, would otherwise stay
   * allocated until the step's manager closes.
   */
  @Test
  void trainingPassKeepsFewArraysAlive() {
    WaveNet deep = newNet(WaveNetConfig.stacked(3, 6, 8, 8, 32));
    try (NDManager step = manager.newSubManager()) {
      NDArray classes =
          step.randomInteger(0, 256, new Shape(2, deep.receptiveField() + 40), DataType.INT64);
      int before = step.getManagedArrays().size();
      try (GradientCollector collector = engine.newGradientCollector()) {
        collector.backward(deep.loss(classes, null, null, true));
      }
      int alive = step.getManagedArrays().size() - before;
      int layers = deep.config().layers();
      System.out.printf("training pass of %d layers: %d arrays alive%n", layers, alive);
      assertTrue(alive <= 5, alive + " arrays alive after a pass through " + layers + " layers");
    }
  }

  @Test
  void receptiveFieldIsTheConfigs() {
    WaveNet net = newNet(small());
    assertEquals(16, net.receptiveField());
    assertEquals(5117, WaveNetConfig.modelA().receptiveField());
  }

  @Test
  void logitsAtTDoNotDependOnLaterInputs() {
    WaveNet net = newNet(conditioned());
    NDArray classes = randomClasses(2, 24);
    NDArray ids = manager.create(new long[] {2, 0});
    NDArray features = manager.randomNormal(0, 1, new Shape(2, 2, 6), DataType.FLOAT64);
    double[] before = net.logits(classes, ids, features, false).toDoubleArray();
    int t = 13;
    NDArray changed = classes.duplicate();
    changed.set(new NDIndex(":, {}:", t + 1), 7L);
    double[] after = net.logits(changed, ids, features, false).toDoubleArray();
    int differing = 0;
    for (int b = 0; b < 2; b++) {
      for (int q = 0; q < CLASSES; q++) {
        for (int s = 0; s < 24; s++) {
          int i = (b * CLASSES + q) * 24 + s;
          if (s <= t) {
            assertEquals(before[i], after[i], 0, "logit at " + s + " changed");
          } else if (before[i] != after[i]) {
            differing++;
          }
        }
      }
    }
    assertTrue(differing > 0, "later logits do depend on the changed inputs");
  }

  @Test
  void logitAtTSeesExactlyTheReceptiveField() {
    WaveNet net = newNet(small());
    int field = (int) net.receptiveField();
    int time = field + 8;
    int t = time - 2;
    NDArray classes = randomClasses(1, time);
    double[] before = logitsAt(net, classes, t);
    // The oldest sample in the field changes the logit...
    double[] oldest = logitsAt(net, flipped(classes, t - field + 1), t);
    assertTrue(maxDifference(before, oldest) > 1e-9, "input t − RF + 1 is seen");
    // ...the one before it does not.
    double[] outside = logitsAt(net, flipped(classes, t - field), t);
    assertEquals(0, maxDifference(before, outside), 0, "input t − RF is not seen");
  }

  private double[] logitsAt(WaveNet net, NDArray classes, int t) {
    return net.logits(classes, null, null, false).get(new NDIndex(":, :, {}", t)).toDoubleArray();
  }

  private NDArray flipped(NDArray classes, int position) {
    NDArray copy = classes.duplicate();
    long current = classes.get(new NDIndex(":, {}", position)).toLongArray()[0];
    copy.set(new NDIndex(":, {}", position), (current + 5) % CLASSES);
    return copy;
  }

  private static double maxDifference(double[] a, double[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }

  @Test
  void trainingLossIsCrossEntropyOfTheFullFieldLogitsWithTheSameGradients() {
    WaveNet net = newNet(conditioned());
    int field = (int) net.receptiveField();
    int time = 28;
    NDArray classes = randomClasses(2, time);
    NDArray ids = manager.create(new long[] {1, 2});
    NDArray features = manager.randomNormal(0, 1, new Shape(2, 2, time / 4), DataType.FLOAT64);
    Map<String, NDArray> params = net.stateDict();

    NDArray loss;
    try (GradientCollector collector = engine.newGradientCollector()) {
      loss = net.loss(classes, ids, features, true);
      collector.backward(loss);
    }
    Map<String, double[]> lossGrads = gradients(params);
    zeroGradients(params);

    NDArray reference;
    try (GradientCollector collector = engine.newGradientCollector()) {
      NDArray logits = net.logits(classes, ids, features, true);
      NDArray scored = logits.get(new NDIndex(":, :, {}:{}", field - 1, time - 1));
      NDArray targets = classes.get(new NDIndex(":, {}:", field));
      reference = Losses.crossEntropy(scored.transpose(0, 2, 1), targets, -1, 0f);
      collector.backward(reference);
    }
    assertEquals(reference.getDouble(), loss.getDouble(), 1e-12);
    Map<String, double[]> referenceGrads = gradients(params);
    for (String name : params.keySet()) {
      assertArrayEquals(referenceGrads.get(name), lossGrads.get(name), 1e-12, name);
    }

    Losses.TokenSum sum = net.lossSum(classes, ids, features);
    assertEquals(2L * (time - field), sum.count());
    assertEquals(loss.getDouble(), sum.mean().getDouble(), 1e-12);
  }

  private static Map<String, double[]> gradients(Map<String, NDArray> params) {
    Map<String, double[]> out = new LinkedHashMap<>();
    params.forEach(
        (name, p) ->
            out.put(name, p.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()));
    return out;
  }

  private static void zeroGradients(Map<String, NDArray> params) {
    Gradients.zero(params);
  }

  @Test
  void repeatUpsamplingRepeatsEachFrame() {
    WaveNetConfig config = small().withLocalConditioning(2, 3, WaveNetConfig.Upsampling.REPEAT);
    WaveNet net = newNet(config);
    NDArray features = manager.create(new double[] {1, 2, 3, 4}, new Shape(1, 2, 2));
    assertArrayEquals(
        new double[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4},
        net.upsample(features).toDoubleArray(),
        0);
  }

  @Test
  void parameterNamesAndShapesFollowTheContract() {
    WaveNetConfig config = conditioned();
    WaveNet net = newNet(config);
    Map<String, NDArray> dict = net.stateDict();
    int q = CLASSES;
    Map<String, Shape> expected = new LinkedHashMap<>();
    expected.put("input.weight", new Shape(6, q, 2));
    expected.put("input.bias", new Shape(6));
    expected.put("global_embedding.weight", new Shape(3, 4));
    expected.put("upsample.weight", new Shape(2, 2, 4));
    expected.put("upsample.bias", new Shape(2));
    for (int i = 0; i < config.layers(); i++) {
      String p = "layers." + i + ".";
      expected.put(p + "filter.weight", new Shape(6, 6, 2));
      expected.put(p + "filter.bias", new Shape(6));
      expected.put(p + "gate.weight", new Shape(6, 6, 2));
      expected.put(p + "gate.bias", new Shape(6));
      expected.put(p + "residual.weight", new Shape(6, 6, 1));
      expected.put(p + "residual.bias", new Shape(6));
      expected.put(p + "skip.weight", new Shape(8, 6, 1));
      expected.put(p + "skip.bias", new Shape(8));
      expected.put(p + "filter_global.weight", new Shape(6, 4));
      expected.put(p + "gate_global.weight", new Shape(6, 4));
      expected.put(p + "filter_local.weight", new Shape(6, 2, 1));
      expected.put(p + "gate_local.weight", new Shape(6, 2, 1));
    }
    expected.put("head.conv1.weight", new Shape(8, 8, 1));
    expected.put("head.conv1.bias", new Shape(8));
    expected.put("head.conv2.weight", new Shape(q, 8, 1));
    expected.put("head.conv2.bias", new Shape(q));
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(dict.keySet()));
    long count = 0;
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      assertEquals(e.getValue(), dict.get(e.getKey()).getShape(), e.getKey());
      count += e.getValue().size();
    }
    assertEquals(count, net.parameterCount());
  }

  @Test
  void savedWeightsLoadIntoAFreshNetworkThatComputesTheSame(@TempDir Path dir) throws Exception {
    WaveNet net = newNet(conditioned());
    NDArray classes = randomClasses(2, 20);
    NDArray ids = manager.create(new long[] {0, 2});
    NDArray features = manager.randomNormal(0, 1, new Shape(2, 2, 5), DataType.FLOAT64);
    Path file = dir.resolve("wavenet.safetensors");
    SafeTensors.save(file, net.stateDict(), Map.of("config", net.config().toString()));

    WaveNet fresh = new WaveNet(conditioned());
    fresh.initialize(manager, DataType.FLOAT32);
    fresh.loadStateDict(SafeTensors.load(file, manager));
    WaveNet reloaded = new WaveNet(conditioned());
    reloaded.initialize(manager, DataType.FLOAT32);
    SafeTensors.loadInto(file, reloaded.stateDict());

    NDArray expected = net.logits(classes, ids, features, false).toType(DataType.FLOAT32, false);
    NDArray features32 = features.toType(DataType.FLOAT32, false);
    assertArrayEquals(
        expected.toFloatArray(),
        fresh.logits(classes, ids, features32, false).toFloatArray(),
        1e-4f);
    assertArrayEquals(
        expected.toFloatArray(),
        reloaded.logits(classes, ids, features32, false).toFloatArray(),
        1e-4f);
    assertTrue(Files.size(file) > 0);
  }

  @Test
  void aCheckpointWithOptimizerStateRestoresTheWeights(@TempDir Path dir) throws Exception {
    WaveNet net = new WaveNet(conditioned());
    net.initialize(manager);
    Map<String, NDArray> params = net.stateDict();
    NDArray classes = randomClasses(2, 24);
    NDArray ids = manager.create(new long[] {0, 1});
    NDArray features = manager.randomNormal(new Shape(2, 2, 6));
    Path file = dir.resolve("last.safetensors");
    try (Adam adam = new Adam(manager, 1e-2)) {
      for (int step = 0; step < 3; step++) {
        Steps.run(
            manager,
            m -> {
              try (GradientCollector collector = engine.newGradientCollector()) {
                collector.backward(net.loss(classes, ids, features, true));
              }
              adam.step(params, Gradients.of(params, m));
              Gradients.zero(params);
            });
      }
      new Checkpoint(params, adam.state(), null, null, null).save(file);
    }
    WaveNet restored = new WaveNet(conditioned());
    restored.initialize(manager);
    Checkpoint.load(file, manager).copyWeightsInto(restored.stateDict());
    assertArrayEquals(
        net.logits(classes, ids, features, false).toFloatArray(),
        restored.logits(classes, ids, features, false).toFloatArray(),
        0f);
  }

  @Test
  void badInputIsRejectedNamingTheArgument() {
    WaveNet net = newNet(conditioned());
    NDArray classes = randomClasses(2, 20);
    NDArray ids = manager.create(new long[] {0, 2});
    NDArray features = manager.randomNormal(0, 1, new Shape(2, 2, 5), DataType.FLOAT64);
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {"classes", manager.create(new long[] {1, 2, 3}), ids, features});
    cases.add(
        new Object[] {
          "classes", manager.create(new long[] {0, CLASSES}, new Shape(1, 2)), ids, features
        });
    cases.add(
        new Object[] {
          "classes", manager.create(new long[] {-1, 0}, new Shape(1, 2)), ids, features
        });
    cases.add(new Object[] {"classes", classes.toType(DataType.FLOAT32, false), ids, features});
    cases.add(new Object[] {"globalIds", classes, null, features});
    cases.add(new Object[] {"globalIds", classes, manager.create(new long[] {0, 3}), features});
    cases.add(new Object[] {"globalIds", classes, manager.create(new long[] {0}), features});
    cases.add(new Object[] {"localFeatures", classes, ids, null});
    cases.add(
        new Object[] {
          "localFeatures",
          classes,
          ids,
          manager.randomNormal(0, 1, new Shape(2, 2, 6), DataType.FLOAT64)
        });
    cases.add(
        new Object[] {
          "localFeatures",
          classes,
          ids,
          manager.randomNormal(0, 1, new Shape(2, 3, 5), DataType.FLOAT64)
        });
    cases.add(
        new Object[] {"localFeatures", classes, ids, manager.randomNormal(new Shape(2, 2, 5))});
    for (Object[] c : cases) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> net.logits((NDArray) c[1], (NDArray) c[2], (NDArray) c[3], false));
      assertTrue(e.getMessage().startsWith((String) c[0]), c[0] + ": " + e.getMessage());
    }

    WaveNet plain = newNet(small());
    IllegalArgumentException unexpectedGlobal =
        assertThrows(IllegalArgumentException.class, () -> plain.logits(classes, ids, null, false));
    assertTrue(unexpectedGlobal.getMessage().startsWith("globalIds"));
    IllegalArgumentException unexpectedLocal =
        assertThrows(
            IllegalArgumentException.class, () -> plain.logits(classes, null, features, false));
    assertTrue(unexpectedLocal.getMessage().startsWith("localFeatures"));
    IllegalArgumentException shortWindow =
        assertThrows(
            IllegalArgumentException.class,
            () -> plain.loss(randomClasses(2, (int) plain.receptiveField()), null, null, true));
    assertTrue(shortWindow.getMessage().startsWith("classes"));
  }
}
