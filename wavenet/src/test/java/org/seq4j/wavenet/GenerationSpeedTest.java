package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;

/**
 * Prints generation speed; asserts nothing (benchmarks are commands, this is a smoke check). On a
 * shared machine the wall-clock figure depends on the load; for one thread the figure per second of
 * the thread's CPU time is printed beside it.
 */
class GenerationSpeedTest {
  private static void print(String what, WaveNetConfig c, int batch, int threads, int samples) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (NDManager m = Seq4jEngine.get().newBaseManager()) {
      Map<String, NDArray> sd = RandomStateDict.create(m, c, 1);
      try (WaveNetGenerator g = new WaveNetGenerator(c, sd, threads)) {
        g.generate(samples, batch, 1f, 1); // warm-up: compile the kernels
        double wall = 0;
        double cpu = 0;
        for (int i = 0; i < 3; i++) {
          long cpu0 = threads == 1 ? bean.getCurrentThreadCpuTime() : os.getProcessCpuTime();
          long wall0 = System.nanoTime();
          g.generate(samples, batch, 1f, 2 + i);
          double total = (double) batch * samples;
          wall = Math.max(wall, total / ((System.nanoTime() - wall0) / 1e9));
          long cpu1 = threads == 1 ? bean.getCurrentThreadCpuTime() : os.getProcessCpuTime();
          cpu = Math.max(cpu, total / ((cpu1 - cpu0) / 1e9));
        }
        System.out.printf(
            "speed %s, batch %d, %d thread(s): %,.0f samples/s wall clock (real-time factor %.2f"
                + " at 16 kHz)%s, best of 3%n",
            what,
            batch,
            threads,
            wall,
            wall / 16_000,
            threads == 1
                ? String.format(", %,.0f per CPU second", cpu)
                : String.format(", %,.0f per CPU second of the whole process", cpu));
      }
    }
  }

  @Test
  void printSpeed() {
    print("model (b)", WaveNetConfig.modelB(), 1, 1, 8000);
    if (Boolean.getBoolean("seq4j.quick")) {
      print("model (b)", WaveNetConfig.modelB(), 1, 1, 8000);
      return;
    }
    print("model (b)", WaveNetConfig.modelB(), 8, 2, 4000);
    print("model (b)", WaveNetConfig.modelB(), 4, 1, 4000);
    print("model (a)", WaveNetConfig.modelA(), 1, 1, 3000);
  }
}
