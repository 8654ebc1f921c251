package org.seq4j.cli.experiment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.nn.Losses;
import org.seq4j.optim.Adam;
import org.seq4j.train.Seeds;

/**
 * {@code seq4j experiment why-not-feedforward}: a window MLP against an LSTM on the majority task
 * ({@link MajorityTask}). The MLP's size grows with the longest sequence it must read and it cannot
 * read a longer one; the LSTM's size does not depend on the length, and it reads any length.
 */
final class WhyNotFeedforward implements Experiment {
  /** Training steps between two points of the loss curve. */
  private static final int CURVE_EVERY = 10;

  /**
   * The run's sizes.
   *
   * @param minLength the shortest training sequence
   * @param maxLength the longest training sequence, and the MLP's window
   * @param bins test length ranges {from, to}, inside and beyond the training lengths
   * @param sizeLengths the windows at which parameter counts are compared
   */
  record Settings(
      int minLength,
      int maxLength,
      int mlpHidden,
      int lstmHidden,
      int batch,
      int steps,
      double lr,
      int testPerBin,
      int[][] bins,
      int[] sizeLengths) {}

  static final Settings FULL =
      new Settings(
          5,
          200,
          64,
          32,
          64,
          4000,
          3e-3,
          1000,
          new int[][] {
            {5, 50},
            {51, 100},
            {101, 150},
            {151, 200},
            {201, 300},
            {301, 400},
            {401, 600},
            {801, 1000}
          },
          new int[] {25, 50, 100, 200, 400, 800, 1600, 3200});

  static final Settings QUICK =
      new Settings(
          5,
          30,
          32,
          16,
          32,
          150,
          1e-2,
          200,
          new int[][] {{5, 30}, {31, 60}, {61, 120}},
          new int[] {10, 20, 40, 80});

  @Override
  public String name() {
    return "why-not-feedforward";
  }

  @Override
  public void run(ExperimentRun run) throws IOException {
    run(run, run.quick() ? QUICK : FULL);
  }

  /** Runs the study with sizes {@code s}. */
  void run(ExperimentRun run, Settings s) throws IOException {
    Engine engine = Seq4jEngine.get();
    Report report = new Report(run.out(), run.console(), "Why not a feed-forward network?");
    try (NDManager manager = engine.newBaseManager()) {
      Sizes sizes = sizes(manager, s);
      engine.setRandomSeed(Seeds.toInt(Seeds.mix(run.seed(), 1)));
      WindowMlp mlp = new WindowMlp(manager, s.maxLength(), 2, s.mlpHidden(), 2);
      engine.setRandomSeed(Seeds.toInt(Seeds.mix(run.seed(), 2)));
      SequenceModel lstm =
          SequenceModel.recurrent(manager, SequenceModel.Kind.LSTM, 2, s.lstmHidden(), 2);
      double[] mlpCurve =
          train(manager, run, s, "MLP", mlp.parameters(), (m, b) -> mlpLoss(m, mlp, b));
      double[] lstmCurve =
          train(manager, run, s, "LSTM", lstm.parameters(), (m, b) -> lstmLoss(m, lstm, b));
      Accuracy accuracy = accuracy(manager, run, s, mlp, lstm);
      new WhyNotFeedforwardReport(report, s, run, mlp.size(), lstm.size())
          .write(sizes, accuracy, mlpCurve, lstmCurve);
    }
    run.console().println("report: " + report.write());
  }

  /** The parameter counts of both models when the longest sequence is each of {@code lengths}. */
  record Sizes(int[] lengths, long[] mlp, long[] lstm) {}

  /**
   * Accuracy per test length range {from, to}: always answering "no" (the commoner answer, ties
   * being "no"), the MLP (NaN where the range does not fit its window) and the LSTM.
   */
  record Accuracy(int[][] bins, double[] no, double[] mlp, double[] lstm) {}

  static Sizes sizes(NDManager manager, Settings s) {
    int[] lengths = s.sizeLengths();
    long[] mlp = new long[lengths.length];
    long[] lstm = new long[lengths.length];
    for (int i = 0; i < lengths.length; i++) {
      try (NDManager m = manager.newSubManager()) {
        mlp[i] = new WindowMlp(m, lengths[i], 2, s.mlpHidden(), 2).size();
        lstm[i] = SequenceModel.recurrent(m, SequenceModel.Kind.LSTM, 2, s.lstmHidden(), 2).size();
      }
    }
    return new Sizes(lengths, mlp, lstm);
  }

  /** Trains {@code params} with Adam; returns the mean loss of every {@link #CURVE_EVERY} steps. */
  private static double[] train(
      NDManager manager,
      ExperimentRun run,
      Settings s,
      String label,
      Map<String, NDArray> params,
      BiFunction<NDManager, MajorityTask.Batch, NDArray> loss) {
    // Both models see the same batches.
    SplittableRandom data = new SplittableRandom(Seeds.mix(run.seed(), 3));
    double[] curve = new double[s.steps() / CURVE_EVERY];
    long start = System.nanoTime();
    try (Adam adam = new Adam(manager, s.lr())) {
      for (int step = 0; step < s.steps(); step++) {
        MajorityTask.Batch batch =
            MajorityTask.sample(data, s.batch(), s.minLength(), s.maxLength(), s.maxLength());
        double value = TrainStep.run(manager, params, adam, 1.0, m -> loss.apply(m, batch));
        if (step / CURVE_EVERY < curve.length) {
          curve[step / CURVE_EVERY] += value / CURVE_EVERY;
        }
      }
    }
    run.console()
        .printf(
            Locale.ROOT,
            "trained the %s: %d steps in %.1f s%n",
            label,
            s.steps(),
            (System.nanoTime() - start) / 1e9);
    return curve;
  }

  private static NDArray mlpLoss(NDManager m, WindowMlp mlp, MajorityTask.Batch b) {
    return Losses.crossEntropy(mlp.forward(b.input(m)), b.targets(m), -100, 0f);
  }

  private static NDArray lstmLoss(NDManager m, SequenceModel lstm, MajorityTask.Batch b) {
    return Losses.crossEntropy(lstm.lastStep(b.input(m), b.lengths()), b.targets(m), -100, 0f);
  }

  private static Accuracy accuracy(
      NDManager manager, ExperimentRun run, Settings s, WindowMlp mlp, SequenceModel lstm) {
    int[][] bins = s.bins();
    double[] no = new double[bins.length];
    double[] mlpAccuracy = new double[bins.length];
    double[] lstmAccuracy = new double[bins.length];
    for (int i = 0; i < bins.length; i++) {
      int from = bins[i][0];
      int to = bins[i][1];
      boolean fits = to <= mlp.window();
      SplittableRandom data = new SplittableRandom(Seeds.mix(run.seed(), 1000 + i));
      long noRight = 0;
      long mlpRight = 0;
      long lstmRight = 0;
      for (int done = 0; done < s.testPerBin(); done += TEST_BATCH) {
        int n = Math.min(TEST_BATCH, s.testPerBin() - done);
        MajorityTask.Batch b = MajorityTask.sample(data, n, from, to, Math.max(to, mlp.window()));
        for (long label : b.labels()) {
          noRight += label == 0 ? 1 : 0;
        }
        lstmRight +=
            Steps.scoped(manager, m -> correct(lstm.lastStep(b.input(m), b.lengths()), b, m));
        if (fits) {
          mlpRight += Steps.scoped(manager, m -> correct(mlp.forward(b.input(m)), b, m));
        }
      }
      no[i] = (double) noRight / s.testPerBin();
      mlpAccuracy[i] = fits ? (double) mlpRight / s.testPerBin() : Double.NaN;
      lstmAccuracy[i] = (double) lstmRight / s.testPerBin();
    }
    return new Accuracy(bins, no, mlpAccuracy, lstmAccuracy);
  }

  private static final int TEST_BATCH = 250;

  private static long correct(NDArray logits, MajorityTask.Batch b, NDManager m) {
    return logits.argMax(1).eq(b.targets(m)).sum().getLong();
  }
}
