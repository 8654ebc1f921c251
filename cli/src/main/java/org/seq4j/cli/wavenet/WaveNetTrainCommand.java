package org.seq4j.cli.wavenet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seq4j.audio.AudioSplit;
import org.seq4j.audio.SilenceTrimmer;
import org.seq4j.audio.WavReader;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors;
import org.seq4j.optim.Adam;
import org.seq4j.optim.LrSchedule;
import org.seq4j.optim.Optimizer;
import org.seq4j.train.CsvLogListener;
import org.seq4j.train.LossCurveListener;
import org.seq4j.train.ProgressBarListener;
import org.seq4j.train.Seeds;
import org.seq4j.train.TrainLoop;
import org.seq4j.wavenet.MuLawCorpus;
import org.seq4j.wavenet.WaveNet;
import org.seq4j.wavenet.WaveNetCheckpoint;
import org.seq4j.wavenet.WaveNetConfig;
import org.seq4j.wavenet.WaveNetTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seq4j wavenet train}: trains an unconditioned {@link WaveNet} on WAV files with teacher
 * forcing on random μ-law windows ({@link WaveNetTask}), Adam with a linear warm-up then cosine
 * decay, gradient clipping, validation NLL in bits per sample on the held-out files, checkpoints
 * ({@code last} and {@code best}), a CSV log and a loss curve.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a WaveNet on WAV files (8-bit mu-law, 256 classes).",
      "Files are read as mono at the model's sample rate (other rates are resampled, with a"
          + " notice), their leading and trailing silence trimmed, and the training files joined"
          + " with 0.1 s of silence before each. Each step scores --batch random windows of"
          + " --window samples, each after a full receptive field of context.",
      "The held-out files (valid.txt of a fetched data set; otherwise every file whose CRC32 of"
          + " its relative path is 0 mod 10) are scored whole: bits per sample, 8 for a uniform"
          + " guess."
    })
public final class WaveNetTrainCommand implements Callable<Integer> {
  @Option(
      names = "--data",
      required = true,
      paramLabel = "NAME|DIR",
      description = "A fetched data set (speech-en, music-moh) or a folder of WAV files.")
  String data;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where fetched data sets are (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("data");

  @Option(
      names = "--sample-rate",
      paramLabel = "HZ",
      description = "The model's sample rate (default: that of the first training file).")
  Integer sampleRate;

  @Option(
      names = "--preset",
      paramLabel = "a|b",
      description =
          "A benchmark model instead of the options below: a = 5 stacks of 1..512, widths"
              + " 32/32/512; b = 2 stacks of 1..128, widths 64/64/256.")
  String preset;

  @Option(
      names = "--stacks",
      description = "Repeats of the dilation stack (default: ${DEFAULT-VALUE}).")
  int stacks = 2;

  @Option(
      names = "--layers-per-stack",
      paramLabel = "N",
      description = "Layers per stack, dilations 1, 2, ..., 2^(N-1) (default: ${DEFAULT-VALUE}).")
  int layersPerStack = 9;

  @Option(
      names = "--residual",
      paramLabel = "R",
      description = "Residual channels (default: ${DEFAULT-VALUE}).")
  int residual = 32;

  @Option(
      names = "--dilation",
      paramLabel = "D",
      description = "Gate (dilation) channels (default: ${DEFAULT-VALUE}).")
  int dilation = 32;

  @Option(
      names = "--skip",
      paramLabel = "S",
      description = "Skip channels (default: ${DEFAULT-VALUE}).")
  int skip = 128;

  @Option(
      names = "--batch",
      paramLabel = "B",
      description = "Windows per step (default: ${DEFAULT-VALUE}).")
  int batch = 4;

  @Option(
      names = "--window",
      paramLabel = "T",
      description = "Samples scored per window (default: ${DEFAULT-VALUE}).")
  int window = 4000;

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 2e-3;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Warm-up steps (default: min(200, steps / 10)).")
  Integer warmup;

  @Option(
      names = "--clip",
      description = "Clip gradients to this global norm; 0 for none (default: ${DEFAULT-VALUE}).")
  double clip = 1.0;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description =
          "Training steps; the learning rate reaches lr/20 at the last one (default:"
              + " ${DEFAULT-VALUE}).")
  int steps = 5000;

  @Option(
      names = "--max-minutes",
      paramLabel = "M",
      description =
          "Stop after this many minutes even if steps remain; 0 for none (default:"
              + " ${DEFAULT-VALUE}).")
  double maxMinutes = 0;

  @Option(
      names = "--validate-every",
      paramLabel = "N",
      description = "Validate and checkpoint every N steps and at the end (default: steps / 10).")
  Integer validateEvery;

  @Option(
      names = "--valid-files",
      paramLabel = "N",
      description =
          "Score only the first N held-out files (in the split's order) at each validation, for"
              + " short runs (default: all).")
  Integer validFiles;

  @Option(
      names = "--trim-db",
      paramLabel = "DB",
      description =
          "Trim leading and trailing audio quieter than this, in dB below full scale; a file that"
              + " is all quieter is kept whole, with a warning (default: ${DEFAULT-VALUE}).")
  double trimDb = SilenceTrimmer.DEFAULT_THRESHOLD_DB;

  @Option(names = "--no-trim", description = "Keep the files' silence.")
  boolean noTrim;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "wavenet");

  @Option(
      names = "--seed",
      description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--resume", description = "Continue from DIR/last.safetensors if it exists.")
  boolean resume;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    long t0 = System.nanoTime();
    WaveNetConfig netConfig = modelConfig();
    AudioSplit split = AudioData.split(data, dataDir);
    int rate =
        sampleRate != null ? sampleRate : WavReader.probe(split.trainFiles().get(0)).sampleRate();
    SilenceTrimmer trimmer =
        noTrim ? null : new SilenceTrimmer(trimDb, SilenceTrimmer.DEFAULT_FRAME_SECONDS);
    System.out.println("seq4j wavenet train: WaveNet on 8-bit mu-law audio");
    MuLawCorpus corpus =
        MuLawCorpus.load(
            split.trainFiles(), heldOut(split), rate, trimmer, n -> System.out.println("  " + n));
    int warmupSteps = warmup != null ? warmup : Math.min(200, steps / 10);
    double minLr = lr / 20;
    long validEvery = validateEvery != null ? validateEvery : Math.max(1, steps / 10);
    ObjectNode config = runConfig(netConfig, rate, warmupSteps);
    if (resume) {
      checkResumable(config);
    }
    System.out.printf(
        Locale.ROOT,
        "  data      %s: train %s; held out %d files, %.1f min (%s)%n",
        split.root(),
        corpus.describeTrain(),
        corpus.valid().size(),
        corpus.validSamples() / (60.0 * rate),
        split.guarded() ? "one file held out: too few files for the hash rule" : AudioSplit.RULE);
    Engine engine = Seq4jEngine.get();
    Files.createDirectories(out);
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(Seeds.toInt(seed));
      WaveNet net = new WaveNet(netConfig);
      net.initialize(manager);
      WaveNetTask task = new WaveNetTask(net, corpus, batch, window, seed);
      System.out.printf(
          Locale.ROOT,
          "  model     %s; %,d parameters%n"
              + "            receptive field %d samples = %.1f ms at %d Hz%n",
          netConfig,
          net.parameterCount(),
          net.receptiveField(),
          1000.0 * net.receptiveField() / rate,
          rate);
      System.out.printf(
          Locale.ROOT,
          "  batches   %d windows x (%d context + %d scored) samples; %,d batches per epoch%n",
          batch,
          net.receptiveField(),
          window,
          task.batchesPerEpoch());
      System.out.printf(
          Locale.ROOT,
          "  training  Adam lr %.0e, %d warm-up steps then cosine to %.0e, clip %s; %d steps%s;"
              + " %d libtorch thread(s)%n",
          lr,
          warmupSteps,
          minLr,
          clip,
          steps,
          maxMinutes > 0 ? String.format(Locale.ROOT, " or %.1f min", maxMinutes) : "",
          Seq4jEngine.threads());

      TrainLoop loop =
          TrainLoop.builder()
              .maxSteps(steps)
              .maxMinutes(maxMinutes)
              .validateEvery(validEvery)
              .checkpointEvery(validEvery)
              .checkpointDir(out)
              .bestMetric("loss", false)
              .clipNorm(clip)
              .seed(seed)
              .resume(resume)
              .runConfig(config)
              .build();
      if (!resume) {
        Files.deleteIfExists(out.resolve("train.csv"));
        Files.deleteIfExists(out.resolve("valid.csv"));
      }
      loop.addListener(new CsvLogListener(out));
      loop.addListener(
          new LossCurveListener(
                  out.resolve("loss.png"),
                  String.format(
                      Locale.ROOT,
                      "wavenet: %d layers, receptive field %d, on %s",
                      netConfig.layers(),
                      net.receptiveField(),
                      split.root().getFileName()))
              .withHistory(out));
      if (!quiet) {
        loop.addListener(new ProgressBarListener("wavenet", maxMinutes));
      }
      TrainLoop.Summary summary;
      try (Optimizer optimizer = new Adam(manager, lr)) {
        summary =
            loop.run(
                task, optimizer, LrSchedule.warmupCosine(lr, warmupSteps, steps, minLr), manager);
      }
      Map<String, Double> last = summary.metrics();
      System.out.printf(
          Locale.ROOT,
          "  trained   steps %d to %d in %.1f s (%.1f min), %,.0f samples/s; held-out NLL %.3f"
              + " bits/sample (best %.3f; a uniform guess is 8)%n",
          summary.startStep(),
          summary.endStep(),
          summary.seconds(),
          summary.seconds() / 60,
          (summary.endStep() - summary.startStep()) * (double) batch * window / summary.seconds(),
          last.getOrDefault("bits", Double.NaN),
          summary.bestValue() == null ? Double.NaN : summary.bestValue() / Math.log(2));
    }
    System.out.printf(
        Locale.ROOT, "done in %.1f s. Outputs in %s/:%n", (System.nanoTime() - t0) / 1e9, out);
    for (String f : List.of(TrainLoop.BEST, TrainLoop.LAST, "train.csv", "valid.csv", "loss.png")) {
      Path p = out.resolve(f);
      if (Files.exists(p)) {
        System.out.printf(Locale.ROOT, "  %-18s %,d bytes%n", f, Files.size(p));
      }
    }
    return 0;
  }

  private WaveNetConfig modelConfig() {
    if (preset == null) {
      return WaveNetConfig.stacked(stacks, layersPerStack, residual, dilation, skip);
    }
    return switch (preset.toLowerCase(Locale.ROOT)) {
      case "a" -> WaveNetConfig.modelA();
      case "b" -> WaveNetConfig.modelB();
      default -> throw new IllegalArgumentException("--preset must be a or b, got " + preset);
    };
  }

  private void checkOptions() {
    if (stacks <= 0 || layersPerStack <= 0 || residual <= 0 || dilation <= 0 || skip <= 0) {
      throw new IllegalArgumentException(
          "--stacks, --layers-per-stack, --residual, --dilation and --skip must be > 0");
    }
    if (batch <= 0 || window <= 0 || steps <= 0) {
      throw new IllegalArgumentException("--batch, --window and --steps must be > 0");
    }
    if (sampleRate != null && sampleRate <= 0) {
      throw new IllegalArgumentException("--sample-rate must be > 0, got " + sampleRate);
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("--lr must be > 0, got " + lr);
    }
    if (!(clip >= 0) || !(maxMinutes >= 0)) {
      throw new IllegalArgumentException("--clip and --max-minutes must be >= 0");
    }
    if (warmup != null && (warmup < 0 || warmup >= steps)) {
      throw new IllegalArgumentException(
          "--warmup must be in [0, steps = " + steps + "), got " + warmup);
    }
    if (validFiles != null && validFiles <= 0) {
      throw new IllegalArgumentException("--valid-files must be > 0, got " + validFiles);
    }
    if (validateEvery != null && validateEvery <= 0) {
      throw new IllegalArgumentException("--validate-every must be > 0, got " + validateEvery);
    }
    if (!(trimDb < 0)) {
      throw new IllegalArgumentException("--trim-db must be < 0 (dB below full scale)");
    }
  }

  /** The held-out files scored at each validation: all, or the first {@code --valid-files}. */
  private List<Path> heldOut(AudioSplit split) {
    List<Path> files = split.validFiles();
    return validFiles == null || validFiles >= files.size() ? files : files.subList(0, validFiles);
  }

  /** Everything that defines the run; stored in every checkpoint. */
  private ObjectNode runConfig(WaveNetConfig netConfig, int rate, int warmupSteps) {
    ObjectNode config = WaveNetCheckpoint.runConfig(netConfig, rate);
    config.put("data", data);
    config.put("trim_db", noTrim ? null : trimDb);
    config.put("valid_files", validFiles);
    config.put("batch", batch);
    config.put("window", window);
    config.put("optimizer", "adam");
    config.put("lr", lr);
    config.put("warmup", warmupSteps);
    config.put("schedule", "warmup-cosine");
    config.put("clip", clip);
    config.put("steps", steps);
    config.put("seed", seed);
    return config;
  }

  /** A resumed run must train the same model on the same data with the same schedule. */
  private void checkResumable(ObjectNode runConfig) throws IOException {
    Path last = out.resolve(TrainLoop.LAST);
    if (!Files.exists(last)) {
      return;
    }
    JsonNode config = new ObjectMapper().readTree(runConfig.toString());
    String stored = SafeTensors.readMetadata(last).get("config");
    JsonNode previous = stored == null ? null : new ObjectMapper().readTree(stored);
    if (previous == null || !WaveNetCheckpoint.MODEL.equals(previous.path("model").asText())) {
      throw new IllegalArgumentException(
          "--resume: " + last + " was not written by `wavenet train`; choose another --out");
    }
    for (String key :
        List.of(
            "wavenet", "sample_rate", "data", "batch", "window", "lr", "warmup", "clip", "steps")) {
      if (!config.path(key).equals(previous.path(key))) {
        throw new IllegalArgumentException(
            "--resume: "
                + last
                + " was trained with "
                + key
                + " = "
                + previous.path(key)
                + ", this run has "
                + config.path(key)
                + "; use the same settings, or another --out");
      }
    }
  }
}
