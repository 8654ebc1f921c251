package org.seq4j.cli.data;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --dir} option every {@code data fetch} subcommand takes. */
public final class DataDirOption {
  @Option(
      names = "--dir",
      paramLabel = "DATA_DIR",
      description =
          "The data directory; the data set goes into a folder of its name inside it"
              + " (default: ${DEFAULT-VALUE}).")
  Path dir = Path.of("data");

  /** The folder for the data set {@code name}. */
  public Path datasetDir(String name) {
    return dir.resolve(name);
  }
}
