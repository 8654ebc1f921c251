package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The partial and sparse products give exactly the floats of one dense pass. */
class PackedMatrixTest {
  private static final int LANES = PackedMatrix.LANES;

  private static float[] random(int n, SplittableRandom random) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return a;
  }

  private static PackedMatrix matrix(int inputs, int outputs, long seed) {
    float[] w = random(inputs * outputs, new SplittableRandom(seed));
    return PackedMatrix.pack(inputs, outputs, (j, o) -> w[j * outputs + o]);
  }

  @Test
  void twoRangesGiveOnePass() {
    SplittableRandom random = new SplittableRandom(3);
    // 8, 7 and 1 vectors of outputs: paired four-vector tiles, and the two- and one-vector tiles
    for (int vectors : new int[] {8, 7, 1}) {
      int inputs = 40;
      int outputs = vectors * LANES;
      PackedMatrix m = matrix(inputs, outputs, vectors);
      for (int rows : new int[] {1, 2, 3, 4, 5}) {
        float[] x = random(rows * inputs, random);
        float[] base = random(rows * outputs, random);
        float[] bias = random(outputs, random);
        float[] whole = new float[rows * outputs];
        m.apply(rows, x, 0, inputs, base, 0, outputs, bias, whole, 0, outputs);
        float[] half = new float[rows * outputs];
        m.apply(rows, x, 0, inputs, base, 0, outputs, bias, half, 0, outputs, 0, 17);
        float[] split = new float[rows * outputs];
        float[] zeros = new float[outputs];
        m.apply(rows, x, 0, inputs, half, 0, outputs, zeros, split, 0, outputs, 17, inputs - 17);
        assertArrayEquals(whole, split, vectors + " vectors, " + rows + " rows");
      }
    }
  }

  @Test
  void sparseGivesDense() {
    SplittableRandom random = new SplittableRandom(5);
    for (int vectors : new int[] {16, 8, 7, 3}) {
      int inputs = 64;
      int outputs = vectors * LANES;
      PackedMatrix m = matrix(inputs, outputs, vectors);
      float[] x = random(inputs, random);
      for (int j = 0; j < inputs; j++) {
        x[j] = Math.max(x[j], 0f); // a ReLU's output: about half zeros
      }
      float[] bias = random(outputs, random);
      float[] dense = new float[outputs];
      m.apply(1, x, 0, inputs, null, 0, 0, bias, dense, 0, outputs);
      float[] sparse = new float[outputs];
      m.applySparse(x, 0, bias, sparse, 0, new int[inputs], new float[inputs]);
      assertArrayEquals(dense, sparse, vectors + " vectors");
    }
  }
}
