package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;

/**
 * {@link Lstm} cuts long unidirectional calls into chunks of time (to stay in the cache); the
 * chunked result must be the step-by-step result, in training and in inference, with full and
 * variable lengths.
 */
class LstmChunkingTest {

  @Test
  void chunkedCallsMatchTheCellLoop() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(3);
    int batch = 16;
    int hidden = 256;
    long chunk = Lstm.CHUNK_BYTES / ((long) batch * 4 * hidden * Float.BYTES);
    int time = (int) (2 * chunk + 5); // three chunks, the last one short
    try (NDManager m = engine.newBaseManager()) {
      for (Lstm lstm :
          new Lstm[] {
            Lstm.builder().inputSize(6).hiddenSize(hidden).layers(2).build(),
            Lstm.builder().inputSize(6).hiddenSize(hidden).layers(2).bidirectional().build()
          }) {
        check(m, lstm, batch, time, chunk);
      }
    }
  }

  private static void check(NDManager m, Lstm lstm, int batch, int time, long chunk) {
    {
      lstm.initialize(m, DataType.FLOAT64);
      CellLoop oracle = new CellLoop(lstm, 0, m);
      NDArray x = m.randomNormal(new Shape(batch, time, 6)).toType(DataType.FLOAT64, false);
      int[] lengths = new int[batch];
      for (int b = 0; b < batch; b++) {
        lengths[b] = time - 3 * b; // distinct lengths: long segments get chunked too
      }
      for (int[] l : new int[][] {null, lengths}) {
        RnnOutput expected = oracle.forward(x, l, null);
        for (boolean training : new boolean[] {false, true}) {
          RnnOutput actual = lstm.forward(x, l, null, training);
          double err = RnnTesting.maxRelativeError(actual, expected);
          assertTrue(
              err < 1e-9,
              lstm + " T=" + time + " chunk " + chunk + " lengths " + (l != null) + ": " + err);
        }
      }
    }
  }
}
