package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;

/** Prints generation speed; asserts nothing (benchmarks are commands, this is a smoke check). */
class GenerationSpeedTest {
  private static void print(String what, WaveNetConfig c, int batch, int threads, int samples) {
    try (NDManager m = Seq4jEngine.get().newBaseManager()) {
      Map<String, NDArray> sd = RandomStateDict.create(m, c, 1);
      try (WaveNetGenerator g = new WaveNetGenerator(c, sd, threads)) {
        double best = 0;
        for (int i = 0; i < 3; i++) {
          best =
              Math.max(best, GenerationSpeed.samplesPerSecond(g, batch, 1f, samples / 2, samples));
        }
        System.out.printf(
            "speed %s, batch %d, %d thread(s): %,.0f samples/s (real-time factor %.2f at 16 kHz,"
                + " best of 3)%n",
            what, batch, threads, best, best / 16_000);
      }
    }
  }

  @Test
  void printSpeed() {
    print("model (b)", WaveNetConfig.modelB(), 1, 1, 8000);
    print("model (b)", WaveNetConfig.modelB(), 8, 2, 4000);
    print("model (a)", WaveNetConfig.modelA(), 1, 1, 3000);
  }
}
