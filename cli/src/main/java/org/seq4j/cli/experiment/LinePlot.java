package org.seq4j.cli.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A line chart of named series, written as a PNG with XChart. */
final class LinePlot {
  private final String title;
  private final String xTitle;
  private final String yTitle;
  private boolean logX;
  private boolean logY;
  private boolean markers = true;
  private String xPattern;
  private final List<Series> series = new ArrayList<>();

  private record Series(String name, double[] x, double[] y) {}

  LinePlot(String title, String xTitle, String yTitle) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
  }

  LinePlot logX() {
    logX = true;
    return this;
  }

  LinePlot logY() {
    logY = true;
    return this;
  }

  /** Whole numbers without grouping on the x axis, for years. */
  LinePlot plainIntegerX() {
    xPattern = "0";
    return this;
  }

  /** Lines only, for long series. */
  LinePlot noMarkers() {
    markers = false;
    return this;
  }

  /** Adds a series; points whose y is not finite (or not positive on a log axis) are dropped. */
  LinePlot series(String name, double[] x, double[] y) {
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(y[i]) && (!logY || y[i] > 0) && (!logX || x[i] > 0)) {
        kept.add(new double[] {x[i], y[i]});
      }
    }
    if (!kept.isEmpty()) {
      series.add(
          new Series(
              name,
              kept.stream().mapToDouble(p -> p[0]).toArray(),
              kept.stream().mapToDouble(p -> p[1]).toArray()));
    }
    return this;
  }

  /** Writes the chart to {@code file} (a {@code .png} name). */
  void write(Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(520)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setMarkerSize(6);
    if (xPattern != null) {
      chart.getStyler().setXAxisDecimalPattern(xPattern);
    }
    for (Series s : series) {
      XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
      xy.setLineStyle(new BasicStroke(2f));
      if (!markers) {
        xy.setMarker(SeriesMarkers.NONE);
      }
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    String base = file.toString().replaceFirst("(?i)\\.png$", "");
    BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
  }
}
