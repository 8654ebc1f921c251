package org.seq4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every {@code seq4j bench} subcommand shares; use it as a picocli mixin. */
public final class BenchOptions {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  @Option(
      names = "--threads",
      split = ",",
      paramLabel = "N",
      description =
          "Intra-op thread counts to measure, comma-separated (default: 1 and the number of"
              + " cores).")
  private List<Integer> threads;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "7",
      description =
          "Timed rounds per implementation; the median is reported (default: ${DEFAULT-VALUE}).")
  private int rounds;

  @Option(
      names = "--min-time",
      paramLabel = "SECONDS",
      defaultValue = "0.2",
      description = "Minimum length of one timed round (default: ${DEFAULT-VALUE}).")
  private double minTimeS;

  @Option(names = "--json", description = "Print one JSON object per result and line.")
  private boolean json;

  @Option(names = "--no-peer", description = "Measure seq4j only, without the PyTorch peer.")
  private boolean noPeer;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  private boolean help;

  /** The distinct thread counts to measure, in the order given. */
  public List<Integer> threads() {
    List<Integer> requested =
        threads == null || threads.isEmpty() ? List.of(1, MachineInfo.cores()) : threads;
    for (int t : requested) {
      if (t < 1) {
        throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + t);
      }
    }
    return new ArrayList<>(new LinkedHashSet<>(requested));
  }

  /** The number of timed rounds per implementation. */
  public int rounds() {
    if (rounds < 1) {
      throw new ParameterException(spec.commandLine(), "--rounds must be >= 1, got " + rounds);
    }
    return rounds;
  }

  /** The minimum length of one timed round, in seconds. */
  public double minTimeS() {
    if (!(minTimeS > 0) || Double.isInfinite(minTimeS)) {
      throw new ParameterException(spec.commandLine(), "--min-time must be > 0, got " + minTimeS);
    }
    return minTimeS;
  }

  /** Whether to print JSON lines instead of a table. */
  public boolean json() {
    return json;
  }

  /** Whether to skip the PyTorch peer. */
  public boolean noPeer() {
    return noPeer;
  }
}
