package org.seq4j.cli.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seq4j experiment NAME}: runs a reproducible study and writes its report. */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a reproducible study: print its tables and write report.md with PNG plots.",
      "",
      "Experiments:",
      "  why-not-feedforward   a window MLP against an LSTM on a task that reads the whole"
          + " sequence: sizes, and lengths beyond training",
      "  vanishing-gradients   RNN, LSTM, GRU and TCN on the adding and copy-memory problems"
          + " (Bai et al. 2018) at several lengths, with the gradient reaching the first step",
      "  conv-vs-recurrent     LSTM, GRU and TCN character models of equal size on fortunes"
          + " (bits/char, training time, generation speed), and sunspot forecasting",
      "  residual-depth        2-, 4- and 8-layer LSTM character models of the fortunes, with"
          + " and without residual connections (GNMT, Wu et al. 2016), on one step budget",
      ""
    })
public final class ExperimentCommand implements Callable<Integer> {
  /** Every experiment, by name. */
  static final List<Experiment> EXPERIMENTS =
      List.of(
          new WhyNotFeedforward(),
          new VanishingGradients(),
          new ConvVsRecurrent(),
          new ResidualDepth());

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      converter = ByName.class,
      description =
          "why-not-feedforward, vanishing-gradients, conv-vs-recurrent or residual-depth.")
  Experiment experiment;

  @Option(
      names = "--quick",
      description = "A seconds-long version (small models, few steps), for tests and a first look.")
  boolean quick;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: runs/experiment-NAME).")
  Path out;

  @Option(
      names = "--seed",
      description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(
      names = "--data-dir",
      paramLabel = "DATA_DIR",
      description =
          "The data directory of `seq4j data fetch`, for experiments on real data (default:"
              + " ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("data");

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? out : Path.of("runs", "experiment-" + experiment.name());
    System.out.printf(
        Locale.ROOT,
        "seq4j experiment %s%s (seed %d)%n",
        experiment.name(),
        quick ? " --quick" : "",
        seed);
    long start = System.nanoTime();
    experiment.run(new ExperimentRun(quick, seed, dir, dataDir, System.out));
    System.out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** Finds an experiment by name, or names the choices. */
  static final class ByName implements CommandLine.ITypeConverter<Experiment> {
    @Override
    public Experiment convert(String name) {
      return EXPERIMENTS.stream()
          .filter(e -> e.name().equals(name))
          .findFirst()
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "unknown experiment '"
                          + name
                          + "': choose one of "
                          + EXPERIMENTS.stream()
                              .map(Experiment::name)
                              .collect(Collectors.joining(", "))));
    }
  }
}
