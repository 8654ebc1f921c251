package org.seq4j.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.seq4j.audio.AudioClip;
import org.seq4j.audio.Fft;
import org.seq4j.audio.Spectrogram;

/**
 * One picture of a clip: its waveform (amplitude against seconds) above its spectrogram (STFT
 * magnitude in dB, Hann window, time against frequency). Both panels are XChart charts; the
 * spectrogram's pixels are painted into the second chart's plot area.
 */
public final class WavePlot {
  /** The share of the height the waveform takes. */
  private static final double WAVEFORM_SHARE = 0.4;

  /** At most this many STFT frames per pixel column by default; longer clips get a larger hop. */
  private static final int FRAMES_PER_COLUMN = 4;

  private WavePlot() {}

  /**
   * How to draw.
   *
   * @param width image width in pixels
   * @param height image height in pixels
   * @param fftSize STFT frame length, a power of two
   * @param hop samples between STFT frames
   * @param rangeDb the colour scale spans this many dB below the loudest bin
   */
  public record Settings(int width, int height, int fftSize, int hop, double rangeDb) {
    public Settings {
      if (width < 200 || height < 200) {
        throw new IllegalArgumentException(
            "the image must be at least 200 x 200 pixels, got " + width + " x " + height);
      }
      if (fftSize < 16 || (fftSize & (fftSize - 1)) != 0) {
        throw new IllegalArgumentException(
            "the FFT size must be a power of two of at least 16, got " + fftSize);
      }
      if (hop <= 0) {
        throw new IllegalArgumentException("the hop must be positive, got " + hop);
      }
      if (!(rangeDb > 0)) {
        throw new IllegalArgumentException("the dB range must be positive, got " + rangeDb);
      }
    }

    /**
     * The defaults for {@code clip}: a frame of about 32 ms (the power of two at least {@code 0.032
     * · rate}: 256 at 8 kHz, 512 at 16 kHz), a hop of a quarter frame, or larger for a long clip so
     * that there are at most 4 frames per pixel column.
     */
    public static Settings defaults(AudioClip clip, int width, int height) {
      int fft = defaultFftSize(clip.sampleRate());
      return new Settings(width, height, fft, defaultHop(clip, fft, width), 80);
    }

    /** The default frame length at {@code sampleRate}. */
    public static int defaultFftSize(int sampleRate) {
      return Math.max(16, Fft.ceilPowerOfTwo((int) Math.round(0.032 * sampleRate)));
    }

    /** The default hop for {@code clip} and frame length {@code fft}. */
    public static int defaultHop(AudioClip clip, int fft, int width) {
      int columnsHop = (int) Math.ceil(clip.length() / (double) (FRAMES_PER_COLUMN * width));
      return Math.max(fft / 4, columnsHop);
    }
  }

  /**
   * Draws {@code clip}.
   *
   * @param title the waveform's title (the file name, usually)
   * @throws IllegalArgumentException if the clip is empty
   */
  public static BufferedImage render(AudioClip clip, String title, Settings s) {
    if (clip.length() == 0) {
      throw new IllegalArgumentException("the clip has no samples to plot");
    }
    int waveHeight = (int) Math.round(s.height() * WAVEFORM_SHARE);
    int spectrumHeight = s.height() - waveHeight;
    Spectrogram spec = Spectrogram.of(clip, s.fftSize(), s.hop());
    // The panels' y-axis labels differ in width; widen the narrower axis until the time axes line
    // up (XChart lays out while drawing, so each try draws both).
    int waveHint = 0;
    int spectrumHint = 0;
    XYChart waveChart = null;
    XYChart spectrumChart = null;
    BufferedImage wave = null;
    BufferedImage spectrum = null;
    for (int attempt = 0; attempt < 4; attempt++) {
      waveChart = waveformChart(clip, title, s.width(), waveHeight, waveHint);
      spectrumChart = spectrogramChart(clip, spec, s, spectrumHeight, spectrumHint);
      wave = BitmapEncoder.getBufferedImage(waveChart);
      spectrum = BitmapEncoder.getBufferedImage(spectrumChart);
      long shift =
          Math.round(spectrumChart.getScreenXFromChart(0) - waveChart.getScreenXFromChart(0));
      if (shift == 0) {
        break;
      }
      if (shift > 0) {
        waveHint = (int) Math.max(waveHint, waveChart.getYAxisLeftWidth()) + (int) shift;
      } else {
        spectrumHint =
            (int) Math.max(spectrumHint, spectrumChart.getYAxisLeftWidth()) - (int) shift;
      }
    }
    paintCells(spectrum, spectrumChart, clip, spec, s);
    BufferedImage out = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(wave, 0, 0, null);
      g.drawImage(spectrum, 0, waveHeight, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static XYChart waveformChart(
      AudioClip clip, String title, int width, int height, int yAxisWidth) {
    double seconds = clip.seconds();
    XYChart chart =
        new XYChartBuilder()
            .width(width)
            .height(height)
            .title(title)
            .xAxisTitle("time (s)")
            .yAxisTitle("amplitude")
            .build();
    style(chart, seconds, yAxisWidth);
    chart.getStyler().setYAxisMin(-1.0);
    chart.getStyler().setYAxisMax(1.0);
    double[][] points = envelope(clip, width);
    XYSeries series = chart.addSeries("waveform", points[0], points[1]);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(new Color(31, 119, 180));
    series.setLineStyle(new BasicStroke(0.8f));
    return chart;
  }

  /**
   * The points to draw: every sample when there are few, else the minimum and maximum of each of
   * {@code columns} stretches, alternately, so that the line fills the envelope.
   */
  static double[][] envelope(AudioClip clip, int columns) {
    int n = clip.length();
    double rate = clip.sampleRate();
    if (n <= 2 * columns) {
      // The first sample twice, so that the times are not equally spaced: XChart would put the
      // time ticks at equally spaced data values instead of at round values.
      double[] t = new double[n + 1];
      double[] y = new double[n + 1];
      for (int i = 0; i <= n; i++) {
        t[i] = Math.max(0, i - 1) / rate;
        y[i] = clip.sample(Math.max(0, i - 1));
      }
      return new double[][] {t, y};
    }
    double[] t = new double[2 * columns];
    double[] y = new double[2 * columns];
    for (int c = 0; c < columns; c++) {
      int from = (int) ((long) c * n / columns);
      int to = (int) ((long) (c + 1) * n / columns);
      float min = clip.sample(from);
      float max = min;
      for (int i = from + 1; i < to; i++) {
        min = Math.min(min, clip.sample(i));
        max = Math.max(max, clip.sample(i));
      }
      double mid = (from + to) / 2.0 / rate;
      t[2 * c] = mid;
      t[2 * c + 1] = mid;
      y[2 * c] = c % 2 == 0 ? min : max;
      y[2 * c + 1] = c % 2 == 0 ? max : min;
    }
    return new double[][] {t, y};
  }

  private static XYChart spectrogramChart(
      AudioClip clip, Spectrogram spec, Settings s, int height, int yAxisWidth) {
    double seconds = clip.seconds();
    double nyquist = clip.sampleRate() / 2.0;
    String title =
        String.format(
            Locale.ROOT,
            "spectrogram: %d-point Hann STFT, hop %d; dB re full scale, %.0f dB range"
                + " (dark %.0f dB, yellow %.0f dB)",
            s.fftSize(),
            s.hop(),
            s.rangeDb(),
            spec.maxDb() - s.rangeDb(),
            spec.maxDb());
    XYChart chart =
        new XYChartBuilder()
            .width(s.width())
            .height(height)
            .title(title)
            .xAxisTitle("time (s)")
            .yAxisTitle("frequency (Hz)")
            .build();
    style(chart, seconds, yAxisWidth);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(nyquist);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    // An invisible series spanning the axes: XChart draws no plot without one. Its values are not
    // equally spaced, or XChart would put the ticks at them instead of at round values.
    XYSeries frame =
        chart.addSeries(
            "extent",
            new double[] {0, seconds / 3, seconds},
            new double[] {0, nyquist / 3, nyquist});
    frame.setMarker(SeriesMarkers.NONE);
    frame.setLineColor(new Color(0, 0, 0, 0));
    return chart;
  }

  /** Paints the spectrogram's cells into the plot area of {@code chart}, drawn as {@code image}. */
  private static void paintCells(
      BufferedImage image, XYChart chart, AudioClip clip, Spectrogram spec, Settings s) {
    double seconds = clip.seconds();
    double nyquist = clip.sampleRate() / 2.0;

    // The plot area, as XChart laid it out while drawing.
    int left = (int) Math.round(chart.getScreenXFromChart(0));
    int right = (int) Math.round(chart.getScreenXFromChart(seconds));
    int top = (int) Math.round(chart.getScreenYFromChart(nyquist));
    int bottom = (int) Math.round(chart.getScreenYFromChart(0));
    if (right <= left || bottom <= top) {
      return;
    }
    BufferedImage cells = cells(spec, s.rangeDb());
    // Cell f spans its frame centre ± hop/2 in time, bin k its frequency ± half a bin.
    double halfHop = s.hop() / 2.0 / clip.sampleRate();
    double halfBin = spec.binHz(1) / 2;
    double t0 = spec.frameCenterSeconds(0) - halfHop;
    double t1 = spec.frameCenterSeconds(spec.frames() - 1) + halfHop;
    int x0 = (int) Math.round(chart.getScreenXFromChart(t0));
    int x1 = (int) Math.round(chart.getScreenXFromChart(t1));
    int y0 = (int) Math.round(chart.getScreenYFromChart(nyquist + halfBin));
    int y1 = (int) Math.round(chart.getScreenYFromChart(-halfBin));
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(new Color(Viridis.rgb(0)));
      g.fillRect(left, top, right - left, bottom - top);
      g.setClip(left, top, right - left, bottom - top);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(cells, x0, y0, x1, y1, 0, 0, cells.getWidth(), cells.getHeight(), null);
    } finally {
      g.dispose();
    }
  }

  /** One pixel per (frame, bin), low frequencies at the bottom. */
  private static BufferedImage cells(Spectrogram spec, double rangeDb) {
    int frames = spec.frames();
    int bins = spec.bins();
    double top = spec.maxDb();
    BufferedImage cells = new BufferedImage(frames, bins, BufferedImage.TYPE_INT_RGB);
    for (int f = 0; f < frames; f++) {
      for (int k = 0; k < bins; k++) {
        double v = (spec.db(f, k) - (top - rangeDb)) / rangeDb;
        cells.setRGB(f, bins - 1 - k, Viridis.rgb(v));
      }
    }
    return cells;
  }

  private static void style(XYChart chart, double seconds, int yAxisWidth) {
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(seconds);
    chart.getStyler().setPlotMargin(0);
    chart.getStyler().setPlotContentSize(1.0);
    chart.getStyler().setYAxisLeftWidthHint(yAxisWidth);
  }

  /** Writes {@code image} to {@code out} as a PNG, atomically (a temporary file, then a move). */
  public static void writePng(BufferedImage image, Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    if (!ImageIO.write(image, "png", tmp.toFile())) {
      throw new IOException("no PNG writer in this Java runtime");
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
