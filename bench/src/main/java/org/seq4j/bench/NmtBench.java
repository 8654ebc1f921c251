package org.seq4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.io.SafeTensors;
import org.seq4j.nmt.BeamSearch;
import org.seq4j.nmt.Gnmt;
import org.seq4j.nmt.GnmtBatch;
import org.seq4j.nmt.GnmtConfig;
import org.seq4j.nmt.Translation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code seq4j bench nmt}: GNMT training and translation throughput on a synthetic workload ({@link
 * NmtWorkload}: random token ids, sentence lengths 10 to 40, seeded), for the implementations
 * measured in the same run, round by round:
 *
 * <ul>
 *   <li>{@code seq4j}: {@link Gnmt#loss} (decoder fused over the target) for training, {@link
 *       BeamSearch} over {@link Gnmt} for translation;
 *   <li>{@code seq4j-stepwise}: the same model trained with the decoder run one target step at a
 *       time through the cell and attention step APIs ({@link StepwiseGnmt});
 *   <li>{@code pytorch}: the same model and weights in PyTorch ({@code bench/peers/gnmt.py}),
 *       trained with {@code torch.optim.Adam}, translated by a batched beam search with the same
 *       scoring.
 * </ul>
 *
 * <p>A training call is one step on the batch: forward with dropout, label-smoothed (0.1)
 * cross-entropy, backward, Adam update; its tokens are the batch's source plus target tokens. A
 * translation call translates the batch of sources at beam 1 (greedy) or 5 ({@code α = 0.6}, {@code
 * β = 0.2}); its tokens are the target tokens produced, EOS included.
 *
 * <p>Before timing, the peer must agree with seq4j on the same weights: the loss of the training
 * batch in eval mode within {@value #LOSS_TOLERANCE} (relative), and the greedy translations of the
 * translation batch in float64, token for token. A peer that fails a check is left out.
 */
@Command(
    name = "nmt",
    description =
        "Time GNMT training (tokens/s) and beam-search translation (sentences/s, tokens/s) in"
            + " seq4j, seq4j with a step-by-step decoder, and PyTorch.")
public final class NmtBench implements Callable<Integer> {
  /** The peer script in {@code bench/peers/}. */
  public static final String PEER_SCRIPT = "gnmt.py";

  /** The implementation name of seq4j's rows. */
  public static final String SEQ4J = NmtReport.PRIMARY;

  /** The implementation name of the step-by-step decoder's rows. */
  public static final String STEPWISE = "seq4j-stepwise";

  /** The implementation name of the Python peer's rows. */
  public static final String PYTORCH = PeerSession.IMPL;

  /** The op of training rows. */
  public static final String TRAIN = "nmt-train";

  /** The op of translation rows. */
  public static final String TRANSLATE = "nmt-translate";

  /** The largest relative difference allowed between seq4j's and the peer's loss. */
  static final double LOSS_TOLERANCE = 1e-4;

  /** Calls before the first timed round of a Java implementation (see {@link #warmedUp}). */
  static final int WARM_UP_CALLS = 4;

  /**
   * Seconds of untimed calls before the first timed round, on both sides (the peer gets it as
   * {@code warm_up_s}). seq4j then goes on until the JIT compiler is quiet ({@link JitWarmUp}), for
   * at most {@link #MAX_WARM_UP_S}: a fresh JVM compiles the beam search's Java paths for about
   * half a minute of calls (compilations per 5 s of beam-5 calls on two threads: 1,901, 236, 93,
   * 80, 48, 38, 11), and on two cores the compiler threads take turns with the timed work. The
   * peer, without a JIT compiler, is steady after its first calls.
   */
  static final double WARM_UP_S = 10.0;

  /** The longest warm-up of a seq4j case while the JIT compiler is still busy. */
  static final double MAX_WARM_UP_S = 60.0;

  /** {@link #WARM_UP_S}, at most 50 rounds' worth (short rounds are for quick checks). */
  static double warmUpS(double minTimeS) {
    return Math.max(minTimeS, Math.min(WARM_UP_S, 50 * minTimeS));
  }

  /** {@link #MAX_WARM_UP_S}, at most 300 rounds' worth, and at least {@link #warmUpS}. */
  static double maxWarmUpS(double minTimeS) {
    return Math.max(warmUpS(minTimeS), Math.min(MAX_WARM_UP_S, 300 * minTimeS));
  }

  private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(10);

  @Spec private CommandSpec spec;

  @Mixin private BenchOptions options;

  @Option(
      names = "--modes",
      split = ",",
      paramLabel = "MODE",
      description = "What to time, comma-separated: train, translate (default: both).")
  private List<String> modes;

  @Option(
      names = "--beams",
      split = ",",
      paramLabel = "K",
      description = "Beam widths of the translation, comma-separated (default: 1,5).")
  private List<Integer> beams;

  @Option(
      names = "--vocab",
      paramLabel = "V",
      defaultValue = "" + NmtWorkload.VOCABULARY,
      description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
  private int vocab;

  @Option(
      names = "--hidden",
      paramLabel = "H",
      description = "Embedding and layer size (default: GnmtConfig.small's, 256).")
  private Integer hidden;

  @Option(
      names = "--batch",
      paramLabel = "PAIRS",
      defaultValue = "" + NmtWorkload.BATCH,
      description = "Sentence pairs in the training batch (default: ${DEFAULT-VALUE}).")
  private int batch;

  @Option(
      names = "--sentences",
      paramLabel = "N",
      defaultValue = "" + NmtWorkload.SENTENCES,
      description = "Sources per translation call (default: ${DEFAULT-VALUE}).")
  private int sentences;

  @Option(
      names = "--lengths",
      paramLabel = "MIN..MAX",
      defaultValue = NmtWorkload.MIN_LENGTH + ".." + NmtWorkload.MAX_LENGTH,
      description = "Sentence lengths, uniform (default: ${DEFAULT-VALUE}).")
  private String lengths;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description = "Seed of the data, the weights and dropout (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean train = selectedModes().contains("train");
    boolean translate = selectedModes().contains("translate");
    List<Integer> beamWidths = selectedBeams();
    List<Integer> threadCounts = options.threads();
    int rounds = options.rounds();
    double minTimeS = options.minTimeS();
    NmtWorkload workload = workload();
    int checkThreads = threadCounts.stream().max(Integer::compare).orElse(1);

    Engine engine = Seq4jEngine.get();
    PeerSession peer = PeerSession.start(PEER_SCRIPT, !options.noPeer(), err);
    List<NmtResult> all = new ArrayList<>();
    List<NmtCheck> checks = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> warmUps = new ArrayList<>();
    List<TrainBound> bounds = new ArrayList<>();
    Path dir = temporaryDirectory();
    try (peer;
        NDManager manager = engine.newBaseManager()) {
      Seq4jEngine.configure(checkThreads, -1);
      engine.setRandomSeed((int) seed);
      GnmtConfig config = workload.config();
      Gnmt model = new Gnmt(config);
      model.initialize(manager);
      Path weightsFile = dir.resolve("gnmt.safetensors");
      SafeTensors.save(weightsFile, model.stateDict(), null);
      String weights = weightsFile.toString();

      if (train) {
        try (NDManager caseManager = manager.newSubManager()) {
          GnmtBatch data =
              GnmtBatch.of(caseManager, workload.trainSources(), workload.trainTargets(), config);
          Seq4jEngine.configure(checkThreads, -1);
          record(checkLoss(model, data, workload, weights, checkThreads, peer), checks, out);
          try (NmtTrainer fused = NmtTrainer.fused(caseManager, config, model.stateDict(), data);
              NmtTrainer stepwise =
                  NmtTrainer.stepwise(caseManager, config, model.stateDict(), data);
              NmtTrainer shared =
                  NmtTrainer.sharedPart(caseManager, config, model.stateDict(), data)) {
            fused.check();
            stepwise.check();
            shared.check();
            for (int threads : threadCounts) {
              Seq4jEngine.configure(threads, -1);
              engine.setRandomSeed((int) seed);
              List<Contender> java =
                  List.of(
                      warmedUp(fused.impl(), fused.call(), minTimeS, trainLabel(threads), warmUps),
                      warmedUp(
                          stepwise.impl(), stepwise.call(), minTimeS, trainLabel(threads), warmUps),
                      warmedUp(
                          shared.impl(), shared.call(), minTimeS, trainLabel(threads), warmUps));
              List<RoundSeries> series =
                  peer.runRounds(
                      rounds, java, workload.peerTrainRequest(weights, threads, minTimeS));
              List<NmtResult> results = new ArrayList<>();
              RoundSeries sharedSeries = null;
              RoundSeries stepwiseSeries = null;
              for (RoundSeries s : series) {
                if (s.impl().equals(NmtTrainer.SHARED_PART)) {
                  sharedSeries = s;
                  continue;
                }
                if (s.impl().equals(STEPWISE)) {
                  stepwiseSeries = s;
                }
                results.add(
                    NmtResult.of(
                        TRAIN,
                        null,
                        threads,
                        workload.trainTokens(),
                        workload.trainSources().size(),
                        s));
              }
              emit(NmtReport.withRatios(results), all, out);
              record(
                  new TrainBound(
                      threads,
                      Stats.median(sharedSeries.usPerOp()),
                      Stats.median(stepwiseSeries.usPerOp())),
                  bounds,
                  out);
            }
          }
        }
      }

      if (translate) {
        Seq4jEngine.configure(checkThreads, -1);
        List<int[]> sources = workload.translateSources();
        record(checkGreedy(model, workload, weights, checkThreads, peer), checks, out);
        for (int beam : beamWidths) {
          BeamSearch search = NmtWorkload.search(beam);
          Seq4jEngine.configure(checkThreads, -1);
          List<int[]> ours = best(search.search(manager, model, sources));
          long ourTokens = tokens(ours);
          long peerTokens = 0;
          JsonNode answer =
              peer.ask(
                  workload.peerTranslationsRequest(weights, search, "float32", checkThreads),
                  CHECK_TIMEOUT);
          if (answer != null) {
            List<int[]> theirs = translations(answer);
            peerTokens = tokens(theirs);
            notes.add(
                String.format(
                    Locale.ROOT,
                    "beam %d, float32: %d of %d translations identical to PyTorch's; target"
                        + " tokens per call: seq4j %d, pytorch %d",
                    beam,
                    identical(ours, theirs),
                    sources.size(),
                    ourTokens,
                    peerTokens));
          }
          for (int threads : threadCounts) {
            Seq4jEngine.configure(threads, -1);
            Runnable call = () -> search.search(manager, model, sources);
            List<RoundSeries> series =
                peer.runRounds(
                    rounds,
                    List.of(
                        warmedUp(
                            SEQ4J,
                            call,
                            minTimeS,
                            "translation beam " + beam + ", " + threads + " thread(s)",
                            warmUps)),
                    workload.peerTranslateRequest(weights, beam, threads, minTimeS));
            List<NmtResult> results = new ArrayList<>();
            for (RoundSeries s : series) {
              long tokens = s.impl().equals(PYTORCH) ? peerTokens : ourTokens;
              results.add(NmtResult.of(TRANSLATE, beam, threads, tokens, sources.size(), s));
            }
            emit(NmtReport.withRatios(results), all, out);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(dir);
    }
    if (!options.json()) {
      List<String> footer = new ArrayList<>();
      footer.add("");
      footer.add("workload: " + workload.describe());
      for (NmtCheck c : checks) {
        footer.add(c.line());
      }
      for (TrainBound b : bounds) {
        footer.add(b.line());
      }
      footer.addAll(notes);
      footer.addAll(warmUps);
      if (peer.measuredDescription() != null) {
        footer.add(
            String.format(
                Locale.ROOT,
                "warm-up pytorch: %.1f s of calls before each case's first round",
                warmUpS(minTimeS)));
      }
      footer.add(MachineInfo.footerLine(engine, peer.measuredDescription()));
      footer.add(
          String.format(
              Locale.ROOT,
              "medians of %d interleaved rounds of >= %.2f s; tokens: source + target per training"
                  + " step, target (EOS included) per translation; ratios are tokens/s, > 1"
                  + " favours seq4j",
              rounds,
              minTimeS));
      NmtReport.printTable(out, all, footer);
    }
    boolean checksFailed = checks.stream().anyMatch(c -> !c.ok());
    return checksFailed ? 1 : peer.exitCode();
  }

  /**
   * seq4j's and the peer's loss of the training batch on the same weights, without dropout; the
   * peer is dropped if they differ by more than {@value #LOSS_TOLERANCE} relative. Null without a
   * peer.
   */
  static NmtCheck checkLoss(
      Gnmt model,
      GnmtBatch data,
      NmtWorkload workload,
      String weights,
      int threads,
      PeerSession peer) {
    if (!peer.active()) {
      return null;
    }
    JsonNode answer = peer.ask(workload.peerLossRequest(weights, threads), CHECK_TIMEOUT);
    if (answer == null) {
      return null;
    }
    double ours =
        Steps.scoped(
            data.sources().getManager(),
            m -> (double) model.loss(data, NmtWorkload.LABEL_SMOOTHING, false).getFloat());
    double theirs = answer.path("loss").asDouble(Double.NaN);
    double relative = Math.abs(ours - theirs) / Math.abs(theirs);
    boolean ok = relative <= LOSS_TOLERANCE;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("seq4j_loss", ours);
    fields.put("pytorch_loss", theirs);
    fields.put("relative_difference", relative);
    NmtCheck check =
        new NmtCheck(
            "train-loss",
            ok,
            String.format(
                Locale.ROOT,
                "loss of the training batch without dropout: seq4j %.6f, pytorch %.6f, relative"
                    + " difference %.1e, allowed %.0e",
                ours,
                theirs,
                relative,
                LOSS_TOLERANCE),
            fields);
    if (!ok) {
      peer.drop("PyTorch peer failed the cross-check: " + check.summary());
    }
    return check;
  }

  /**
   * seq4j's and the peer's greedy translations of the translation batch in float64 (where no
   * near-tie can tip the arg-max one way on one side and the other way on the other), which must be
   * identical; the peer is dropped otherwise. Null without a peer.
   */
  static NmtCheck checkGreedy(
      Gnmt model, NmtWorkload workload, String weights, int threads, PeerSession peer) {
    if (!peer.active()) {
      return null;
    }
    BeamSearch greedy = NmtWorkload.search(1);
    JsonNode answer =
        peer.ask(
            workload.peerTranslationsRequest(weights, greedy, "float64", threads), CHECK_TIMEOUT);
    if (answer == null) {
      return null;
    }
    List<int[]> ours;
    try (NDManager m = Seq4jEngine.get().newBaseManager()) {
      Gnmt wide = new Gnmt(model.config());
      wide.initialize(m, DataType.FLOAT64);
      wide.loadStateDict(model.stateDict());
      ours = best(greedy.search(m, wide, workload.translateSources()));
    }
    List<int[]> theirs = translations(answer);
    int same = identical(ours, theirs);
    int n = workload.translateSources().size();
    boolean ok = same == n;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("sentences", n);
    fields.put("identical", same);
    fields.put("target_tokens", tokens(ours));
    String summary =
        String.format(
            Locale.ROOT,
            "greedy translations of the translation batch in float64: %d of %d identical (%d"
                + " target tokens)",
            same,
            n,
            tokens(ours));
    if (!ok) {
      int first = 0;
      while (first < n && Arrays.equals(ours.get(first), theirs.get(first))) {
        first++;
      }
      summary +=
          "; first difference in sentence "
              + first
              + ": seq4j "
              + Arrays.toString(ours.get(first))
              + ", pytorch "
              + Arrays.toString(theirs.get(first));
    }
    NmtCheck check = new NmtCheck("greedy-float64", ok, summary, fields);
    if (!ok) {
      peer.drop("PyTorch peer failed the cross-check: " + summary);
    }
    return check;
  }

  /**
   * {@link Contender#inProcess}, warmed up with at least {@value #WARM_UP_CALLS} calls and {@link
   * #warmUpS} seconds, then until the JIT compiler is quiet ({@link JitWarmUp}, at most {@link
   * #maxWarmUpS}): one call runs thousands of distinct Java paths (DJL's wrappers, the beam
   * search), which the JIT compiler compiles over many calls, on the other core, where it competes
   * with the timed work. How the warm-up went is added to {@code notes} under {@code label}.
   */
  private static Contender warmedUp(
      String impl, Runnable call, double minTimeS, String label, List<String> notes) {
    return Contender.inProcess(
        impl,
        call,
        minTimeS,
        () -> {
          JitWarmUp.Result r =
              JitWarmUp.run(call, warmUpS(minTimeS), maxWarmUpS(minTimeS), WARM_UP_CALLS);
          notes.add(warmUpNote(impl + ", " + label, r));
        });
  }

  private static String trainLabel(int threads) {
    return "training, " + threads + " thread(s)";
  }

  /** One footer line on a warm-up. */
  static String warmUpNote(String what, JitWarmUp.Result r) {
    String end =
        r.quiet()
            ? "the JIT compiler was quiet"
            : r.compileMs() < 0 ? "compile time not reported" : "the JIT compiler still busy";
    return String.format(
        Locale.ROOT,
        "warm-up %s: %.1f s, %d calls, %s (%s ms compiling)",
        what,
        r.seconds(),
        r.calls(),
        end,
        r.compileMs() < 0 ? "?" : String.valueOf(r.compileMs()));
  }

  /** The best hypothesis of each translation, without EOS. */
  static List<int[]> best(List<Translation> translations) {
    return translations.stream().map(t -> t.best().tokens()).toList();
  }

  /** The target tokens of {@code outputs}, EOS included: the sum of their |Y|. */
  static long tokens(List<int[]> outputs) {
    long n = 0;
    for (int[] y : outputs) {
      n += y.length + 1;
    }
    return n;
  }

  private static int identical(List<int[]> a, List<int[]> b) {
    int same = 0;
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (Arrays.equals(a.get(i), b.get(i))) {
        same++;
      }
    }
    return same;
  }

  /** The peer's {@code translations}, one id list per source. */
  static List<int[]> translations(JsonNode answer) {
    List<int[]> out = new ArrayList<>();
    for (JsonNode row : answer.path("translations")) {
      int[] ids = new int[row.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = row.get(i).asInt();
      }
      out.add(ids);
    }
    return out;
  }

  private void record(NmtCheck check, List<NmtCheck> checks, PrintWriter out) {
    if (check == null) {
      return;
    }
    checks.add(check);
    if (options.json()) {
      NmtReport.printJson(out, check);
    }
  }

  private void record(TrainBound bound, List<TrainBound> bounds, PrintWriter out) {
    bounds.add(bound);
    if (options.json()) {
      out.println(NmtReport.jsonLine(bound.toJsonFields()));
      out.flush();
    }
  }

  private void emit(List<NmtResult> results, List<NmtResult> all, PrintWriter out) {
    all.addAll(results);
    if (options.json()) {
      NmtReport.printJson(out, results);
    }
  }

  private NmtWorkload workload() {
    String[] range = lengths.split("\\.\\.", -1);
    int min;
    int max;
    try {
      if (range.length != 2) {
        throw new NumberFormatException();
      }
      min = Integer.parseInt(range[0].strip());
      max = Integer.parseInt(range[1].strip());
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "--lengths must be MIN..MAX, e.g. 10..40, got '" + lengths + "'");
    }
    GnmtConfig config;
    try {
      config = GnmtConfig.small(vocab);
      if (hidden != null) {
        config = config.withSizes(hidden, hidden);
      }
      return NmtWorkload.of(config, batch, sentences, min, max, seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private List<String> selectedModes() {
    if (modes == null || modes.isEmpty()) {
      return List.of("train", "translate");
    }
    for (String m : modes) {
      if (!m.equals("train") && !m.equals("translate")) {
        throw new ParameterException(
            spec.commandLine(), "unknown mode '" + m + "'; known: train, translate");
      }
    }
    return modes;
  }

  private List<Integer> selectedBeams() {
    if (beams == null || beams.isEmpty()) {
      return List.of(1, 5);
    }
    for (int k : beams) {
      if (k < 1) {
        throw new ParameterException(spec.commandLine(), "--beams must be >= 1, got " + k);
      }
    }
    return beams.stream().distinct().toList();
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("seq4j-bench-nmt");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary file left behind is harmless.
    }
  }
}
