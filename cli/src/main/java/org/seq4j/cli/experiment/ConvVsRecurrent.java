package org.seq4j.cli.experiment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import org.seq4j.cli.data.FortunesDataset;
import org.seq4j.cli.data.Utf8Files;
import org.seq4j.cli.lm.CharLmTask;
import org.seq4j.cli.lm.CharRnnConfig;
import org.seq4j.cli.lm.CharRnnLanguageModel;
import org.seq4j.cli.lm.CharSampler;
import org.seq4j.cli.lm.LmCorpus;
import org.seq4j.cli.lm.Vocabulary;
import org.seq4j.cli.sampling.SoftmaxSampler;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Adam;
import org.seq4j.optim.LrSchedule;
import org.seq4j.train.Seeds;
import org.seq4j.train.StepContext;
import org.seq4j.train.TrainLoop;
import org.seq4j.train.TrainTask;

/**
 * {@code seq4j experiment conv-vs-recurrent}: an LSTM, a GRU and a TCN character language model of
 * equal parameter counts, trained on the same chunks of the fortunes text with the same budget,
 * compared on validation bits per character (the split of {@code seq4j lm train}), the training
 * time to reach it and the speed of generating text; then one-step forecasting of the sunspot
 * numbers ({@link SunspotForecasting}).
 */
final class ConvVsRecurrent implements Experiment {
  /**
   * The run's sizes.
   *
   * @param textLimit the characters of the fortunes text used, cut at a quote boundary; 0 for all
   * @param embedding the recurrent models' embedding, and the TCN's before its fine adjustment
   * @param lstmHidden the LSTM's units: its parameter count is the one the others match
   * @param levels the TCN's blocks
   * @param kernel the TCN's kernel
   * @param batch parallel streams, B
   * @param seqLen characters scored per stream and step, T (the recurrent models' truncation)
   * @param steps training steps, the same for every model
   * @param validations validations over training, evenly spaced, the last at the end
   * @param lr Adam's peak learning rate, after {@code warmup} steps, then cosine to a twentieth
   * @param clip the global gradient norm
   * @param sampleLength the characters generated to time generation
   */
  record Settings(
      int textLimit,
      int embedding,
      int lstmHidden,
      int levels,
      int kernel,
      int batch,
      int seqLen,
      int steps,
      int validations,
      double lr,
      int warmup,
      double clip,
      int sampleLength) {}

  /**
   * About 366k parameters each; 1200 steps of 32 x 128 characters, about two passes over the
   * training text, take about 25 minutes for the three models on one thread (0.3 s a step for the
   * recurrent models, 0.45 s for the TCN, which reads 124 characters of context again per chunk,
   * and 10 validations of the whole held-out text each).
   */
  static final Settings FULL =
      new Settings(0, 64, 256, 5, 3, 32, 128, 1200, 10, 3e-3, 100, 1.0, 400);

  /** Seconds: tiny models, 40 steps on the first 100 kB. */
  static final Settings QUICK =
      new Settings(100_000, 16, 48, 3, 3, 16, 32, 40, 4, 1e-2, 5, 1.0, 40);

  /** Characters generated, untimed, before the timed sample. */
  private static final int WARM_UP_CHARACTERS = 10;

  @Override
  public String name() {
    return "conv-vs-recurrent";
  }

  @Override
  public void run(ExperimentRun run) throws IOException {
    run(run, run.quick() ? QUICK : FULL);
  }

  /** Runs the study with sizes {@code s}. */
  void run(ExperimentRun run, Settings s) throws IOException {
    Path text = run.dataDir().resolve(FortunesDataset.PACKAGE).resolve(FortunesDataset.TEXT_FILE);
    Path sunspots = run.dataDir().resolve("sunspots").resolve("sunspots.csv");
    requireData(text, "fortunes");
    requireData(sunspots, "sunspots");
    LmCorpus corpus = corpus(text, s.textLimit());
    run.console()
        .printf(
            Locale.ROOT,
            "fortunes: %,d training and %,d validation characters (every %dth quote held out);"
                + " %d distinct characters%n",
            corpus.train().length,
            corpus.validation().length,
            LmCorpus.HOLD_OUT_EVERY,
            corpus.vocabulary().size() - 1);
    List<Trained> models = new ArrayList<>();
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      Sizes sizes = sizes(manager, s, corpus.vocabulary());
      models.add(trainRecurrent(manager, run, s, corpus, sizes.lstm()));
      models.add(trainRecurrent(manager, run, s, corpus, sizes.gru()));
      models.add(trainTcn(manager, run, s, corpus, sizes));
    }
    Report report = new Report(run.out(), run.console(), "Convolutional or recurrent?");
    new ConvVsRecurrentReport(report, s, run, corpus).write(models);
    SunspotForecasting.run(run, sunspots, report);
    run.console().println("report: " + report.write());
  }

  private static void requireData(Path file, String dataset) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file
              + " is missing: run `seq4j data fetch "
              + dataset
              + "` (it writes DATA_DIR/"
              + dataset
              + "/), or point --data-dir at the directory that holds "
              + dataset
              + "/");
    }
  }

  /** The text, or its first {@code limit} characters up to the end of a quote. */
  static LmCorpus corpus(Path file, int limit) throws IOException {
    if (limit <= 0) {
      return LmCorpus.read(file);
    }
    String text = Utf8Files.read(file);
    if (text.length() > limit) {
      int cut = text.lastIndexOf("\n%\n", limit);
      text = cut > 0 ? text.substring(0, cut + 3) : text.substring(0, limit);
    }
    return LmCorpus.of(text, file + " (first " + text.length() + " characters)");
  }

  /**
   * The three models' shapes. The LSTM's is set; the GRU's units are the count nearest the LSTM's
   * parameters; the TCN's channels are the most that stay below them, and its embedding is then
   * widened to the count nearest them (a finer step than one channel).
   */
  record Sizes(CharRnnConfig lstm, CharRnnConfig gru, int tcnEmbedding, int tcnChannels) {}

  static Sizes sizes(NDManager manager, Settings s, Vocabulary vocabulary) {
    CharRnnConfig lstm = rnnConfig("lstm", vocabulary, s.embedding(), s.lstmHidden());
    long target = count(manager, m -> new CharRnnLanguageModel(m, lstm).size());
    int gruHidden =
        nearest(
            h ->
                count(
                    manager,
                    m ->
                        new CharRnnLanguageModel(m, rnnConfig("gru", vocabulary, s.embedding(), h))
                            .size()),
            target,
            1,
            4 * s.lstmHidden());
    IntToLongFunction tcn =
        c -> count(manager, m -> tcn(m, vocabulary, s, s.embedding(), c).size());
    int channels = Math.max(1, nearest(tcn, target, 1, 4 * s.lstmHidden()));
    while (channels > 1 && tcn.applyAsLong(channels) > target) {
      channels--;
    }
    int c = channels;
    int embedding =
        nearest(
            e -> count(manager, m -> tcn(m, vocabulary, s, e, c).size()),
            target,
            s.embedding(),
            8 * s.embedding());
    return new Sizes(
        lstm, rnnConfig("gru", vocabulary, s.embedding(), gruHidden), embedding, channels);
  }

  private static CharRnnConfig rnnConfig(
      String cell, Vocabulary vocabulary, int embedding, int hidden) {
    return new CharRnnConfig(cell, vocabulary, embedding, hidden, 1, 0f);
  }

  private static CharTcnModel tcn(
      NDManager manager, Vocabulary vocabulary, Settings s, int embedding, int channels) {
    return new CharTcnModel(
        manager, vocabulary.size(), embedding, channels, s.levels(), s.kernel());
  }

  /** The parameter count of a model built, and dropped, in a child of {@code manager}. */
  private static long count(NDManager manager, Function<NDManager, Long> size) {
    try (NDManager m = manager.newSubManager()) {
      return size.apply(m);
    }
  }

  /**
   * The {@code x} in {@code [lo, hi]} whose {@code size(x)} is nearest {@code target}, for a size
   * that grows with {@code x}: a binary search, then the better of the two neighbours.
   */
  static int nearest(IntToLongFunction size, long target, int lo, int hi) {
    int a = lo;
    int b = hi;
    while (a < b) {
      int mid = (a + b) >>> 1;
      if (size.applyAsLong(mid) < target) {
        a = mid + 1;
      } else {
        b = mid;
      }
    }
    if (a > lo
        && Math.abs(size.applyAsLong(a - 1) - target) <= Math.abs(size.applyAsLong(a) - target)) {
      return a - 1;
    }
    return a;
  }

  /**
   * One trained model.
   *
   * @param label LSTM, GRU or TCN
   * @param shape its sizes in words
   * @param curve per validation: {step, training seconds, validation bits/char}
   * @param trainSeconds the training time, validation excluded
   * @param charsPerSecond characters generated per second, one at a time, batch 1
   * @param sample the generated text
   */
  record Trained(
      String label,
      String shape,
      long parameters,
      List<double[]> curve,
      double trainSeconds,
      double charsPerSecond,
      String sample) {
    /** The validation point with the lowest bits/char. */
    double[] best() {
      double[] best = curve.get(0);
      for (double[] p : curve) {
        if (p[2] < best[2]) {
          best = p;
        }
      }
      return best;
    }

    /** The training seconds at which validation first reached {@code bpc}, or NaN. */
    double secondsTo(double bpc) {
      for (double[] p : curve) {
        if (p[2] <= bpc) {
          return p[1];
        }
      }
      return Double.NaN;
    }
  }

  private Trained trainRecurrent(
      NDManager parent, ExperimentRun run, Settings s, LmCorpus corpus, CharRnnConfig config) {
    String label = config.cell().toUpperCase(Locale.ROOT);
    try (NDManager manager = parent.newSubManager()) {
      seed(manager.getEngine(), run, label);
      CharRnnLanguageModel model = new CharRnnLanguageModel(manager, config);
      String shape = "1 x " + config.hidden() + ", embedding " + config.embedding();
      announce(run, label, shape, model.size());
      Timed<?> task =
          train(manager, run, s, label, new CharLmTask(model, corpus, s.batch(), s.seqLen()));
      CharSampler sampler = new CharSampler(model, manager);
      String context = corpus.kind().separator();
      Generated g = generation(n -> sampler.sample(context, n, 1.0, run.seed(), null), s);
      return task.result(label, shape, model.size(), g);
    }
  }

  private Trained trainTcn(
      NDManager parent, ExperimentRun run, Settings s, LmCorpus corpus, Sizes sizes) {
    String label = "TCN";
    try (NDManager manager = parent.newSubManager()) {
      seed(manager.getEngine(), run, label);
      CharTcnModel model =
          tcn(manager, corpus.vocabulary(), s, sizes.tcnEmbedding(), sizes.tcnChannels());
      int field = model.receptiveField();
      String shape =
          String.format(
              Locale.ROOT,
              "%d x %d, kernel %d, field %d, embedding %d",
              s.levels(),
              sizes.tcnChannels(),
              s.kernel(),
              field,
              sizes.tcnEmbedding());
      announce(run, label, shape, model.size());
      Timed<?> task =
          train(
              manager,
              run,
              s,
              label,
              new CharTcnTask(model, corpus, s.batch(), s.seqLen(), field - 1));
      String context = corpus.kind().separator();
      Generated g =
          generation(n -> generate(manager, model, corpus.vocabulary(), context, n, run.seed()), s);
      return task.result(label, shape, model.size(), g);
    }
  }

  /** A generated text and the characters generated per second. */
  private record Generated(String text, double charsPerSecond) {}

  /**
   * Times {@code generate} (the characters asked for to the text drawn) on {@link
   * Settings#sampleLength()} characters, after an untimed warm-up.
   */
  private static Generated generation(IntFunction<String> generate, Settings s) {
    generate.apply(WARM_UP_CHARACTERS);
    long start = System.nanoTime();
    String text = generate.apply(s.sampleLength());
    return new Generated(text, s.sampleLength() / ((System.nanoTime() - start) / 1e9));
  }

  /** Every model starts from its own seed, derived from the run's. */
  private static void seed(Engine engine, ExperimentRun run, String label) {
    engine.setRandomSeed(Seeds.toInt(Seeds.mix(run.seed(), label.hashCode())));
  }

  private static void announce(ExperimentRun run, String label, String shape, long parameters) {
    run.console().printf(Locale.ROOT, "%-4s %s: %,d parameters%n", label, shape, parameters);
  }

  /**
   * Trains with the loop every task uses: Adam, warm-up then cosine decay, global-norm clipping,
   * the same steps and batches for every model; validation at evenly spaced steps.
   */
  private static <B> Timed<B> train(
      NDManager manager, ExperimentRun run, Settings s, String label, TrainTask<B> task) {
    Timed<B> timed = new Timed<>(task, run, label, s.steps());
    TrainLoop loop =
        TrainLoop.builder()
            .maxSteps(s.steps())
            .validateEvery(Math.max(1, s.steps() / s.validations()))
            .bestMetric("bpc", false)
            .clipNorm(s.clip())
            .seed(Seeds.mix(run.seed(), 7))
            .build();
    try (Adam adam = new Adam(manager, s.lr())) {
      loop.run(
          timed,
          adam,
          LrSchedule.warmupCosine(s.lr(), s.warmup(), s.steps(), s.lr() / 20),
          manager);
    }
    return timed;
  }

  /**
   * Draws {@code length} characters from the TCN after {@code context}, one at a time at batch 1:
   * each step runs the network over the last {@code receptiveField()} characters (all it reads) and
   * draws from the last position's softmax. Nothing is cached between steps.
   */
  static String generate(
      NDManager manager,
      CharTcnModel model,
      Vocabulary vocabulary,
      String context,
      int length,
      long seed) {
    int field = model.receptiveField();
    List<Integer> ids = new ArrayList<>();
    for (int id : vocabulary.encode(context)) {
      ids.add(id);
    }
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      List<Integer> window = ids.subList(Math.max(0, ids.size() - field), ids.size());
      long[] x = window.stream().mapToLong(Integer::longValue).toArray();
      float[] logits =
          Steps.scoped(
              manager,
              m -> {
                NDArray y = model.logits(m.create(x, new Shape(1, x.length)));
                return y.get(0, x.length - 1).toFloatArray();
              });
      int next = SoftmaxSampler.draw(logits, 1.0, random, Vocabulary.UNK);
      ids.add(next);
      out.append(vocabulary.character(next));
    }
    return out.toString();
  }

  /**
   * A task that records, at each validation, the step, the training time so far (validation
   * excluded) and the validation bits/char, and prints them.
   */
  static final class Timed<B> implements TrainTask<B> {
    private final TrainTask<B> task;
    private final ExperimentRun run;
    private final String label;
    private final int steps;
    private final List<double[]> curve = new ArrayList<>();
    private final long start = System.nanoTime();
    private double validationSeconds;
    private long done;

    Timed(TrainTask<B> task, ExperimentRun run, String label, int steps) {
      this.task = task;
      this.run = run;
      this.label = label;
      this.steps = steps;
    }

    @Override
    public Map<String, NDArray> parameters() {
      return task.parameters();
    }

    @Override
    public int batchesPerEpoch() {
      return task.batchesPerEpoch();
    }

    @Override
    public B batch(long epoch, int index) {
      return task.batch(epoch, index);
    }

    @Override
    public StepLoss loss(StepContext context, B batch) {
      done = context.step() + 1;
      return task.loss(context, batch);
    }

    @Override
    public Map<String, Double> validate(NDManager manager) {
      long begin = System.nanoTime();
      double trained = (begin - start) / 1e9 - validationSeconds;
      Map<String, Double> metrics = task.validate(manager);
      validationSeconds += (System.nanoTime() - begin) / 1e9;
      double bpc = metrics.get("bpc");
      curve.add(new double[] {done, trained, bpc});
      run.console()
          .printf(
              Locale.ROOT,
              "%-4s step %5d/%d  %7.1f s training  validation %.3f bits/char%n",
              label,
              done,
              steps,
              trained,
              bpc);
      return metrics;
    }

    Trained result(String label, String shape, long parameters, Generated generated) {
      double trainSeconds = curve.isEmpty() ? Double.NaN : curve.get(curve.size() - 1)[1];
      return new Trained(
          label,
          shape,
          parameters,
          List.copyOf(curve),
          trainSeconds,
          generated.charsPerSecond(),
          generated.text());
    }
  }
}
