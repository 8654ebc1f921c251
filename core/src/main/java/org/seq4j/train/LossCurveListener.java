package org.seq4j.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws the training loss (raw and smoothed) and the validation loss against the step into a PNG,
 * rewritten at every validation and at the end of the run. A failure to draw (no fonts on a bare
 * machine, say) is logged once and never stops training. With {@link #withHistory}, a resumed run
 * draws the whole run: the steps before it from the {@link CsvLogListener} logs.
 */
public final class LossCurveListener implements TrainListener {
  private static final Logger LOG = LoggerFactory.getLogger(LossCurveListener.class);
  private static final double SMOOTHING = 0.98;

  private final Path file;
  private final String title;
  private final List<Double> steps = new ArrayList<>();
  private final List<Double> losses = new ArrayList<>();
  private final List<Double> smoothed = new ArrayList<>();
  private final List<Double> validSteps = new ArrayList<>();
  private final List<Double> validLosses = new ArrayList<>();
  private double ema;
  private int emaCount;
  private boolean failed;
  private Path historyDir;

  /** Writes the curve to {@code file}, with {@code title} above it. */
  public LossCurveListener(Path file, String title) {
    this.file = file;
    this.title = title;
  }

  /**
   * On a resumed run, first draw the steps before it from {@code train.csv} and {@code valid.csv}
   * in {@code dir} (as {@link CsvLogListener} writes them); missing files draw nothing.
   */
  public LossCurveListener withHistory(Path dir) {
    this.historyDir = dir;
    return this;
  }

  /**
   * The curve of a finished (or running) run from its logs in {@code dir} ({@code train.csv}, and
   * {@code valid.csv} if present), ready for {@link #write}.
   *
   * @throws IOException when {@code train.csv} is missing or cannot be read
   */
  public static LossCurveListener fromLogs(Path dir, Path file, String title) throws IOException {
    Path train = dir.resolve("train.csv");
    if (!Files.isRegularFile(train)) {
      throw new IOException(train + ": no such file (a run directory of a seq4j train command)");
    }
    LossCurveListener curve = new LossCurveListener(file, title).withHistory(dir);
    curve.onStart(Long.MAX_VALUE, 0);
    if (curve.steps.isEmpty()) {
      throw new IOException(train + ": no training steps logged");
    }
    return curve;
  }

  @Override
  public void onStart(long step, long totalSteps) {
    if (historyDir == null || step == 0) {
      return;
    }
    try {
      for (double[] row : CsvLogListener.rowsUpTo(historyDir.resolve("train.csv"), step, "loss")) {
        addTrainLoss(row[0], row[1]);
      }
      for (double[] row : CsvLogListener.rowsUpTo(historyDir.resolve("valid.csv"), step, "loss")) {
        validSteps.add(row[0]);
        validLosses.add(row[1]);
      }
    } catch (IOException ex) {
      LOG.warn("could not read the earlier steps of {}: {}", historyDir, ex.toString());
    }
  }

  @Override
  public void onStep(StepStats s) {
    addTrainLoss(s.step(), s.loss());
  }

  private void addTrainLoss(double step, double loss) {
    steps.add(step);
    losses.add(loss);
    // Bias-corrected exponential moving average (Kingma & Ba 2015, Sec. 3), as TensorBoard draws.
    emaCount++;
    ema = SMOOTHING * ema + (1 - SMOOTHING) * loss;
    smoothed.add(ema / (1 - Math.pow(SMOOTHING, emaCount)));
  }

  @Override
  public void onValidation(long step, Map<String, Double> metrics) {
    Double loss = metrics.get("loss");
    if (loss != null) {
      validSteps.add((double) step);
      validLosses.add(loss);
    }
    write();
  }

  @Override
  public void onEnd(TrainLoop.Summary summary) {
    write();
  }

  /** The training losses drawn so far. */
  public int trainPoints() {
    return steps.size();
  }

  /** The validation losses drawn so far. */
  public int validationPoints() {
    return validSteps.size();
  }

  /** Renders the chart now; false if there is nothing to draw or drawing failed (logged). */
  public boolean write() {
    if (steps.isEmpty() || failed) {
      return false;
    }
    try {
      System.setProperty("java.awt.headless", "true");
      XYChart chart =
          new XYChartBuilder()
              .width(900)
              .height(500)
              .title(title)
              .xAxisTitle("step")
              .yAxisTitle("loss")
              .build();
      chart.getStyler().setChartBackgroundColor(Color.WHITE);
      chart.getStyler().setMarkerSize(5);
      chart.getStyler().setXAxisMin(0.0);
      chart.getStyler().setXAxisDecimalPattern("#,###");
      XYSeries raw = chart.addSeries("train", steps, losses);
      raw.setMarker(SeriesMarkers.NONE);
      raw.setLineColor(new Color(31, 119, 180, 70));
      XYSeries smooth = chart.addSeries("train (smoothed)", steps, smoothed);
      smooth.setMarker(SeriesMarkers.NONE);
      smooth.setLineColor(new Color(31, 119, 180));
      smooth.setLineStyle(new BasicStroke(2f));
      if (!validSteps.isEmpty()) {
        XYSeries valid = chart.addSeries("validation", validSteps, validLosses);
        valid.setMarker(SeriesMarkers.CIRCLE);
        valid.setLineColor(new Color(214, 39, 40));
        valid.setMarkerColor(new Color(214, 39, 40));
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      String base = file.toString().replaceFirst("(?i)\\.png$", "");
      BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
      return true;
    } catch (IOException | RuntimeException | Error ex) {
      failed = true;
      LOG.warn("could not draw the loss curve {}: {}", file, ex.toString());
      return false;
    }
  }
}
