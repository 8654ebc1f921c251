package org.seq4j.cli.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.seq4j.audio.AudioSplit;

/** What {@code seq4j data fetch speech-en} and {@code music-moh} do: download, install, report. */
final class WavDatasetFetch {
  private WavDatasetFetch() {}

  /**
   * Fetches {@code dataset} into {@code data}'s folder for it and prints a summary to {@code out}.
   */
  static int run(WavDataset dataset, DebianPackage debian, DataDirOption data, PrintStream out)
      throws IOException {
    Path dir = data.datasetDir(dataset.name());
    return DebianFetch.run(
        "seq4j-" + dataset.name() + "-",
        out,
        work -> {
          DebianPackage.Unpacked pkg = debian.fetch(dataset.debianPackage(), work);
          WavDataset.Result r =
              dataset.install(
                  pkg.root(), dir, "Debian package " + pkg.name() + " " + pkg.version());
          AudioSplit split = r.split();
          out.println("seq4j data fetch " + dataset.name());
          out.printf(
              Locale.ROOT,
              "  package   %s %s (apt-get download, dpkg-deb -x)%n",
              pkg.name(),
              pkg.version());
          out.printf(
              Locale.ROOT,
              "  files     %d WAV files from /%s/: %s%n",
              r.files(),
              r.soundDir().toString().replace('\\', '/'),
              r.formats().entrySet().stream()
                  .map(WavDatasetFetch::formatCount)
                  .collect(Collectors.joining(", ")));
          out.printf(Locale.ROOT, "  audio     %.1f minutes%n", r.seconds() / 60);
          out.printf(
              Locale.ROOT,
              "  train     %s, %.1f minutes%n",
              files(split.train().size()),
              r.seconds(split.train()) / 60);
          out.printf(
              Locale.ROOT,
              "  valid     %s, %.1f minutes (%s)%n",
              files(split.valid().size()),
              r.seconds(split.valid()) / 60,
              split.guarded()
                  ? "the rule, CRC32 of the relative path mod 10 == 0, left a split empty; the"
                      + " small-set guard moved one file"
                  : "CRC32 of the relative path mod 10 == 0");
          out.printf(Locale.ROOT, "  wrote     %s/ (the WAV files, relative names kept)%n", dir);
          out.printf(
              Locale.ROOT,
              "            %s, %s (the split), %s (files, splits, durations)%n",
              AudioSplit.TRAIN_LIST,
              AudioSplit.VALID_LIST,
              WavDataset.SOURCES_FILE);
        });
  }

  private static String files(int n) {
    return n == 1 ? "1 file" : n + " files";
  }

  private static String formatCount(Map.Entry<String, Integer> e) {
    return e.getKey() + (e.getValue() == 1 ? "" : " (" + e.getValue() + ")");
  }
}
