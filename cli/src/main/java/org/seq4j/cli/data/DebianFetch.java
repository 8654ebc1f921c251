package org.seq4j.cli.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.seq4j.nmt.CorpusSplits;

/**
 * The frame of the {@code seq4j data fetch} commands that unpack Debian packages: a temporary work
 * folder, deleted afterwards, and the closing time; and the split table of the translation corpora.
 */
final class DebianFetch {
  private DebianFetch() {}

  /** What a fetcher does inside its work folder: unpack, build, write and report. */
  @FunctionalInterface
  interface Work {
    /** Does the work in {@code work}, a fresh empty folder. */
    void run(Path work) throws IOException;
  }

  /**
   * Runs {@code body} in a fresh temporary folder named {@code prefix…}, prints {@code done in …}
   * to {@code out} when it succeeds and deletes the folder either way.
   *
   * @return 0, the exit code
   */
  static int run(String prefix, PrintStream out, Work body) throws IOException {
    long t0 = System.nanoTime();
    Path work = Files.createTempDirectory(prefix);
    try {
      body.run(work);
      out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      return 0;
    } finally {
      Directories.deleteRecursively(work);
    }
  }

  /**
   * Prints one line per split of {@code splits}: its name, its pairs and its file in {@code dir}.
   */
  static void printSplits(PrintStream out, CorpusSplits splits, Path dir) {
    for (String name : CorpusSplits.NAMES) {
      out.printf(
          Locale.ROOT,
          "  %-9s %,6d pairs  %s%n",
          name,
          splits.split(name).size(),
          CorpusSplits.file(dir, name));
    }
  }
}
