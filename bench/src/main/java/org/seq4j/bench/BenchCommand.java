package org.seq4j.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code seq4j bench}: benchmarks that run seq4j and its peers in the same invocation, round by
 * round, and report medians and ratios.
 */
@Command(
    name = "bench",
    description =
        "Benchmark seq4j against PyTorch, interleaving their rounds in one run and reporting"
            + " medians and ratios.",
    subcommands = {OpsBench.class, RnnBench.class, NmtBench.class})
public final class BenchCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  private boolean help;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing benchmark; choose one of: " + String.join(", ", spec.subcommands().keySet()));
  }

  /** Runs {@code bench} on its own: {@code BenchCommand ops --threads 1,2}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }
}
