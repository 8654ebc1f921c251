package org.seq4j.cli.nmt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors;
import org.seq4j.nmt.EncodedPairs;
import org.seq4j.nmt.Gnmt;
import org.seq4j.nmt.GnmtConfig;
import org.seq4j.nmt.NmtCheckpoint;
import org.seq4j.nmt.NmtTask;
import org.seq4j.nmt.TranslationData;
import org.seq4j.nmt.Translator;
import org.seq4j.nn.Attention;
import org.seq4j.optim.Adam;
import org.seq4j.optim.LrSchedule;
import org.seq4j.optim.Optimizer;
import org.seq4j.optim.Sgd;
import org.seq4j.text.BpeTrainer;
import org.seq4j.text.SubwordTokenizer;
import org.seq4j.train.CsvLogListener;
import org.seq4j.train.LossCurveListener;
import org.seq4j.train.ProgressBarListener;
import org.seq4j.train.Seeds;
import org.seq4j.train.TrainLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seq4j nmt train}: trains a shared BPE tokenizer on the training split, then a {@link Gnmt}
 * with length-bucketed max-tokens batches, label-smoothed cross-entropy, Adam (or SGD) with a
 * warm-up and GNMT's halving decay, gradient clipping, and validation by dev loss and dev BLEU;
 * keeps {@code last.safetensors} and the best checkpoint by dev BLEU, with the tokenizer beside
 * them.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a GNMT translation model.",
      "The data: a fetched data set (bible-en-es, ding-de-en: their train/dev/test splits), a"
          + " folder with train.tsv, dev.tsv and test.tsv, a TSV file (source TAB target), or two"
          + " line-aligned text files (source, target). One file (or two) is split by CRC-32 of"
          + " the source sentence mod 100: 0-1 test, 2-3 dev, 4-99 train.",
      "A shared BPE tokenizer is trained on both sides of the training split and saved as"
          + " DIR/tokenizer.model. Training pairs with an empty side or a side longer than"
          + " --max-length subword tokens are dropped (dev and test pairs never are).",
      "The learning rate warms up linearly, stays, then halves 4 times from 2/3 of the planned"
          + " steps (--steps, or --epochs times the batches of an epoch) on. --max-minutes only"
          + " stops the run early; it does not change that plan."
    })
public final class NmtTrainCommand implements Callable<Integer> {
  /** The default vocabulary size. */
  static final int DEFAULT_VOCAB = 8000;

  /** The default budget when neither --steps nor --epochs is given. */
  static final int DEFAULT_EPOCHS = 10;

  /**
   * Initial weights from U(-0.2, 0.2): on the Bible, 2+2 layers of 256 reached in 325 steps the dev
   * loss that NVIDIA GNMT v2's 0.1 (with Adam at 2e-3) reached in 650.
   */
  static final float DEFAULT_INIT = 0.2f;

  /**
   * Batches with a non-finite gradient passed over before a run stops. The default Bible run met
   * one: an infinite gradient norm at step 1,721 (loss 3.59, every norm before it below 0.5); the
   * same run resumed from step 1,625, with the same losses step for step, passed step 1,721 with a
   * finite norm. A rare event that does not repeat should not end a run.
   */
  static final int DEFAULT_SKIP_NONFINITE = 10;

  /** Adam's peak learning rate. */
  static final double DEFAULT_ADAM_LR = 3e-3;

  @Option(
      names = "--data",
      required = true,
      arity = "1..2",
      paramLabel = "DATA",
      description =
          "bible-en-es, ding-de-en, a corpus folder, a TSV file, or two aligned files"
              + " (source, target).")
  List<String> data;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where fetched data sets are (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("data");

  @Option(
      names = "--direction",
      paramLabel = "SRC-TGT",
      description =
          "For a fetched data set: en-es or es-en, de-en or en-de (default: its own direction).")
  String direction;

  @Option(
      names = "--vocab",
      paramLabel = "N",
      description =
          "Pieces of the shared BPE tokenizer, specials and 256 byte pieces included (default:"
              + " ${DEFAULT-VALUE}).")
  int vocab = DEFAULT_VOCAB;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      description =
          "Drop training pairs with a side longer than this many subword tokens (default:"
              + " ${DEFAULT-VALUE}).")
  int maxLength = 100;

  @Option(
      names = "--hidden",
      paramLabel = "H",
      description = "LSTM width (default: ${DEFAULT-VALUE}).")
  int hidden = 256;

  @Option(
      names = "--layers",
      paramLabel = "N",
      description =
          "Encoder and decoder layers, each at least 2; residual connections from layer 3 on"
              + " (default: ${DEFAULT-VALUE}).")
  int layers = 2;

  @Option(
      names = "--embedding",
      paramLabel = "E",
      description =
          "Embedding size; equal to --hidden, the output projection is tied to the shared"
              + " embedding (default: ${DEFAULT-VALUE}).")
  int embedding = 256;

  @Option(
      names = "--dropout",
      description = "Dropout on embeddings and between layers (default: ${DEFAULT-VALUE}).")
  float dropout = 0.2f;

  @Option(
      names = "--init",
      paramLabel = "R",
      description =
          "Initial weights from U(-R, R); NVIDIA GNMT v2's 0.1 suits wide layers, small ones learn faster"
              + " from a larger range (default: ${DEFAULT-VALUE}).")
  float initRange = DEFAULT_INIT;

  @Option(
      names = "--attention",
      paramLabel = "bahdanau|luong",
      description =
          "Score function: normalized Bahdanau (GNMT's) or Luong general, which trains about"
              + " 1.5 times faster per step here (default: ${DEFAULT-VALUE}).")
  String attention = "luong";

  @Option(
      names = "--query",
      paramLabel = "gnmt|gnmt_v2",
      description =
          "Which bottom-decoder output queries the attention: gnmt_v2 (this step's) or gnmt (the"
              + " previous step's) (default: ${DEFAULT-VALUE}).")
  String query = "gnmt_v2";

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description =
          "Padded tokens per batch: pairs x longest side (length-bucketed) (default:"
              + " ${DEFAULT-VALUE}).")
  int maxTokens = 3000;

  @Option(
      names = "--optimizer",
      paramLabel = "adam|sgd-halving",
      description = "Adam, or plain SGD as in GNMT (default: ${DEFAULT-VALUE}).")
  String optimizer = "adam";

  @Option(names = "--lr", description = "Peak learning rate (default: 3e-3 for Adam, 1.0 for SGD).")
  Double lr;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Linear warm-up steps (default: min(200, planned steps / 10)).")
  Integer warmup;

  @Option(
      names = "--clip",
      description = "Clip gradients to this global norm; 0 for none (default: ${DEFAULT-VALUE}).")
  double clip = 5.0;

  @Option(
      names = "--skip-nonfinite",
      paramLabel = "N",
      description =
          "Pass over at most N batches whose loss or gradient is not finite (no update; each is"
              + " reported), then stop; 0 stops at the first (default: ${DEFAULT-VALUE}).")
  int skipNonFinite = DEFAULT_SKIP_NONFINITE;

  @Option(
      names = "--label-smoothing",
      paramLabel = "EPS",
      description = "Label smoothing of the loss (default: ${DEFAULT-VALUE}).")
  float labelSmoothing = 0.1f;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description = "Training steps (default: " + DEFAULT_EPOCHS + " epochs' worth).")
  Integer steps;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description =
          "Training epochs, passes over the training pairs (default: "
              + DEFAULT_EPOCHS
              + " when --steps is not given).")
  Integer epochs;

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
      description =
          "Validate (dev loss and dev BLEU) and checkpoint every N steps and at the end (default:"
              + " once per epoch, at most every 1000 steps).")
  Integer validateEvery;

  @Mixin SearchOptions search = new SearchOptions();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "nmt");

  @Option(
      names = "--seed",
      description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--resume", description = "Continue from DIR/last.safetensors if it exists.")
  boolean resume;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Option(
      names = "--keep-checkpoints",
      paramLabel = "N",
      description =
          "Also keep the last N periodic checkpoints as step-STEP.safetensors, for `nmt average`"
              + " (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints = 0;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    long t0 = System.nanoTime();
    TranslationData corpus = TranslationData.load(data, dataDir, direction);
    System.out.println("seq4j nmt train: GNMT on " + corpus.description());
    System.out.printf(
        Locale.ROOT,
        "  data      %,d training, %,d dev and %,d test pairs (split %s)%n",
        corpus.splits().train().size(),
        corpus.splits().dev().size(),
        corpus.splits().test().size(),
        corpus.splitRule());
    Files.createDirectories(out);
    Path tokenizerFile = out.resolve(NmtCheckpoint.TOKENIZER_FILE);
    SubwordTokenizer tokenizer = tokenizer(corpus, tokenizerFile);
    String tokenizerHash = NmtCheckpoint.sha256(tokenizerFile);
    EncodedPairs train = EncodedPairs.encode(tokenizer, corpus.splits().train(), maxLength);
    System.out.printf(
        Locale.ROOT,
        "  pairs     %,d kept for training (%,d source and %,d target tokens); dropped %,d with an"
            + " empty side and %,d with a side over %d tokens%n",
        train.size(),
        train.sourceTokens(),
        train.targetTokens(),
        train.droppedEmpty(),
        train.droppedLong(),
        maxLength);

    GnmtConfig modelConfig = modelConfig(tokenizer.size());
    Engine engine = Seq4jEngine.get();
    try (NDManager manager = engine.newBaseManager()) {
      engine.setRandomSeed(Seeds.toInt(seed));
      Gnmt gnmt = new Gnmt(modelConfig);
      gnmt.initialize(manager, DataType.FLOAT32, initRange);
      Translator translator = new Translator(gnmt, tokenizer, search.build());
      NmtTask task =
          new NmtTask(
              gnmt,
              train,
              corpus.splits().dev(),
              tokenizer,
              maxTokens,
              labelSmoothing,
              translator,
              seed);
      int perEpoch = task.batchesPerEpoch();
      long planned = plannedSteps(perEpoch);
      int warmupSteps = warmup != null ? warmup : (int) Math.min(200, planned / 10);
      double peak = lr != null ? lr : sgd() ? 1.0 : DEFAULT_ADAM_LR;
      long decayStart = Math.max(warmupSteps, planned * 2 / 3);
      long interval = Math.max(1, (planned - decayStart) / 4);
      long validEvery =
          validateEvery != null ? validateEvery : Math.max(1, Math.min(perEpoch, 1000));
      ObjectNode config = runConfig(corpus, modelConfig, tokenizerHash, warmupSteps, peak, planned);
      if (resume) {
        checkResumable(config);
      }
      System.out.printf(
          Locale.ROOT,
          "  model     %s; %,d parameters%n",
          modelConfig.describe(),
          gnmt.parameterCount());
      System.out.printf(
          Locale.ROOT,
          "  batches   at most %,d padded tokens (pairs x longest side), length-bucketed; %,d"
              + " batches per epoch%n",
          maxTokens,
          perEpoch);
      System.out.printf(
          Locale.ROOT,
          "  training  %s lr %s, %d warm-up steps, halved at step %d and every %d steps after (4"
              + " times); clip %s, label smoothing %s; %,d steps (%.1f epochs)%s; %d libtorch"
              + " thread(s)%n",
          sgd() ? "SGD" : "Adam",
          peak,
          warmupSteps,
          decayStart,
          interval,
          clip,
          labelSmoothing,
          planned,
          planned / (double) perEpoch,
          maxMinutes > 0 ? String.format(Locale.ROOT, " or %.1f min", maxMinutes) : "",
          Seq4jEngine.threads());
      System.out.printf(
          Locale.ROOT,
          "  validate  every %,d steps: dev loss and dev BLEU (%s); best.safetensors by BLEU%n",
          validEvery,
          search.describe());

      TrainLoop loop =
          TrainLoop.builder()
              .maxSteps(planned)
              .maxMinutes(maxMinutes)
              .validateEvery(validEvery)
              .checkpointEvery(validEvery)
              .checkpointDir(out)
              .bestMetric("bleu", true)
              .clipNorm(clip)
              .skipNonFiniteSteps(skipNonFinite)
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
                  "nmt: " + modelConfig.describe() + " on " + corpus.description())
              .withHistory(out));
      RunMeter meter = new RunMeter(out, keepCheckpoints);
      loop.addListener(meter);
      if (!quiet) {
        loop.addListener(new ProgressBarListener("nmt", maxMinutes));
      }
      LrSchedule halving = LrSchedule.gnmtHalving(peak, decayStart, interval, 4);
      LrSchedule schedule =
          step -> step < warmupSteps ? peak * (step + 1) / warmupSteps : halving.lr(step);
      TrainLoop.Summary summary;
      try (Optimizer opt = sgd() ? new Sgd(manager, peak) : new Adam(manager, peak)) {
        summary = loop.run(task, opt, schedule, manager);
      }
      Map<String, Double> last = summary.metrics();
      double seconds = summary.seconds();
      long done = summary.endStep() - summary.startStep();
      System.out.printf(
          Locale.ROOT,
          "  trained   steps %d to %d (epoch %.2f) in %.1f min: %.3f steps/s, %,.0f target tokens/s"
              + " (validation's %.1f min left out); process CPU %.1f s per step%n",
          summary.startStep(),
          summary.endStep(),
          summary.endStep() / (double) perEpoch,
          seconds / 60,
          meter.stepsPerSecond(seconds),
          meter.tokensPerSecond(seconds),
          meter.validationSeconds() / 60,
          meter.cpuSeconds() / Math.max(1, done));
      if (summary.skippedSteps() > 0) {
        System.out.printf(
            "  skipped   %d batch(es) with a loss or gradient that was not finite (see above)%n",
            summary.skippedSteps());
      }
      System.out.printf(
          Locale.ROOT,
          "  dev       loss %.3f, perplexity %.2f, BLEU %.2f (best %.2f, in %s)%n",
          last.getOrDefault("loss", Double.NaN),
          last.getOrDefault("ppl", Double.NaN),
          last.getOrDefault("bleu", Double.NaN),
          summary.bestValue() == null ? Double.NaN : summary.bestValue(),
          out.resolve(TrainLoop.BEST));
    }
    System.out.printf(
        Locale.ROOT, "done in %.1f s. Outputs in %s/:%n", (System.nanoTime() - t0) / 1e9, out);
    for (String f :
        List.of(
            TrainLoop.BEST,
            TrainLoop.LAST,
            NmtCheckpoint.TOKENIZER_FILE,
            "train.csv",
            "valid.csv",
            "loss.png")) {
      Path p = out.resolve(f);
      if (Files.exists(p)) {
        System.out.printf(Locale.ROOT, "  %-18s %,d bytes%n", f, Files.size(p));
      }
    }
    return 0;
  }

  /**
   * Trains the tokenizer on the training split and saves it, or on {@code --resume} reads the one
   * the run was trained with.
   */
  private SubwordTokenizer tokenizer(TranslationData corpus, Path file) throws IOException {
    if (resume && Files.exists(out.resolve(TrainLoop.LAST))) {
      SubwordTokenizer tokenizer = SubwordTokenizer.load(file);
      System.out.printf(
          Locale.ROOT,
          "  tokenizer %,d pieces, read from %s (resumed run)%n",
          tokenizer.size(),
          file);
      return tokenizer;
    }
    long start = System.nanoTime();
    SubwordTokenizer tokenizer;
    try {
      tokenizer =
          new BpeTrainer(BpeTrainer.Options.defaults().withVocabSize(vocab))
              .train(corpus.trainingText());
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("--vocab " + vocab + ": " + ex.getMessage(), ex);
    }
    tokenizer.save(file);
    System.out.printf(
        Locale.ROOT,
        "  tokenizer %,d pieces (shared BPE: %d characters, %,d merges, byte fallback), trained on"
            + " the training split in %.1f s -> %s%n",
        tokenizer.size(),
        tokenizer.characterCount(),
        tokenizer.mergeCount(),
        (System.nanoTime() - start) / 1e9,
        file);
    return tokenizer;
  }

  private boolean sgd() {
    return optimizer.equals("sgd-halving");
  }

  private long plannedSteps(int perEpoch) {
    long fromEpochs = epochs != null ? (long) epochs * perEpoch : 0;
    if (steps != null && epochs != null) {
      return Math.min(steps, fromEpochs);
    }
    return steps != null ? steps : epochs != null ? fromEpochs : (long) DEFAULT_EPOCHS * perEpoch;
  }

  private GnmtConfig modelConfig(int vocabularySize) {
    Attention.Kind kind =
        switch (attention.toLowerCase(Locale.ROOT)) {
          case "bahdanau", "normalized_bahdanau" -> Attention.Kind.NORMALIZED_BAHDANAU;
          case "luong" -> Attention.Kind.LUONG;
          default ->
              throw new IllegalArgumentException(
                  "--attention must be bahdanau or luong, got " + attention);
        };
    GnmtConfig.Query q;
    try {
      q = GnmtConfig.Query.of(query);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("--query must be gnmt or gnmt_v2, got " + query);
    }
    return GnmtConfig.small(vocabularySize)
        .withTying(embedding == hidden, true)
        .withSizes(embedding, hidden)
        .withLayers(layers, layers)
        .withDropout(dropout)
        .withAttention(kind)
        .withQuery(q)
        .withResidualFrom(layers >= 3 ? 3 : 0);
  }

  private void checkOptions() {
    if (hidden <= 0 || embedding <= 0) {
      throw new IllegalArgumentException("--hidden and --embedding must be > 0");
    }
    if (layers < 2) {
      throw new IllegalArgumentException(
          "--layers must be >= 2 (a bidirectional layer, then unidirectional ones), got " + layers);
    }
    if (vocab <= 0 || maxLength <= 0 || maxTokens <= 0) {
      throw new IllegalArgumentException("--vocab, --max-length and --max-tokens must be > 0");
    }
    if (!(initRange > 0 && initRange <= 1)) {
      throw new IllegalArgumentException("--init must be in (0, 1], got " + initRange);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException(
          "--label-smoothing must be in [0, 1), got " + labelSmoothing);
    }
    if (!optimizer.equals("adam") && !optimizer.equals("sgd-halving")) {
      throw new IllegalArgumentException(
          "--optimizer must be adam or sgd-halving, got " + optimizer);
    }
    if (lr != null && (!(lr > 0) || Double.isInfinite(lr))) {
      throw new IllegalArgumentException("--lr must be > 0, got " + lr);
    }
    if (steps != null && steps <= 0 || epochs != null && epochs <= 0) {
      throw new IllegalArgumentException("--steps and --epochs must be > 0");
    }
    if (skipNonFinite < 0) {
      throw new IllegalArgumentException("--skip-nonfinite must be >= 0, got " + skipNonFinite);
    }
    if (!(clip >= 0) || !(maxMinutes >= 0)) {
      throw new IllegalArgumentException("--clip and --max-minutes must be >= 0");
    }
    if (warmup != null && warmup < 0) {
      throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
    }
    if (validateEvery != null && validateEvery <= 0) {
      throw new IllegalArgumentException("--validate-every must be > 0, got " + validateEvery);
    }
    search.build();
  }

  /** Everything that defines the run; stored in every checkpoint. */
  private ObjectNode runConfig(
      TranslationData corpus,
      GnmtConfig modelConfig,
      String tokenizerHash,
      int warmupSteps,
      double peak,
      long planned) {
    ObjectNode config =
        NmtCheckpoint.runConfig(modelConfig, NmtCheckpoint.TOKENIZER_FILE, tokenizerHash);
    ArrayNode d = config.putArray("data");
    for (String s : data) {
      d.add(TranslationData.NAMED.containsKey(s) ? s : Path.of(s).toAbsolutePath().toString());
    }
    config.put("data_dir", dataDir.toAbsolutePath().toString());
    config.put("direction", corpus.direction());
    config.put("vocab", vocab);
    config.put("init_range", initRange);
    config.put("max_length", maxLength);
    config.put("max_tokens", maxTokens);
    config.put("optimizer", optimizer);
    config.put("lr", peak);
    config.put("warmup", warmupSteps);
    config.put("schedule", "warmup-halving");
    config.put("planned_steps", planned);
    config.put("clip", clip);
    config.put("label_smoothing", labelSmoothing);
    config.put("seed", seed);
    config.put("valid_beam", search.beam);
    config.put("valid_alpha", search.alpha);
    config.put("valid_beta", search.beta);
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
    if (previous == null || !NmtCheckpoint.MODEL.equals(previous.path("model").asText())) {
      throw new IllegalArgumentException(
          "--resume: " + last + " was not written by `nmt train`; choose another --out");
    }
    for (String key :
        List.of(
            "tokenizer_sha256",
            "data",
            "direction",
            "vocabulary_size",
            "embedding",
            "hidden",
            "encoder_layers",
            "decoder_layers",
            "dropout",
            "attention",
            "attention_query",
            "init_range",
            "max_length",
            "max_tokens",
            "optimizer",
            "lr",
            "warmup",
            "planned_steps",
            "clip",
            "label_smoothing")) {
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
