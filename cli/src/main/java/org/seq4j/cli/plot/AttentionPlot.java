package org.seq4j.cli.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * An attention heatmap: one cell per (target piece, source piece), the source pieces along the top
 * (x, rotated labels), the target pieces down the left side (y), the weight as a viridis colour
 * from 0 (dark blue) to 1 (yellow), with a colour bar. Drawn with Java2D.
 */
public final class AttentionPlot {
  /** The largest image side in pixels; cells shrink to fit. */
  static final int MAX_SIDE = 4000;

  private AttentionPlot() {}

  /**
   * Writes the heatmap of {@code weights} ({@code [targets][sources]}, each in [0, 1]) as a PNG.
   *
   * @param sources the labels of the columns
   * @param targets the labels of the rows
   * @param title a line above the plot
   * @throws IllegalArgumentException if the shapes do not match the labels
   */
  public static void write(
      Path png, float[][] weights, List<String> sources, List<String> targets, String title)
      throws IOException {
    if (weights.length != targets.size() || weights.length == 0) {
      throw new IllegalArgumentException(
          "attention rows " + weights.length + " for " + targets.size() + " target labels");
    }
    for (float[] row : weights) {
      if (row.length != sources.size()) {
        throw new IllegalArgumentException(
            "attention row of " + row.length + " for " + sources.size() + " source labels");
      }
    }
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    FontMetrics fm = pg.getFontMetrics(font);
    int sourceLabel = widest(fm, sources);
    int targetLabel = widest(fm, targets);
    int titleWidth = pg.getFontMetrics(font.deriveFont(Font.BOLD, 14f)).stringWidth(title);
    pg.dispose();
    int cols = sources.size();
    int rows = targets.size();
    int margin = 16;
    int titleHeight = 28;
    int barWidth = 70;
    int cell =
        Math.max(
            4,
            Math.min(
                36,
                Math.min(
                    (MAX_SIDE - targetLabel - barWidth - 3 * margin) / cols,
                    (MAX_SIDE - sourceLabel - titleHeight - 3 * margin) / rows)));
    boolean labels = cell >= 12;
    int left = margin + (labels ? targetLabel + 8 : 0);
    int top = titleHeight + margin + (labels ? sourceLabel + 8 : 0);
    int width =
        Math.max(Math.max(400, 2 * margin + titleWidth), left + cols * cell + margin + barWidth);
    int height = Math.max(200, top + rows * cell + margin);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setFont(font.deriveFont(Font.BOLD, 14f));
      g.setColor(Color.BLACK);
      g.drawString(title, margin, margin + 10);
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          g.setColor(new Color(Viridis.rgb(weights[r][c])));
          g.fillRect(left + c * cell, top + r * cell, cell, cell);
        }
      }
      g.setFont(font);
      g.setColor(Color.BLACK);
      if (labels) {
        FontMetrics m = g.getFontMetrics();
        for (int r = 0; r < rows; r++) {
          String s = targets.get(r);
          g.drawString(
              s,
              left - 6 - m.stringWidth(s),
              top + r * cell + (cell + m.getAscent() - m.getDescent()) / 2);
        }
        AffineTransform saved = g.getTransform();
        for (int c = 0; c < cols; c++) {
          int x = left + c * cell + (cell + m.getAscent() - m.getDescent()) / 2;
          g.setTransform(saved);
          g.translate(x, top - 6);
          g.rotate(-Math.PI / 2);
          g.drawString(sources.get(c), 0, 0);
        }
        g.setTransform(saved);
      }
      // The colour bar, 0 at the bottom, 1 at the top.
      int barX = left + cols * cell + margin;
      int barH = Math.max(60, rows * cell);
      for (int y = 0; y < barH; y++) {
        g.setColor(new Color(Viridis.rgb(1 - y / (double) (barH - 1))));
        g.fillRect(barX, top + y, 14, 1);
      }
      g.setColor(Color.BLACK);
      g.drawString("1", barX + 18, top + 10);
      g.drawString("0", barX + 18, top + barH);
    } finally {
      g.dispose();
    }
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    if (!ImageIO.write(image, "png", tmp.toFile())) {
      throw new IOException("no PNG writer available");
    }
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static int widest(FontMetrics fm, List<String> labels) {
    int w = 0;
    for (String s : labels) {
      w = Math.max(w, fm.stringWidth(s));
    }
    return Math.min(w, 300);
  }
}
