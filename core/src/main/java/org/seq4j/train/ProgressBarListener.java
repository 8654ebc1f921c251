package org.seq4j.train;

import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar (on standard error) with the loss, tokens per second and the ETA. When the
 * budget is in minutes only, the bar counts seconds of that budget instead of steps.
 */
public final class ProgressBarListener implements TrainListener {
  private final String task;
  private final double maxMinutes;
  private ProgressBar bar;
  private boolean timeBased;
  private String lastValidation = "";

  /**
   * @param task the name shown before the bar
   * @param maxMinutes the run's time budget, or 0
   */
  public ProgressBarListener(String task, double maxMinutes) {
    this.task = task;
    this.maxMinutes = maxMinutes;
  }

  @Override
  public void onStart(long step, long totalSteps) {
    timeBased = totalSteps <= 0 && maxMinutes > 0;
    long max = timeBased ? Math.round(maxMinutes * 60) : totalSteps;
    bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(timeBased ? " s" : " steps", 1)
            .setUpdateIntervalMillis(500)
            .setConsumer(new ConsoleProgressBarConsumer(System.err, 110))
            .startsFrom(timeBased ? 0 : step, java.time.Duration.ZERO)
            .build();
  }

  @Override
  public void onStep(StepStats s) {
    if (bar == null) {
      return;
    }
    bar.stepTo(timeBased ? Math.min(bar.getMax(), Math.round(s.elapsedSeconds())) : s.step());
    bar.setExtraMessage(
        String.format(
            Locale.ROOT,
            "loss %.4f | %s tok/s%s",
            s.loss(),
            human(s.tokensPerSecond()),
            lastValidation));
  }

  @Override
  public void onSkippedStep(long step, String reason) {
    if (bar != null && !timeBased) {
      bar.stepTo(step);
    }
    System.err.print("\r" + reason + System.lineSeparator());
    System.err.flush();
  }

  @Override
  public void onValidation(long step, Map<String, Double> metrics) {
    Double loss = metrics.get("loss");
    lastValidation = loss == null ? "" : String.format(Locale.ROOT, " | val %.4f", loss);
  }

  @Override
  public void onEnd(TrainLoop.Summary summary) {
    if (bar != null) {
      if (timeBased) {
        bar.stepTo(bar.getMax());
      }
      bar.close();
      bar = null;
    }
  }

  private static String human(double v) {
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }
    if (v >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
