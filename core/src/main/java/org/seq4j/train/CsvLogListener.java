package org.seq4j.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Logs every step to {@code train.csv} and every validation to {@code valid.csv}. A resumed run
 * appends to the files it finds, after dropping their rows past the step it resumes from (those of
 * a run that stopped after its last checkpoint, which the resumed run computes again).
 */
public final class CsvLogListener implements TrainListener {
  static final String TRAIN_HEADER = "step,epoch,loss,lr,grad_norm,tokens,tokens_per_s,elapsed_s";

  private final Path trainFile;
  private final Path validFile;
  private BufferedWriter train;
  private BufferedWriter valid;
  private List<String> validColumns;

  /** Writes {@code train.csv} and {@code valid.csv} into {@code dir}. */
  public CsvLogListener(Path dir) {
    this.trainFile = dir.resolve("train.csv");
    this.validFile = dir.resolve("valid.csv");
  }

  @Override
  public void onStart(long step, long totalSteps) {
    try {
      Files.createDirectories(trainFile.getParent());
      keepRowsUpTo(trainFile, step);
      keepRowsUpTo(validFile, step);
      train = open(trainFile, TRAIN_HEADER);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + trainFile, ex);
    }
  }

  @Override
  public void onStep(StepStats s) {
    write(
        train,
        String.format(
            Locale.ROOT,
            "%d,%d,%.6g,%.6g,%.6g,%d,%.1f,%.3f",
            s.step(),
            s.epoch(),
            s.loss(),
            s.learningRate(),
            s.gradNorm(),
            s.tokens(),
            s.tokensPerSecond(),
            s.elapsedSeconds()));
  }

  @Override
  public void onValidation(long step, Map<String, Double> metrics) {
    try {
      if (valid == null) {
        validColumns = new ArrayList<>(metrics.keySet());
        valid = open(validFile, "step," + String.join(",", validColumns));
      }
      StringBuilder line = new StringBuilder().append(step);
      for (String c : validColumns) {
        Double v = metrics.get(c);
        line.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.6g", v));
      }
      write(valid, line.toString());
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + validFile, ex);
    }
  }

  @Override
  public void onEnd(TrainLoop.Summary summary) {
    try {
      if (train != null) {
        train.close();
      }
      if (valid != null) {
        valid.close();
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      train = null;
      valid = null;
    }
  }

  /**
   * The rows of a log written by this class whose step (first column) is at most {@code step}:
   * {@code [step, value of column]} pairs in step order, for {@code column} named in the header; of
   * rows with the same step (a log of a resumed run written before such rows were dropped), the
   * last. Empty when the file or the column is missing.
   */
  static List<double[]> rowsUpTo(Path file, long step, String column) throws IOException {
    TreeMap<Long, double[]> rows = new TreeMap<>();
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int index = lines.isEmpty() ? -1 : List.of(lines.get(0).split(",")).indexOf(column);
    if (index < 0) {
      return List.of();
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(",");
      Long rowStep = stepOf(line);
      if (rowStep != null && rowStep <= step && index < fields.length) {
        try {
          rows.put(rowStep, new double[] {rowStep, Double.parseDouble(fields[index])});
        } catch (NumberFormatException ex) {
          // a cell left empty (a metric this validation did not report)
        }
      }
    }
    return new ArrayList<>(rows.values());
  }

  /** Rewrites {@code file} (atomically) without its rows past {@code step}; keeps the header. */
  private static void keepRowsUpTo(Path file, long step) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Long rowStep = i == 0 ? null : stepOf(lines.get(i));
      if (i == 0 || (rowStep != null && rowStep <= step)) {
        kept.add(lines.get(i));
      }
    }
    if (kept.size() == lines.size()) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, kept, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Long stepOf(String row) {
    int comma = row.indexOf(',');
    try {
      return Long.parseLong(comma < 0 ? row : row.substring(0, comma));
    } catch (NumberFormatException ex) {
      return null;
    }
  }

  private static BufferedWriter open(Path file, String header) throws IOException {
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    BufferedWriter w =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (fresh) {
      w.write(header);
      w.newLine();
    }
    return w;
  }

  private static void write(BufferedWriter w, String line) {
    if (w == null) {
      return;
    }
    try {
      w.write(line);
      w.newLine();
      w.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
