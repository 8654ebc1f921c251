package org.seq4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.seq4j.engine.Seq4jEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code seq4j bench rnn}: training and inference throughput of a 2-layer, 256-unit LSTM or GRU on
 * a batch of 64 sequences of 50 steps, in tokens per second, for three implementations measured in
 * the same run, round by round:
 *
 * <ul>
 *   <li>{@code seq4j}: {@code org.seq4j.nn.Lstm} / {@code Gru}, given the lengths for {@code
 *       varlen};
 *   <li>{@code djl-raw}: DJL's fused {@code lstm}/{@code gru} operator called directly, for the
 *       fixed-length layouts ({@link DjlRawRnnStep});
 *   <li>{@code pytorch}: {@code nn.LSTM} / {@code nn.GRU} in Python, packing and unpacking
 *       variable-length batches ({@code bench/peers/rnn.py}).
 * </ul>
 *
 * <p>A training call is forward and backward of {@code sum(output * weight)} for a fixed random
 * weight, with the gradients reset; an inference call is the forward pass without gradients. The
 * Java rows also report the Java heap bytes each call allocates.
 */
@Command(
    name = "rnn",
    description =
        "Time LSTM/GRU training and inference (2 layers, 256 hidden, T=50, B=64) in seq4j, raw"
            + " DJL and PyTorch; report tokens/s.")
public final class RnnBench implements Callable<Integer> {
  /** The peer script in {@code bench/peers/}. */
  public static final String PEER_SCRIPT = "rnn.py";

  /** The implementation name of the Python peer's rows. */
  public static final String PYTORCH = PeerSession.IMPL;

  /**
   * The largest difference allowed between seq4j's and raw DJL's outputs (which are in [-1, 1]) for
   * the same weights and input.
   */
  static final float AGREEMENT_TOLERANCE = 1e-4f;

  @Spec private CommandSpec spec;

  @Mixin private BenchOptions options;

  @Option(
      names = "--cell",
      paramLabel = "CELL",
      defaultValue = "lstm",
      description = "The recurrent cell: lstm or gru (default: ${DEFAULT-VALUE}).")
  private String cell;

  @Option(
      names = "--layouts",
      split = ",",
      paramLabel = "LAYOUT",
      description =
          "Batch layouts, comma-separated (default: all of fixed, varlen, bidir): fixed lengths,"
              + " lengths uniform in [25, 50], bidirectional.")
  private List<String> layouts;

  @Option(
      names = "--modes",
      split = ",",
      paramLabel = "MODE",
      description = "What to time, comma-separated (default: train,infer).")
  private List<String> modes;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description = "Seed of the sequence lengths, weights and inputs (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!RnnWorkload.CELLS.contains(cell)) {
      throw new ParameterException(
          spec.commandLine(),
          "unknown cell '" + cell + "'; known: " + String.join(", ", RnnWorkload.CELLS));
    }
    List<RnnLayout> selectedLayouts = parse(layouts, RnnLayout.values(), RnnLayout::of);
    List<RnnBenchMode> selectedModes = parse(modes, RnnBenchMode.values(), RnnBenchMode::of);
    List<Integer> threadCounts = options.threads();
    int rounds = options.rounds();
    double minTimeS = options.minTimeS();

    Engine engine = Seq4jEngine.get();
    PeerSession peer = PeerSession.start(PEER_SCRIPT, !options.noPeer(), err);
    List<RnnResult> all = new ArrayList<>();
    try (peer;
        NDManager manager = engine.newBaseManager()) {
      for (RnnBenchMode mode : selectedModes) {
        for (RnnLayout layout : selectedLayouts) {
          RnnWorkload workload = RnnWorkload.standard(cell, layout, seed);
          for (int threads : threadCounts) {
            Seq4jEngine.configure(threads, -1);
            List<RoundSeries> series;
            try (NDManager caseManager = manager.newSubManager()) {
              List<Contender> java = javaContenders(workload, mode, caseManager, minTimeS);
              series = peer.runRounds(rounds, java, workload.peerRequest(mode, threads, minTimeS));
            }
            List<RnnResult> results = new ArrayList<>();
            for (RoundSeries s : series) {
              results.add(RnnResult.of(mode, workload, threads, s));
            }
            results = RnnReport.withRatios(results);
            all.addAll(results);
            if (options.json()) {
              RnnReport.printJson(out, results);
            }
          }
        }
      }
    }
    if (!options.json()) {
      RnnReport.printTable(out, all, footer(engine, peer.measuredDescription(), rounds, minTimeS));
    }
    return peer.exitCode();
  }

  /**
   * Builds seq4j's step and, where the layout allows, raw DJL's with the same weights; checks that
   * each gives a finite output (and gradients, when training) and that the two agree; returns their
   * contenders.
   */
  private static List<Contender> javaContenders(
      RnnWorkload workload, RnnBenchMode mode, NDManager manager, double minTimeS) {
    Seq4jRnnStep seq4j = new Seq4jRnnStep(workload, mode, manager);
    List<JavaRnnStep> steps = new ArrayList<>(List.of(seq4j));
    if (DjlRawRnnStep.supports(workload.layout())) {
      DjlRawRnnStep raw = new DjlRawRnnStep(workload, mode, manager, seq4j.parameters());
      seq4j.checkAgreesWith(raw, AGREEMENT_TOLERANCE);
      steps.add(raw);
    }
    List<Contender> contenders = new ArrayList<>();
    for (JavaRnnStep step : steps) {
      step.check();
      contenders.add(Contender.inProcess(step.impl(), step.call(), minTimeS));
    }
    return contenders;
  }

  private <T> List<T> parse(List<String> names, T[] all, Function<String, T> byName) {
    if (names == null || names.isEmpty()) {
      return List.of(all);
    }
    List<T> selected = new ArrayList<>();
    for (String name : names) {
      T value;
      try {
        value = byName.apply(name.strip());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (!selected.contains(value)) {
        selected.add(value);
      }
    }
    return selected;
  }

  private List<String> footer(Engine engine, String peerDescription, int rounds, double minTimeS) {
    RnnWorkload varlen = RnnWorkload.standard(cell, RnnLayout.VARLEN, seed);
    RnnWorkload fixed = RnnWorkload.standard(cell, RnnLayout.FIXED, seed);
    List<String> footer = new ArrayList<>();
    footer.add("");
    footer.add(
        "workload: "
            + fixed.describe()
            + "; tokens per step: "
            + fixed.tokensPerStep()
            + " (fixed, bidir), "
            + varlen.tokensPerStep()
            + " (varlen, lengths "
            + RnnWorkload.MIN_LENGTH
            + ".."
            + RnnWorkload.STEPS
            + ", seed "
            + seed
            + ")");
    footer.add(MachineInfo.footerLine(engine, peerDescription));
    footer.add(
        String.format(
            Locale.ROOT,
            "medians of %d interleaved rounds of >= %.2f s; ratios are tokens/s, > 1 favours seq4j",
            rounds,
            minTimeS));
    return footer;
  }
}
