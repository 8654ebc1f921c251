package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Adam;
import org.seq4j.optim.GradClip;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.Optimizer;

/**
 * End to end in seconds: a tiny GNMT trained with Adam on random sequences of 10 symbols (lengths 3
 * to 8) learns to reverse them, which needs the attention; greedy decoding through {@link
 * StepDecoder} then reverses held-out sequences exactly.
 */
class GnmtLearningTest {
  private static final int SYMBOLS = 10;
  private static final int FIRST = 4; // after PAD, UNK, BOS, EOS
  private static final int STEPS = 300;
  private static final int BATCH = 64;
  private static final int HELD_OUT = 200;
  private static final double REQUIRED = 0.9;

  @Test
  void tinyGnmtLearnsToReverseSymbolSequences() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(4);
    SplittableRandom random = new SplittableRandom(12);
    GnmtConfig config =
        GnmtConfig.small(FIRST + SYMBOLS).withSizes(32, 32).withLayers(2, 3).withDropout(0f);
    Gnmt gnmt = new Gnmt(config);
    Set<String> seen = new HashSet<>();
    double first = 0;
    double last = 0;
    long start = System.nanoTime();
    int correct = 0;
    try (NDManager manager = engine.newBaseManager()) {
      gnmt.initialize(manager, DataType.FLOAT32, 0.3f);
      Map<String, NDArray> params = gnmt.stateDict();
      try (Optimizer adam = new Adam(manager, 1e-2)) {
        for (int step = 0; step < STEPS; step++) {
          List<int[]> sources = new ArrayList<>();
          List<int[]> targets = new ArrayList<>();
          for (int b = 0; b < BATCH; b++) {
            int[] x = sequence(random);
            seen.add(Arrays.toString(x));
            sources.add(x);
            targets.add(reversed(x));
          }
          double loss =
              Steps.scoped(
                  manager,
                  m -> {
                    GnmtBatch batch = GnmtBatch.of(m, sources, targets, config);
                    NDArray value;
                    try (GradientCollector collector = engine.newGradientCollector()) {
                      value = gnmt.loss(batch, 0.1f, true);
                      collector.backward(value);
                    }
                    Map<String, NDArray> grads = Gradients.of(params, m);
                    GradClip.byGlobalNorm(grads.values(), 1.0);
                    adam.step(params, grads);
                    Gradients.zero(params);
                    return (double) value.getFloat();
                  });
          if (step < 10) {
            first += loss / 10;
          }
          if (step >= STEPS - 10) {
            last += loss / 10;
          }
        }
      }
      double trained = (System.nanoTime() - start) / 1e9;
      List<int[]> heldOut = new ArrayList<>();
      while (heldOut.size() < HELD_OUT) {
        int[] x = sequence(random);
        if (!seen.contains(Arrays.toString(x))) {
          heldOut.add(x);
        }
      }
      List<int[]> outputs = GreedyDecoding.decode(gnmt, manager, heldOut, 10);
      for (int i = 0; i < HELD_OUT; i++) {
        int[] expected = Arrays.copyOf(reversed(heldOut.get(i)), heldOut.get(i).length + 1);
        expected[expected.length - 1] = config.eos();
        if (Arrays.equals(expected, outputs.get(i))) {
          correct++;
        }
      }
      System.out.printf(
          "gnmt learning: %s, %,d parameters; loss %.3f -> %.3f in %d steps (%.1f s); greedy"
              + " reverses %d of %d held-out sequences exactly (%.1f s in all)%n",
          config.describe(),
          gnmt.parameterCount(),
          first,
          last,
          STEPS,
          trained,
          correct,
          HELD_OUT,
          (System.nanoTime() - start) / 1e9);
    }
    assertTrue(
        correct >= REQUIRED * HELD_OUT,
        "reversed " + correct + " of " + HELD_OUT + " held-out sequences exactly");
  }

  private static int[] sequence(SplittableRandom random) {
    int[] x = new int[random.nextInt(3, 9)];
    for (int i = 0; i < x.length; i++) {
      x[i] = FIRST + random.nextInt(SYMBOLS);
    }
    return x;
  }

  private static int[] reversed(int[] x) {
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[x.length - 1 - i];
    }
    return y;
  }
}
