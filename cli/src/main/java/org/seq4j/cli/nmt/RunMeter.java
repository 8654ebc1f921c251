package org.seq4j.cli.nmt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.seq4j.train.StepStats;
import org.seq4j.train.TrainListener;
import org.seq4j.train.TrainLoop;

/**
 * What {@code nmt train} reports and keeps besides the loop's own files: training throughput with
 * validation time taken out, the process's CPU time, and the last N periodic checkpoints as {@code
 * step-STEP.safetensors}.
 */
final class RunMeter implements TrainListener {
  private final Path dir;
  private final int keep;
  private long tokens;
  private long steps;
  private long lastEvent;
  private double validationSeconds;
  private final long startNanos = System.nanoTime();
  private final long startCpu = cpuNanos();

  /**
   * @param dir the checkpoint directory
   * @param keep how many periodic checkpoints to keep as copies (0 for none)
   */
  RunMeter(Path dir, int keep) {
    this.dir = dir;
    this.keep = keep;
    this.lastEvent = startNanos;
  }

  @Override
  public void onStep(StepStats stats) {
    tokens += stats.tokens();
    steps++;
    lastEvent = System.nanoTime();
  }

  @Override
  public void onValidation(long step, Map<String, Double> metrics) {
    long now = System.nanoTime();
    validationSeconds += (now - lastEvent) / 1e9;
    lastEvent = now;
  }

  @Override
  public void onCheckpoint(long step, Path file, boolean best) {
    if (keep <= 0 || best || !file.getFileName().toString().equals(TrainLoop.LAST)) {
      return;
    }
    try {
      Files.copy(
          file,
          dir.resolve(String.format("step-%07d.safetensors", step)),
          StandardCopyOption.REPLACE_EXISTING);
      List<Path> kept = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        files
            .filter(p -> p.getFileName().toString().matches("step-\\d+\\.safetensors"))
            .sorted()
            .forEach(kept::add);
      }
      for (int i = 0; i < kept.size() - keep; i++) {
        Files.deleteIfExists(kept.get(i));
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("could not keep a copy of " + file + ": " + ex, ex);
    }
  }

  /** Target tokens trained on in this invocation. */
  long tokens() {
    return tokens;
  }

  /** Seconds spent in validation. */
  double validationSeconds() {
    return validationSeconds;
  }

  /** Training steps per second, validation taken out. */
  double stepsPerSecond(double totalSeconds) {
    return steps / Math.max(1e-9, totalSeconds - validationSeconds);
  }

  /** Target tokens per second, validation taken out. */
  double tokensPerSecond(double totalSeconds) {
    return tokens / Math.max(1e-9, totalSeconds - validationSeconds);
  }

  /** CPU seconds the process used since this meter was made. */
  double cpuSeconds() {
    return (cpuNanos() - startCpu) / 1e9;
  }

  private static long cpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
