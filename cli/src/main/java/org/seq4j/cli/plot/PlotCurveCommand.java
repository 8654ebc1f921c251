package org.seq4j.cli.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seq4j.train.LossCurveListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seq4j plot curve RUN_DIR --png loss.png}: the loss curve of a training run's logs. */
@Command(
    name = "curve",
    mixinStandardHelpOptions = true,
    description = {
      "Draw the loss curve of a training run from its logs: the training loss of every step (raw"
          + " and smoothed) and the validation loss, against the step.",
      "RUN_DIR is the --out folder of `lm train`, `wavenet train` or `nmt train` (train.csv, and"
          + " valid.csv if it validated). A run resumed several times is drawn whole."
    })
public final class PlotCurveCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run's output folder.")
  Path run;

  @Option(
      names = "--png",
      paramLabel = "FILE.png",
      description = "The PNG to write (default: RUN_DIR/loss.png).")
  Path png;

  @Option(
      names = "--title",
      paramLabel = "TEXT",
      description = "The title above the chart (default: the folder's name).")
  String title;

  @Override
  public Integer call() throws IOException {
    Path out = png != null ? png : run.resolve("loss.png");
    String name = run.toAbsolutePath().normalize().getFileName().toString();
    LossCurveListener curve = LossCurveListener.fromLogs(run, out, title != null ? title : name);
    if (!curve.write()) {
      throw new IOException(out + ": the chart could not be drawn (see the warning above)");
    }
    System.out.printf(
        "wrote %s: %d training steps, %d validations%n",
        out, curve.trainPoints(), curve.validationPoints());
    return 0;
  }
}
