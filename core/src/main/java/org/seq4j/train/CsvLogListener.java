package org.seq4j.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Logs every step to {@code train.csv} and every validation to {@code valid.csv}. A resumed run
 * appends to the files it finds.
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
