package org.seq4j.cli.experiment;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.seq4j.cli.lm.LmCorpus;
import org.seq4j.engine.Seq4jEngine;

/** The character-model half of the conv-vs-recurrent report: its text, table and plot. */
final class ConvVsRecurrentReport {
  private final Report report;
  private final ConvVsRecurrent.Settings s;
  private final ExperimentRun run;
  private final LmCorpus corpus;

  ConvVsRecurrentReport(
      Report report, ConvVsRecurrent.Settings s, ExperimentRun run, LmCorpus corpus) {
    this.report = report;
    this.s = s;
    this.run = run;
    this.corpus = corpus;
  }

  void write(List<ConvVsRecurrent.Trained> models) throws IOException {
    double uniform = Math.log(corpus.vocabulary().size() - 1) / Math.log(2);
    // The level every model reached: the worst of the best.
    double common = models.stream().mapToDouble(m -> m.best()[2]).max().orElse(Double.NaN);
    report.heading("Character-level language modelling on fortunes");
    report.paragraph(
        String.format(
            Locale.ROOT,
            "The fortunes text%s, split as `seq4j lm train` splits it: every %dth quote held out,"
                + " %,d training and %,d validation characters, %d distinct characters (a uniform"
                + " guess scores %.2f bits/char). Each model is an embedding, one network and a"
                + " linear layer to the next character's logits, of equal parameter counts: the"
                + " LSTM's size is set, the GRU's units and the TCN's channels (then its"
                + " embedding, a finer step) are searched for the count nearest it. No dropout"
                + " anywhere.",
            s.textLimit() > 0
                ? String.format(Locale.ROOT, " (its first %,d characters)", s.textLimit())
                : "",
            LmCorpus.HOLD_OUT_EVERY,
            corpus.train().length,
            corpus.validation().length,
            corpus.vocabulary().size() - 1,
            uniform));
    report.paragraph(
        String.format(
            Locale.ROOT,
            "Every model trains for the same %,d steps on the same batches: %d parallel streams of"
                + " the training text, %d characters scored per stream and step (%,d characters"
                + " in all). The recurrent models carry their state from one chunk to the next"
                + " (truncated back-propagation over %d steps); the TCN, which has no state, reads"
                + " the characters before each chunk again, as many as its receptive field needs,"
                + " so every scored character is predicted from its whole field. Adam, learning"
                + " rate %.0e after %d warm-up steps then cosine to a twentieth, gradients clipped"
                + " at global norm %s, seed %d. A fixed number of steps, not a fixed time, so that"
                + " every model sees the same characters and a rerun gives the same numbers on a"
                + " busy machine; the times below are the training time each model took,"
                + " validation excluded, on %d libtorch thread(s).",
            s.steps(),
            s.batch(),
            s.seqLen(),
            (long) s.steps() * s.batch() * s.seqLen(),
            s.seqLen(),
            s.lr(),
            s.warmup(),
            s.clip(),
            run.seed(),
            Seq4jEngine.threads()));
    report.paragraph(
        String.format(
            Locale.ROOT,
            "Validation scores every held-out character %d times over training, in %d-character"
                + " chunks the same way (state carried, or the field read again); the table keeps"
                + " each model's best. Generation draws %d characters one at a time at batch 1"
                + " from the softmax at temperature 1: the recurrent models run one step with the"
                + " state carried; the TCN recomputes its whole receptive field for every"
                + " character (no cache of the layers' past activations).",
            s.validations(),
            s.seqLen(),
            s.sampleLength()));
    Table table =
        new Table(
            "model",
            "network",
            "parameters",
            "best validation bits/char",
            "at step",
            "training time to best",
            String.format(Locale.ROOT, "time to %.3f bits/char", common),
            "training time, all steps",
            "generation chars/s");
    for (ConvVsRecurrent.Trained m : models) {
      double[] best = m.best();
      table.row(
          m.label(),
          m.shape(),
          String.format(Locale.ROOT, "%,d", m.parameters()),
          String.format(Locale.ROOT, "%.3f", best[2]),
          String.format(Locale.ROOT, "%.0f", best[0]),
          duration(best[1]),
          duration(m.secondsTo(common)),
          duration(m.trainSeconds()),
          String.format(Locale.ROOT, "%,.0f", m.charsPerSecond()));
    }
    report.table("Character models of equal size on fortunes", table);
    LinePlot plot =
        new LinePlot(
            "Validation bits/char against training time",
            "training time (s, validation excluded)",
            "validation bits/char");
    for (ConvVsRecurrent.Trained m : models) {
      plot.series(
          m.label(),
          m.curve().stream().mapToDouble(p -> p[1]).toArray(),
          m.curve().stream().mapToDouble(p -> p[2]).toArray());
    }
    report.plot("char-lm-curve.png", "validation bits/char against training time", plot);
    ConvVsRecurrent.Trained best =
        models.stream().min(Comparator.comparingDouble(m -> m.best()[2])).orElseThrow();
    ConvVsRecurrent.Trained fastest =
        models.stream().max(Comparator.comparingDouble(m -> m.charsPerSecond())).orElseThrow();
    report.paragraph(
        String.format(
            Locale.ROOT,
            "In this run the %s reached the lowest validation bits/char (%.3f) and the %s"
                + " generated fastest (%,.0f characters/s).",
            best.label(),
            best.best()[2],
            fastest.label(),
            fastest.charsPerSecond()));
    report.heading("Beside the published results");
    report.paragraph(
        "Bai, Kolter and Koltun (2018), \"An Empirical Evaluation of Generic Convolutional and"
            + " Recurrent Networks for Sequence Modeling\", Table 1, report these bits/char on"
            + " other corpora, with their own tuning of each model on a GPU:");
    report.table(
        "Bai et al. (2018), Table 1 (bits/char, lower is better)",
        new Table("task", "model size", "LSTM", "GRU", "TCN")
            .row("Char-level Penn Treebank", "about 3M", "1.36", "1.37", "1.31")
            .row("Char-level text8", "about 5M", "1.50", "1.53", "1.45"));
    long ours = models.stream().mapToLong(ConvVsRecurrent.Trained::parameters).max().orElse(1);
    report.paragraph(
        String.format(
            Locale.ROOT,
            "Those are their figures on other corpora (Penn Treebank's news text, Wikipedia's"
                + " text8), with models %.0f to %.0f times the size of ours (%,d parameters),"
                + " dropout, and training to convergence on a GPU; ours are small models on quotes"
                + " given minutes of CPU. Their character-level script, like ours, reads history"
                + " that it does not score (80 characters before the 320 it scores). Compare the"
                + " ordering and the gaps, not the digits.",
            3e6 / ours,
            5e6 / ours,
            ours));
    report.heading("Samples");
    for (ConvVsRecurrent.Trained m : models) {
      String text = m.sample().replace("```", "'''");
      report.paragraph(m.label() + ":\n\n```text\n" + text.strip() + "\n```");
    }
  }

  /** Seconds as "42 s" or "3 min 05 s"; "not reached" for NaN. */
  static String duration(double seconds) {
    if (Double.isNaN(seconds)) {
      return "not reached";
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
  }
}
