package org.seq4j.cli.data;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --dir} option every {@code data fetch} subcommand takes; {@code --data-dir} for the
 * commands that read fetched data.
 */
public final class DataDirOption {
  @Option(
      names = {"--dir", "--data-dir"},
      paramLabel = "DATA_DIR",
      description =
          "The data directory; the data set goes into a folder of its name inside it"
              + " (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of("data");

  /** The data directory. */
  public Path root() {
    return dir;
  }

  /** The folder for the data set {@code name}. */
  public Path datasetDir(String name) {
    return dir.resolve(name);
  }
}
