package org.seq4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors;
import org.seq4j.wavenet.NaiveWaveNetGenerator;
import org.seq4j.wavenet.Sampler;
import org.seq4j.wavenet.WaveNet;
import org.seq4j.wavenet.WaveNetGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code seq4j bench wavenet}: WaveNet training and generation throughput, in samples per second,
 * for models (a) and (b) ({@link WaveNetWorkload#standard}), every implementation measured in the
 * same run, round by round.
 *
 * <p>Training ({@code wavenet-train}), one call = forward, backward and an Adam step on a fixed
 * batch of random μ-law windows; the samples counted are the positions the loss scores (those whose
 * receptive field lies inside the window), the same for both sides:
 *
 * <ul>
 *   <li>{@code seq4j}: {@link WaveNet#loss} and {@link org.seq4j.optim.Adam} ({@link
 *       Seq4jWaveNetTrainer});
 *   <li>{@code pytorch}: the same network in idiomatic PyTorch ({@code bench/peers/wavenet.py}),
 *       starting from the same weights.
 * </ul>
 *
 * <p>Generation ({@code wavenet-generate}), one call = a fresh generation of a fixed number of
 * samples per clip at temperature 1, for 1 and 8 clips at once:
 *
 * <ul>
 *   <li>{@code seq4j-fast}: {@link WaveNetGenerator} (plain Java, Vector API; its threads are the
 *       thread count);
 *   <li>{@code seq4j-naive}: {@link NaiveWaveNetGenerator}, the block over the whole receptive
 *       field per sample, primed with a full field so every sample costs the steady-state work;
 *   <li>{@code djl-fast}: the same queue algorithm as per-op DJL calls ({@link
 *       DjlCachedWaveNetGenerator});
 *   <li>{@code pytorch-fast}: the same queue algorithm in idiomatic PyTorch, on the weights seq4j
 *       wrote.
 * </ul>
 *
 * <p>Before timing, the implementations are checked against each other on the same weights:
 * teacher-forced logits of {@code djl-fast} and {@code pytorch-fast} against {@code seq4j-fast}
 * (within {@value #AGREEMENT_TOLERANCE}), greedy samples of {@code djl-fast} and {@code
 * seq4j-naive} against {@code seq4j-fast}, and the training loss of the first batch in PyTorch
 * against seq4j's.
 */
@Command(
    name = "wavenet",
    description =
        "Time WaveNet training (seq4j vs PyTorch) and generation (seq4j's plain-Java fast"
            + " generator, the naive generator, per-op DJL and per-op PyTorch); report samples/s.")
public final class WaveNetBench implements Callable<Integer> {
  /** The peer script in {@code bench/peers/}. */
  public static final String PEER_SCRIPT = "wavenet.py";

  /** The op of training results. */
  public static final String TRAIN_OP = "wavenet-train";

  /** The op of generation results. */
  public static final String GENERATE_OP = "wavenet-generate";

  /** seq4j's training. */
  public static final String SEQ4J = "seq4j";

  /** PyTorch's training. */
  public static final String PYTORCH = PeerSession.IMPL;

  /** seq4j's plain-Java fast generator. */
  public static final String SEQ4J_FAST = "seq4j-fast";

  /** seq4j's naive generator. */
  public static final String SEQ4J_NAIVE = "seq4j-naive";

  /** The fast algorithm in per-op DJL calls. */
  public static final String DJL_FAST = "djl-fast";

  /** The fast algorithm in per-op PyTorch calls. */
  public static final String PYTORCH_FAST = "pytorch-fast";

  /** The largest difference of logits allowed between implementations of the same network. */
  static final double AGREEMENT_TOLERANCE = 1e-4;

  /** The largest difference of the training loss allowed between seq4j and the peer. */
  static final double LOSS_TOLERANCE = 1e-4;

  /** Samples each cross-check generates or feeds. */
  static final int CHECK_SAMPLES = 50;

  /** The sampling temperature of the timed generations. */
  static final float TEMPERATURE = 1f;

  /**
   * Seconds of untimed generation before the plain-Java generator's first round, for the JIT to
   * compile its kernels (at most 5 rounds' worth).
   */
  static final double JIT_WARM_UP_S = 1.0;

  /**
   * Seconds of untimed training steps before the first timed round, on both sides. A training
   * step's first few calls are slower than the rest (the JIT compiler, libtorch's kernel caches,
   * the allocator reaching its working set): seq4j's second to fourth steps of model b took 1.5x
   * the steady-state time here, and a benchmark of a handful of rounds would time those.
   */
  static final double TRAIN_WARM_UP_S = 3.0;

  /**
   * The untimed training before the first round: {@link #TRAIN_WARM_UP_S}, at most 15 rounds' worth
   * (short rounds are for quick checks), and at least one round.
   */
  static double trainWarmUpS(double minTimeS) {
    return Math.max(minTimeS, Math.min(TRAIN_WARM_UP_S, 15 * minTimeS));
  }

  /** The JSON field of the samples a generator's greedy run shares with seq4j-fast's. */
  static final String GREEDY_FIELD = "greedy_samples_equal_to_seq4j_fast";

  /** The JSON field of the largest logit difference to seq4j-fast's on the same inputs. */
  static final String LOGITS_FIELD = "logits_max_abs_diff_vs_seq4j_fast";

  /** The JSON field of the difference of the peer's first training loss to seq4j's. */
  static final String LOSS_FIELD = "loss_abs_diff_vs_seq4j";

  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(300);

  @Spec private CommandSpec spec;

  @Mixin private BenchOptions options;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "MODEL",
      description =
          "Models, comma-separated (default: a,b): a = 5 stacks of dilations 1..512, residual 32,"
              + " skip 512; b = 2 stacks of 1..128, residual 64, skip 256.")
  private List<String> models;

  @Option(
      names = "--ops",
      split = ",",
      paramLabel = "OP",
      description = "What to time, comma-separated (default: train,generate).")
  private List<String> ops;

  @Option(
      names = "--batches",
      split = ",",
      paramLabel = "N",
      description = "Clips generated at once, comma-separated (default: 1,8).")
  private List<Integer> batches;

  @Option(
      names = "--naive-batches",
      split = ",",
      paramLabel = "N",
      description =
          "Batch sizes at which seq4j-naive is timed too, comma-separated (default: 1). At batch 8"
              + " one sample of model a takes about a minute on a 2-core machine.")
  private List<Integer> naiveBatches;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Seed of the weights, training windows and samplers (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Override
  public Integer call() {
    List<WaveNetWorkload> workloads = new ArrayList<>();
    for (String model : distinct(models, WaveNetWorkload.MODELS)) {
      try {
        workloads.add(WaveNetWorkload.standard(model.strip(), seed));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    List<String> selectedOps = distinct(ops, List.of("train", "generate"));
    for (String op : selectedOps) {
      if (!op.equals("train") && !op.equals("generate")) {
        throw new ParameterException(
            spec.commandLine(), "unknown op '" + op + "'; known: train, generate");
      }
    }
    List<Integer> selectedBatches = distinct(batches, List.of(1, 8));
    List<Integer> selectedNaive = distinct(naiveBatches, List.of(1));
    for (int b : selectedBatches) {
      if (b < 1) {
        throw new ParameterException(spec.commandLine(), "--batches must be >= 1, got " + b);
      }
    }
    Run run =
        new Run(
            workloads,
            selectedOps.contains("train"),
            selectedOps.contains("generate") ? selectedBatches : List.of(),
            selectedNaive,
            options.threads(),
            options.rounds(),
            options.minTimeS(),
            options.json(),
            !options.noPeer());
    return run.execute(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  private static <T> List<T> distinct(List<T> given, List<T> all) {
    if (given == null || given.isEmpty()) {
      return all;
    }
    List<T> out = new ArrayList<>();
    for (T t : given) {
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * One benchmark run over some workloads: checks, then timed rounds, then the report.
   *
   * @param workloads the models
   * @param train whether to time training
   * @param batches the generation batch sizes to time (none: no generation)
   * @param naiveBatches the batch sizes at which the naive generator is timed too
   * @param threads the thread counts
   * @param rounds timed rounds per case
   * @param minTimeS the minimum length of a round
   * @param json whether to print JSON lines instead of the table
   * @param withPeer whether to start the PyTorch peer
   */
  record Run(
      List<WaveNetWorkload> workloads,
      boolean train,
      List<Integer> batches,
      List<Integer> naiveBatches,
      List<Integer> threads,
      int rounds,
      double minTimeS,
      boolean json,
      boolean withPeer) {

    /** Runs the benchmark, printing to {@code out}; returns the exit code. */
    int execute(PrintWriter out, PrintWriter err) {
      Engine engine = Seq4jEngine.get();
      PeerSession peer = PeerSession.start(PEER_SCRIPT, withPeer, err);
      List<WaveNetResult> all = new ArrayList<>();
      List<String> checks = new ArrayList<>();
      Map<String, Map<String, Object>> agreement = new LinkedHashMap<>();
      Path dir;
      try {
        dir = Files.createTempDirectory("seq4j-bench-wavenet");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory", e);
      }
      try (peer;
          NDManager manager = engine.newBaseManager()) {
        for (WaveNetWorkload w : workloads) {
          engine.setRandomSeed((int) w.seed());
          WaveNet net = new WaveNet(w.config());
          try (NDManager modelManager = manager.newSubManager()) {
            net.initialize(modelManager);
            Map<String, NDArray> weights = net.stateDict();
            Path file = dir.resolve("wavenet-" + w.model() + ".safetensors");
            SafeTensors.save(file, weights, Map.of());
            agreement.clear();
            checks.addAll(checkGeneration(w, net, file, peer, modelManager, agreement));
            if (train) {
              checks.addAll(checkTraining(w, weights, file, peer, modelManager, agreement));
              for (int t : threads) {
                emit(out, all, timeTraining(w, weights, file, t, peer, modelManager), agreement);
              }
            }
            for (int batch : batches) {
              for (int t : threads) {
                emit(
                    out,
                    all,
                    timeGeneration(w, net, file, batch, t, peer, modelManager),
                    agreement);
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the weights for the peer", e);
      } finally {
        deleteQuietly(dir);
      }
      if (!json) {
        WaveNetReport.printTable(out, all, footer(engine, peer.measuredDescription(), checks));
      }
      return peer.exitCode();
    }

    /**
     * Adds the cross-check figures of each result's implementation ({@code agreement}, by op and
     * impl) to the results, keeps them and prints them as JSON lines in JSON mode.
     */
    private void emit(
        PrintWriter out,
        List<WaveNetResult> all,
        List<WaveNetResult> results,
        Map<String, Map<String, Object>> agreement) {
      List<WaveNetResult> checked = new ArrayList<>();
      for (WaveNetResult r : results) {
        for (Map.Entry<String, Object> e :
            agreement.getOrDefault(r.op() + "/" + r.impl(), Map.of()).entrySet()) {
          r = r.withExtra(e.getKey(), e.getValue());
        }
        checked.add(r);
      }
      all.addAll(checked);
      if (json) {
        WaveNetReport.printJson(out, checked);
      }
    }

    private List<WaveNetResult> timeTraining(
        WaveNetWorkload w,
        Map<String, NDArray> weights,
        Path file,
        int threads,
        PeerSession peer,
        NDManager manager) {
      Seq4jEngine.configure(threads, -1);
      List<RoundSeries> series;
      try (Seq4jWaveNetTrainer trainer =
          new Seq4jWaveNetTrainer(w.config(), weights, w.trainWindows(), manager)) {
        double warmUpS = trainWarmUpS(minTimeS);
        Contender seq4j =
            Contender.inProcess(
                SEQ4J, trainer::step, minTimeS, () -> RoundTimer.run(trainer::step, warmUpS));
        series =
            peer.runRounds(
                rounds, List.of(seq4j), w.trainRequest(file, threads, minTimeS, warmUpS), PYTORCH);
      }
      List<WaveNetResult> results = new ArrayList<>();
      for (RoundSeries s : series) {
        WaveNetResult r =
            WaveNetResult.of(
                    TRAIN_OP, w.model(), w.trainBatch(), threads, w.scoredSamplesPerStep(), s)
                .withExtra("window", w.trainWindow())
                .withExtra("receptive_field", w.receptiveField());
        results.add(r);
      }
      return WaveNetReport.withRatios(results);
    }

    private List<WaveNetResult> timeGeneration(
        WaveNetWorkload w,
        WaveNet net,
        Path file,
        int batch,
        int threads,
        PeerSession peer,
        NDManager manager) {
      Seq4jEngine.configure(threads, -1);
      Map<String, NDArray> weights = net.stateDict();
      long seed = w.seed();
      Map<String, Long> samplesPerCall = new LinkedHashMap<>();
      List<RoundSeries> series;
      try (WaveNetGenerator fast = new WaveNetGenerator(w.config(), weights, threads);
          DjlCachedWaveNetGenerator djl =
              new DjlCachedWaveNetGenerator(w.config(), weights, manager)) {
        double jitWarmUpS = Math.max(minTimeS, Math.min(JIT_WARM_UP_S, 5 * minTimeS));
        Runnable fastCall = () -> fast.generate(w.fastSamples(), batch, TEMPERATURE, seed);
        Runnable djlCall = () -> djl.generate(w.cachedSamples(), batch, TEMPERATURE, seed);
        List<Contender> local = new ArrayList<>();
        local.add(
            Contender.inProcess(
                SEQ4J_FAST, fastCall, minTimeS, () -> RoundTimer.run(fastCall, jitWarmUpS)));
        if (naiveBatches.contains(batch)) {
          NaiveWaveNetGenerator naive = new NaiveWaveNetGenerator(net);
          int[][] priming = fullFieldPriming(w, batch);
          int[][] shortPriming = new int[batch][2];
          // One call over the full field can take seconds: warm up on a short window instead.
          local.add(
              Contender.inProcess(
                  SEQ4J_NAIVE,
                  () -> naive.generate(w.naiveSamples(), priming, TEMPERATURE, seed, null),
                  minTimeS,
                  () -> naive.generate(1, shortPriming, TEMPERATURE, seed, null)));
        }
        local.add(Contender.inProcess(DJL_FAST, djlCall, minTimeS));
        samplesPerCall.put(SEQ4J_FAST, (long) batch * w.fastSamples());
        samplesPerCall.put(SEQ4J_NAIVE, (long) batch * w.naiveSamples());
        samplesPerCall.put(DJL_FAST, (long) batch * w.cachedSamples());
        samplesPerCall.put(PYTORCH_FAST, (long) batch * w.cachedSamples());
        series =
            peer.runRounds(
                rounds,
                local,
                w.generateRequest(file, batch, TEMPERATURE, threads, minTimeS),
                PYTORCH_FAST);
      }
      List<WaveNetResult> results = new ArrayList<>();
      for (RoundSeries s : series) {
        results.add(
            WaveNetResult.of(
                GENERATE_OP, w.model(), batch, threads, samplesPerCall.get(s.impl()), s));
      }
      return WaveNetReport.withRatios(results);
    }

    /**
     * Checks the generators against each other on {@code net}'s weights: greedy samples of {@code
     * seq4j-fast}, {@code seq4j-naive} and {@code djl-fast} from silence, and teacher-forced logits
     * of {@code djl-fast} and the peer on the greedy sequence.
     *
     * @return one line per check, for the report
     * @throws IllegalStateException if {@code djl-fast} disagrees with {@code seq4j-fast}
     */
    private List<String> checkGeneration(
        WaveNetWorkload w,
        WaveNet net,
        Path file,
        PeerSession peer,
        NDManager manager,
        Map<String, Map<String, Object>> agreement) {
      List<String> lines = new ArrayList<>();
      Map<String, NDArray> weights = net.stateDict();
      int n = CHECK_SAMPLES;
      int[] greedy;
      float[][] expected;
      int[] inputs = new int[n];
      try (WaveNetGenerator fast = new WaveNetGenerator(w.config(), weights)) {
        greedy = fast.generate(n, 1, Sampler.GREEDY, 0)[0];
        inputs[0] = fast.silence();
        System.arraycopy(greedy, 0, inputs, 1, n - 1);
        expected = fast.logits(inputs);
      }
      int naiveCount = Math.min(n, 20);
      int[] naive =
          new NaiveWaveNetGenerator(net)
              .generate(naiveCount, new int[][] {{w.config().classes() / 2}}, 0f, 0, null)[0];
      int naiveSame = samePrefix(naive, greedy);
      double djlDiff;
      int djlSame;
      try (DjlCachedWaveNetGenerator djl =
          new DjlCachedWaveNetGenerator(w.config(), weights, manager)) {
        djlDiff = maxAbsDiff(djl.logits(new int[][] {inputs})[0], expected);
        djlSame = samePrefix(djl.generate(n, 1, Sampler.GREEDY, 0)[0], greedy);
      }
      if (!(djlDiff <= AGREEMENT_TOLERANCE)) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "model %s: djl-fast logits differ from seq4j-fast's by %.3g (tolerance %.0e)",
                w.model(),
                djlDiff,
                AGREEMENT_TOLERANCE));
      }
      agreement.put(GENERATE_OP + "/" + SEQ4J_NAIVE, Map.of(GREEDY_FIELD, naiveSame));
      agreement.put(
          GENERATE_OP + "/" + DJL_FAST, Map.of(GREEDY_FIELD, djlSame, LOGITS_FIELD, djlDiff));
      lines.add(
          String.format(
              Locale.ROOT,
              "model %s: greedy from silence, seq4j-naive = seq4j-fast for %d/%d samples,"
                  + " djl-fast for %d/%d; djl-fast logits within %.1e of seq4j-fast's",
              w.model(),
              naiveSame,
              naiveCount,
              djlSame,
              n,
              djlDiff));
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("cmd", "check-generate");
      request.put("config", w.peerConfig());
      request.put("weights", file.toString());
      request.put("inputs", List.of(Arrays.stream(inputs).boxed().toList()));
      JsonNode answer = peer.ask(request, CHECK_TIMEOUT);
      if (answer != null) {
        double peerDiff = maxAbsDiff(answer.path("logits").path(0), expected);
        double selfDiff = answer.path("full_forward_max_abs_diff").asDouble(Double.NaN);
        if (!(peerDiff <= AGREEMENT_TOLERANCE)) {
          peer.drop(
              String.format(
                  Locale.ROOT,
                  "model %s: pytorch-fast logits differ from seq4j-fast's by %.3g (tolerance %.0e)",
                  w.model(),
                  peerDiff,
                  AGREEMENT_TOLERANCE));
        } else {
          agreement.put(GENERATE_OP + "/" + PYTORCH_FAST, Map.of(LOGITS_FIELD, peerDiff));
          lines.add(
              String.format(
                  Locale.ROOT,
                  "model %s: pytorch-fast logits within %.1e of seq4j-fast's (and within %.1e of"
                      + " its own full causal forward pass)",
                  w.model(),
                  peerDiff,
                  selfDiff));
        }
      }
      return lines;
    }

    /**
     * Checks that the peer's loss of the training batch, from the same weights, equals seq4j's.
     *
     * @return one line for the report, or none without a peer
     */
    private List<String> checkTraining(
        WaveNetWorkload w,
        Map<String, NDArray> weights,
        Path file,
        PeerSession peer,
        NDManager manager,
        Map<String, Map<String, Object>> agreement) {
      if (!peer.active()) {
        return List.of();
      }
      int[][] windows = w.trainWindows();
      double loss;
      try (Seq4jWaveNetTrainer trainer =
          new Seq4jWaveNetTrainer(w.config(), weights, windows, manager)) {
        loss = trainer.loss();
      }
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("cmd", "check-train");
      request.put("config", w.peerConfig());
      request.put("weights", file.toString());
      request.put(
          "windows", Arrays.stream(windows).map(r -> Arrays.stream(r).boxed().toList()).toList());
      JsonNode answer = peer.ask(request, CHECK_TIMEOUT);
      if (answer == null) {
        return List.of();
      }
      double peerLoss = answer.path("loss").asDouble(Double.NaN);
      if (!(Math.abs(peerLoss - loss) <= LOSS_TOLERANCE)) {
        peer.drop(
            String.format(
                Locale.ROOT,
                "model %s: the peer's training loss %.6f differs from seq4j's %.6f",
                w.model(),
                peerLoss,
                loss));
        return List.of();
      }
      agreement.put(TRAIN_OP + "/" + PYTORCH, Map.of(LOSS_FIELD, Math.abs(peerLoss - loss)));
      return List.of(
          String.format(
              Locale.ROOT,
              "model %s: training loss of the first batch, seq4j %.6f, pytorch %.6f",
              w.model(),
              loss,
              peerLoss));
    }

    private List<String> footer(Engine engine, String peerDescription, List<String> checks) {
      List<String> footer = new ArrayList<>();
      footer.add("");
      for (WaveNetWorkload w : workloads) {
        footer.add("model " + w.describe());
      }
      footer.add(
          "training: forward, backward and Adam step; samples/s counts the scored positions"
              + " (receptive field inside the window). generation: a fresh run from silence at"
              + " temperature 1; samples/s counts all clips' samples");
      footer.add(MachineInfo.footerLine(engine, peerDescription));
      footer.add(
          String.format(
              Locale.ROOT,
              "medians of %d interleaved rounds of >= %.2f s; seq4j/impl: seq4j's (training) or"
                  + " seq4j-fast's (generation) samples/s over the row's, > 1 favours seq4j",
              rounds,
              minTimeS));
      for (String c : checks) {
        footer.add("check: " + c);
      }
      return footer;
    }
  }

  /** {@code batch} rows of one receptive field of random classes, so naive windows are full. */
  static int[][] fullFieldPriming(WaveNetWorkload w, int batch) {
    Random random = new Random(w.seed());
    int field = Math.toIntExact(w.receptiveField());
    int[][] priming = new int[batch][field];
    for (int[] row : priming) {
      for (int t = 0; t < field; t++) {
        row[t] = random.nextInt(w.config().classes());
      }
    }
    return priming;
  }

  /** The number of leading samples on which {@code a} and {@code b} agree. */
  static int samePrefix(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return n;
  }

  /** The largest |a − b| over rows {@code [T][classes]}. */
  static double maxAbsDiff(float[][] a, float[][] b) {
    double worst = 0;
    for (int t = 0; t < b.length; t++) {
      for (int q = 0; q < b[t].length; q++) {
        double d = Math.abs(a[t][q] - b[t][q]);
        worst = Double.isNaN(d) ? Double.NaN : Math.max(worst, d);
        if (Double.isNaN(worst)) {
          return worst;
        }
      }
    }
    return worst;
  }

  /** The largest |a − b| for JSON rows {@code a} ({@code [T][classes]}); NaN if shapes differ. */
  static double maxAbsDiff(JsonNode a, float[][] b) {
    if (!a.isArray() || a.size() != b.length) {
      return Double.NaN;
    }
    float[][] rows = new float[b.length][];
    for (int t = 0; t < b.length; t++) {
      JsonNode row = a.get(t);
      if (!row.isArray() || row.size() != b[t].length) {
        return Double.NaN;
      }
      rows[t] = new float[row.size()];
      for (int q = 0; q < row.size(); q++) {
        rows[t][q] = (float) row.get(q).asDouble(Double.NaN);
      }
    }
    return maxAbsDiff(rows, b);
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }
}
