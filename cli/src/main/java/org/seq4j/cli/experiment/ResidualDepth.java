package org.seq4j.cli.experiment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.seq4j.cli.data.Utf8Files;
import org.seq4j.cli.lm.CharLmTask;
import org.seq4j.cli.lm.CharRnnConfig;
import org.seq4j.cli.lm.CharRnnLanguageModel;
import org.seq4j.cli.lm.LmCorpus;
import org.seq4j.cli.lm.TextChunk;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.nn.Losses;
import org.seq4j.optim.Adam;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.LrSchedule;
import org.seq4j.train.Seeds;
import org.seq4j.train.TrainListener;
import org.seq4j.train.TrainLoop;

/**
 * {@code seq4j experiment residual-depth}: GNMT's observation (Wu et al. 2016, section 3.1) that
 * stacked LSTMs train well up to about 4 layers, barely at 6 and very poorly beyond 8 unless
 * residual connections carry each layer's input past it.
 *
 * <p>Six character language models of the fortunes ({@code lm}'s split: every 20th quote held out):
 * an embedding, {@code L = 2, 4, 8} unidirectional LSTM layers of one width, and a linear layer to
 * the next character, each depth without and with residual connections. The embedding is as wide as
 * the layers, so every layer from the second on reads an input of its own output's width and adds
 * it to its output ({@link #RESIDUAL_FROM}); the first layer turns the embedding into the recurrent
 * representation and has no shortcut. GNMT starts at the third layer because its first layer is
 * bidirectional (twice as wide). Every model gets the same seed, the same batches, the same number
 * of Adam steps and the same learning-rate schedule; a step budget rather than a time budget, so
 * that a deeper model is not also handicapped by fewer updates.
 */
final class ResidualDepth implements Experiment {
  /** The stack depths compared. */
  static final int[] DEPTHS = {2, 4, 8};

  /** The first layer (counting from 1) that adds its input to its output, in the residual runs. */
  static final int RESIDUAL_FROM = 2;

  /** The global gradient norm clipped to. */
  static final double CLIP = 1.0;

  /**
   * The sizes of a run.
   *
   * @param hidden the width of the embedding and of every LSTM layer
   * @param batch parallel text streams per step
   * @param seqLen characters per stream and step (truncated back-propagation through time)
   * @param steps Adam steps per model
   * @param lr the peak learning rate: linear warm-up, then cosine decay to a twentieth of it
   * @param warmup warm-up steps
   * @param validateEvery steps between validations
   * @param validationCharacters the held-out characters scored at each validation (a sample spread
   *     over the whole validation text; see {@link CharLmTask#limitValidation})
   * @param textCharacters the text read (whole quotes up to about this many characters), or 0 for
   *     all of it
   */
  record Settings(
      int hidden,
      int batch,
      int seqLen,
      int steps,
      double lr,
      int warmup,
      int validateEvery,
      int validationCharacters,
      int textCharacters) {}

  /** The recorded run: about 25 minutes on one thread. */
  static final Settings FULL = new Settings(128, 32, 64, 800, 3e-3, 40, 50, 24_000, 0);

  /** Seconds. */
  static final Settings QUICK = new Settings(32, 8, 32, 48, 3e-3, 4, 16, 2_000, 100_000);

  /**
   * One trained model.
   *
   * @param depth LSTM layers
   * @param residual whether layers from {@link #RESIDUAL_FROM} on are residual
   * @param parameters scalar parameters
   * @param steps the steps at which validation ran (0: before training)
   * @param bpc validation bits per character at those steps
   * @param firstLayerGradient the norm of the gradient of the first training batch's loss with
   *     respect to the first LSTM layer's weights, at initialization
   * @param seconds training and validation time
   */
  record Result(
      int depth,
      boolean residual,
      long parameters,
      double[] steps,
      double[] bpc,
      double firstLayerGradient,
      double seconds) {
    double finalBpc() {
      return bpc[bpc.length - 1];
    }

    double bestBpc() {
      double best = Double.POSITIVE_INFINITY;
      for (double b : bpc) {
        best = Math.min(best, b);
      }
      return best;
    }

    String label() {
      return depth + " layers" + (residual ? ", residual" : "");
    }
  }

  @Override
  public String name() {
    return "residual-depth";
  }

  @Override
  public void run(ExperimentRun run) throws IOException {
    Settings s = run.quick() ? QUICK : FULL;
    Path file = run.dataDir().resolve("fortunes").resolve("fortunes.txt");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "the fortunes are not in "
              + file.getParent()
              + "; fetch them with `seq4j data fetch fortunes`, or point --data-dir at the folder"
              + " that holds fortunes/");
    }
    LmCorpus corpus =
        LmCorpus.of(leadingQuotes(Utf8Files.read(file), s.textCharacters()), file.toString());
    run.console()
        .printf(
            Locale.ROOT,
            "data: %s, %,d training and %,d validation characters (%,d scored per validation),"
                + " %d symbols%n",
            file,
            corpus.train().length,
            corpus.validation().length,
            Math.min(s.validationCharacters(), corpus.validation().length),
            corpus.vocabulary().size());
    List<Result> results = new ArrayList<>();
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      for (int depth : DEPTHS) {
        for (boolean residual : new boolean[] {false, true}) {
          Result r = train(manager, run, s, corpus, depth, residual);
          run.console()
              .printf(
                  Locale.ROOT,
                  "%-20s %,9d parameters  validation %.3f bits/char (best %.3f)  first-layer"
                      + " gradient %.2e  %.1f s%n",
                  r.label(),
                  r.parameters(),
                  r.finalBpc(),
                  r.bestBpc(),
                  r.firstLayerGradient(),
                  r.seconds());
          results.add(r);
        }
      }
    }
    Report report =
        new Report(run.out(), run.console(), "Residual connections and depth: stacked LSTMs");
    writeReport(report, s, corpus, results);
    run.console().println("report: " + report.write());
  }

  /** The whole quotes of {@code text} up to about {@code characters}, or all of it for 0. */
  static String leadingQuotes(String text, int characters) {
    if (characters <= 0 || text.length() <= characters) {
      return text;
    }
    int end = text.indexOf("\n%\n", characters);
    return end < 0 ? text : text.substring(0, end + 3);
  }

  /** Trains one model, validating as it goes. */
  static Result train(
      NDManager parent,
      ExperimentRun run,
      Settings s,
      LmCorpus corpus,
      int depth,
      boolean residual) {
    long start = System.nanoTime();
    Engine engine = parent.getEngine();
    try (NDManager manager = parent.newSubManager()) {
      engine.setRandomSeed(Seeds.toInt(run.seed()));
      CharRnnConfig config =
          new CharRnnConfig(
              "lstm",
              corpus.vocabulary(),
              s.hidden(),
              s.hidden(),
              depth,
              0f,
              residual ? RESIDUAL_FROM : 0);
      CharRnnLanguageModel lm = new CharRnnLanguageModel(manager, config);
      CharLmTask task =
          new CharLmTask(lm, corpus, s.batch(), s.seqLen())
              .limitValidation(s.validationCharacters());
      double gradient = firstLayerGradient(manager, lm, task.batch(0, 0).chunk());
      List<double[]> curve = new ArrayList<>();
      curve.add(new double[] {0, task.validate(manager).get("bpc")});
      TrainLoop loop =
          TrainLoop.builder()
              .maxSteps(s.steps())
              .validateEvery(s.validateEvery())
              .clipNorm(CLIP)
              .seed(run.seed())
              .build();
      loop.addListener(
          new TrainListener() {
            @Override
            public void onValidation(long step, Map<String, Double> metrics) {
              curve.add(new double[] {step, metrics.get("bpc")});
            }
          });
      try (Adam adam = new Adam(manager, s.lr())) {
        loop.run(
            task,
            adam,
            LrSchedule.warmupCosine(s.lr(), s.warmup(), s.steps(), s.lr() / 20),
            manager);
      }
      return new Result(
          depth,
          residual,
          lm.size(),
          curve.stream().mapToDouble(p -> p[0]).toArray(),
          curve.stream().mapToDouble(p -> p[1]).toArray(),
          gradient,
          (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * The norm of the gradient of the loss on {@code chunk} (from a zero state) with respect to the
   * first LSTM layer's weights: how much of the error signal reaches the bottom of the stack.
   */
  static double firstLayerGradient(NDManager parent, CharRnnLanguageModel lm, TextChunk chunk) {
    Map<String, NDArray> params = lm.parameters();
    return Steps.scoped(
        parent,
        m -> {
          Gradients.zero(params);
          Shape shape = new Shape(chunk.streams(), chunk.length());
          try (GradientCollector collector = m.getEngine().newGradientCollector()) {
            NDArray logits = lm.forward(m.create(chunk.inputs(), shape), null, true).logits();
            collector.backward(
                Losses.crossEntropy(logits, m.create(chunk.targets(), shape), -1, 0f));
          }
          double sum = 0;
          for (Map.Entry<String, NDArray> g : Gradients.of(params, m).entrySet()) {
            if (g.getKey().startsWith("rnn.") && g.getKey().endsWith("_l0")) {
              sum += g.getValue().square().sum().getFloat();
            }
          }
          Gradients.zero(params);
          return Math.sqrt(sum);
        });
  }

  private static void writeReport(Report report, Settings s, LmCorpus corpus, List<Result> results)
      throws IOException {
    report.paragraph(
        "Wu et al. (2016, GNMT, section 3.1) report that stacked LSTMs work well up to 4 layers,"
            + " barely with 6 and very poorly beyond 8, and that residual connections between"
            + " layers (from the third layer on in their encoder and decoder) let them train 8."
            + " Here: character language models of the fortunes, `seq4j lm`'s split (every 20th"
            + " quote held out).");
    report.paragraph(
        String.format(
            Locale.ROOT,
            "Each model: an embedding of width %d, L = %s unidirectional LSTM layers of %d units and a"
                + " linear layer to the %d symbols. The residual runs add each layer's input to"
                + " its output from layer %d on (the first layer maps the embedding to the"
                + " recurrent representation and has no shortcut). Every model: the same seed and"
                + " batches, %d Adam steps of %d streams x %d characters (truncated BPTT, state"
                + " carried between chunks), learning rate %.0e with %d warm-up steps then cosine"
                + " to a twentieth, gradients clipped to global norm %.0f, no dropout."
                + " Validation every %d steps on %,d held-out characters (the start of each of"
                + " the validation streams, spread over the whole validation text of %,d).",
            s.hidden(),
            Arrays.stream(DEPTHS).mapToObj(Integer::toString).collect(Collectors.joining(", ")),
            s.hidden(),
            corpus.vocabulary().size(),
            RESIDUAL_FROM,
            s.steps(),
            s.batch(),
            s.seqLen(),
            s.lr(),
            s.warmup(),
            CLIP,
            s.validateEvery(),
            Math.min(s.validationCharacters(), corpus.validation().length),
            corpus.validation().length));
    Table table =
        new Table(
            "Layers",
            "Residual",
            "Parameters",
            "Final val bits/char",
            "Best val bits/char",
            "First-layer gradient at init",
            "Wall time (s)");
    for (Result r : results) {
      table.row(
          Integer.toString(r.depth()),
          r.residual() ? "yes" : "no",
          String.format(Locale.ROOT, "%,d", r.parameters()),
          String.format(Locale.ROOT, "%.3f", r.finalBpc()),
          String.format(Locale.ROOT, "%.3f", r.bestBpc()),
          String.format(Locale.ROOT, "%.2e", r.firstLayerGradient()),
          String.format(Locale.ROOT, "%.1f", r.seconds()));
    }
    report.heading("Results");
    report.table("Validation bits per character after the step budget", table);
    report.paragraph(
        "First-layer gradient: the norm of the gradient of the first training batch's loss with"
            + " respect to the first LSTM layer's weights, at initialization.");
    LinePlot plot =
        new LinePlot(
            "Stacked LSTM character models: validation loss", "step", "validation bits/char");
    for (Result r : results) {
      plot.series(r.label(), r.steps(), r.bpc());
    }
    report.plot("validation.png", "validation bits per character against step", plot);
  }
}
