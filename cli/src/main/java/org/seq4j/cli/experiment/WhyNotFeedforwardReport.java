package org.seq4j.cli.experiment;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/** The tables, plots and text of {@link WhyNotFeedforward}. */
final class WhyNotFeedforwardReport {
  private final Report report;
  private final WhyNotFeedforward.Settings s;
  private final ExperimentRun run;
  private final long mlpSize;
  private final long lstmSize;

  WhyNotFeedforwardReport(
      Report report, WhyNotFeedforward.Settings s, ExperimentRun run, long mlpSize, long lstmSize) {
    this.report = report;
    this.s = s;
    this.run = run;
    this.mlpSize = mlpSize;
    this.lstmSize = lstmSize;
  }

  void write(
      WhyNotFeedforward.Sizes sizes,
      WhyNotFeedforward.Accuracy accuracy,
      double[] mlpCurve,
      double[] lstmCurve)
      throws IOException {
    report.paragraph(
        String.format(
            Locale.ROOT,
            "`seq4j experiment why-not-feedforward%s --seed %d`. Both models are trained on"
                + " sequences of %d to %d bits, %d steps of Adam (learning rate %s, batches of %d,"
                + " gradients clipped at norm 1, the same batches for both), then tested on"
                + " %,d fresh sequences per length range, inside and beyond the training"
                + " lengths.",
            run.quick() ? " --quick" : "",
            run.seed(),
            s.minLength(),
            s.maxLength(),
            s.steps(),
            s.lr(),
            s.batch(),
            s.testPerBin()));
    task();
    sizes(sizes);
    lengths(accuracy);
    training(mlpCurve, lstmCurve);
  }

  private void task() {
    report.heading("The task and the models");
    report.paragraph(
        "**Majority.** Each sequence is fair random bits of a random length; the answer is"
            + " whether it holds more 1s than 0s (a tie is \"no\", so \"no\" is slightly the"
            + " commoner answer). Every bit can change the answer, however long the sequence.");
    report.paragraph(
        "Why majority rather than parity: an LSTM solves majority with one cell that adds a"
            + " constant for each 1 and subtracts it for each 0 (its cell state is additive, so"
            + " the count does not fade), and gradient descent finds that cell step by step,"
            + " since any partial count already predicts the answer better than chance. Parity"
            + " gives no such partial credit (the parity of any proper subset of the bits is"
            + " independent of the answer), so gradient descent gets no signal until it has nearly"
            + " the whole solution: the classic hard case for recurrent networks, learned"
            + " unreliably at lengths like 200; a count modulo k > 2 is its cousin."
            + " A task the recurrent network learns reliably shows what the experiment is about:"
            + " size and reach, not luck.");
    report.paragraph(
        String.format(
            Locale.ROOT,
            "**The MLP** reads a window of %d steps, the longest training sequence: each step"
                + " one-hot (two inputs), zero-padded past the sequence's end, flattened, one"
                + " tanh layer of %d units, two logits; %,d parameters. Inside its window it can"
                + " represent majority exactly (one unit weighting every 1 by +1 and every 0 by"
                + " −1), so it is not short of capacity there. **The LSTM** reads the same one-hot"
                + " steps, one at a time, with %d units and a linear read-out of its last state;"
                + " %,d parameters. It runs on each sequence's own length (seq4j's exact"
                + " variable-length LSTM), so padding never enters it.",
            s.maxLength(),
            s.mlpHidden(),
            mlpSize,
            s.lstmHidden(),
            lstmSize));
  }

  private void sizes(WhyNotFeedforward.Sizes sizes) throws IOException {
    report.heading("Parameters against the longest sequence");
    Table t = new Table("longest sequence", "MLP parameters", "LSTM parameters");
    for (int i = 0; i < sizes.lengths().length; i++) {
      t.row(
          String.valueOf(sizes.lengths()[i]),
          String.format(Locale.ROOT, "%,d", sizes.mlp()[i]),
          String.format(Locale.ROOT, "%,d", sizes.lstm()[i]));
    }
    report.table("parameters against the longest sequence the model must read", t);
    int last = sizes.lengths().length - 1;
    report.paragraph(
        String.format(
            Locale.ROOT,
            "The MLP's first layer holds two weights (one per input) per step of its window and"
                + " hidden unit, so it grows linearly with the window (%,d parameters for %d steps, %,d for %d), and every"
                + " weight of a late position is trained only by the sequences that reach it. The"
                + " LSTM shares one set of weights across time: %,d parameters for any length.",
            sizes.mlp()[0],
            sizes.lengths()[0],
            sizes.mlp()[last],
            sizes.lengths()[last],
            sizes.lstm()[0]));
    double[] x = Arrays.stream(sizes.lengths()).asDoubleStream().toArray();
    report.plot(
        "parameters.png",
        "parameters against the longest sequence",
        new LinePlot("Parameters against the longest sequence", "longest sequence", "parameters")
            .logX()
            .logY()
            .series("MLP (window = longest sequence)", x, toDouble(sizes.mlp()))
            .series("LSTM", x, toDouble(sizes.lstm())));
  }

  private void lengths(WhyNotFeedforward.Accuracy a) throws IOException {
    report.heading("Lengths beyond training");
    Table t = new Table("test lengths", "always \"no\"", "MLP", "LSTM");
    int[][] bins = a.bins();
    double[] mid = new double[bins.length];
    double inLstm = 0;
    int in = 0;
    for (int i = 0; i < bins.length; i++) {
      mid[i] = (bins[i][0] + bins[i][1]) / 2.0;
      boolean trained = bins[i][1] <= s.maxLength();
      t.row(
          bins[i][0] + "–" + bins[i][1] + (trained ? "" : " (longer than training)"),
          percent(a.no()[i]),
          Double.isNaN(a.mlp()[i]) ? "cannot read" : percent(a.mlp()[i]),
          percent(a.lstm()[i]));
      if (trained) {
        inLstm += a.lstm()[i];
        in++;
      }
    }
    report.table("accuracy by test length", t);
    report.paragraph(
        String.format(
            Locale.ROOT,
            "The MLP's input is exactly %d steps wide: a longer sequence has nowhere to go."
                + " Truncating it or sliding the window would answer a different question (the"
                + " majority of a part), and a wider window is a new, untrained model. The LSTM"
                + " reads any length with the same weights: %s on average over the training"
                + " lengths, and %s on %d–%d, the range just beyond them. Where its accuracy"
                + " falls on longer sequences, the near ties are the likely cause: a count that"
                + " drifts a little at every step decides them wrongly once the sequence is long"
                + " enough.",
            s.maxLength(),
            percent(inLstm / Math.max(1, in)),
            percent(in < bins.length ? a.lstm()[in] : Double.NaN),
            in < bins.length ? bins[in][0] : 0,
            in < bins.length ? bins[in][1] : 0));
    report.plot(
        "accuracy.png",
        "accuracy against the test length",
        new LinePlot(
                "Accuracy against the test length", "sequence length (middle of range)", "accuracy")
            .series("always \"no\"", mid, a.no())
            .series("MLP (window " + s.maxLength() + ")", mid, a.mlp())
            .series("LSTM", mid, a.lstm()));
  }

  private void training(double[] mlpCurve, double[] lstmCurve) throws IOException {
    report.heading("Training");
    double[] steps = new double[mlpCurve.length];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = (i + 1) * 10.0;
    }
    report.plot(
        "training.png",
        "training loss",
        new LinePlot("Training loss (mean of every 10 steps)", "step", "cross-entropy (nats)")
            .noMarkers()
            .series("MLP", steps, mlpCurve)
            .series("LSTM", steps, lstmCurve));
  }

  private static double[] toDouble(long[] values) {
    return Arrays.stream(values).asDoubleStream().toArray();
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }
}
