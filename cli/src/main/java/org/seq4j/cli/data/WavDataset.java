package org.seq4j.cli.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seq4j.audio.AudioSplit;
import org.seq4j.audio.WavInfo;
import org.seq4j.audio.WavReader;

/**
 * A data set of WAV files taken from a Debian package: the files are copied into {@code
 * DATA_DIR/NAME/} under their names relative to the package's sound folder, and split into training
 * and held-out files by {@link AudioSplit}'s rule (lists {@code train.txt} and {@code valid.txt}).
 * {@code sources.txt} lists every file with its format, duration and split.
 *
 * @param name the data set's name and folder
 * @param debianPackage the Debian package that holds the files
 * @param soundDirs where the package keeps them, relative to its root; the first one present is
 *     used
 * @param description what the data is, for the help text
 */
public record WavDataset(
    String name, String debianPackage, List<Path> soundDirs, String description) {

  /** English speech prompts, one speaker. */
  public static final WavDataset SPEECH_EN =
      new WavDataset(
          "speech-en",
          "asterisk-core-sounds-en-wav",
          List.of(
              Path.of("usr", "share", "asterisk", "sounds", "en_US_f_Allison"),
              Path.of("usr", "share", "asterisk", "sounds", "en")),
          "Asterisk's English voice prompts: 568 WAV files, 8 kHz 16-bit mono, about 25 minutes,"
              + " one speaker (Allison Smith)");

  /** Music on hold. */
  public static final WavDataset MUSIC_MOH =
      new WavDataset(
          "music-moh",
          "asterisk-moh-opsound-wav",
          List.of(Path.of("usr", "share", "asterisk", "moh")),
          "Asterisk's music on hold from opsound.org: 5 WAV files, 8 kHz 16-bit mono, about 18"
              + " minutes");

  /** The list of files written into the data set's folder. */
  public static final String SOURCES_FILE = "sources.txt";

  public WavDataset {
    soundDirs = List.copyOf(soundDirs);
  }

  /**
   * What {@link #install} wrote.
   *
   * @param dir the data set's folder
   * @param soundDir the folder the files came from, relative to the package root
   * @param split the training and held-out files
   * @param infos each file's header, by relative path, in path order
   */
  public record Result(Path dir, Path soundDir, AudioSplit split, Map<String, WavInfo> infos) {

    /** The number of files. */
    public int files() {
      return infos.size();
    }

    /** The total duration of {@code files}, in seconds. */
    public double seconds(List<String> files) {
      return files.stream().mapToDouble(f -> infos.get(f).seconds()).sum();
    }

    /** The total duration of all files, in seconds. */
    public double seconds() {
      return infos.values().stream().mapToDouble(WavInfo::seconds).sum();
    }

    /** The distinct formats, such as "8000 Hz 16-bit PCM mono", with how many files have each. */
    public Map<String, Integer> formats() {
      Map<String, Integer> formats = new LinkedHashMap<>();
      infos.values().forEach(i -> formats.merge(i.describe(), 1, Integer::sum));
      return formats;
    }
  }

  /**
   * Copies the WAV files of the unpacked package at {@code packageRoot} into {@code outDir},
   * keeping their relative names, checks that each is a WAV file seq4j reads, and writes the split
   * lists and {@code sources.txt}.
   *
   * @param origin a line naming where the files came from, written at the top of {@code
   *     sources.txt}
   * @throws IOException if the package has no sound folder or no WAV files, or a file is not
   *     readable audio (the message names it)
   */
  public Result install(Path packageRoot, Path outDir, String origin) throws IOException {
    Path soundDir = soundDir(packageRoot);
    Path source = packageRoot.resolve(soundDir);
    List<String> files = AudioSplit.findWavFiles(source);
    if (files.isEmpty()) {
      throw new IOException("no WAV files in " + source + " (package " + debianPackage + ")");
    }
    Map<String, WavInfo> infos = new LinkedHashMap<>();
    for (String f : files) {
      infos.put(f, WavReader.probe(source.resolve(f)));
    }
    Files.createDirectories(outDir);
    for (String f : files) {
      Path target = outDir.resolve(f);
      Files.createDirectories(target.getParent());
      Files.copy(source.resolve(f), target, StandardCopyOption.REPLACE_EXISTING);
    }
    AudioSplit split = AudioSplit.of(outDir, files);
    split.writeLists();
    writeSources(outDir.resolve(SOURCES_FILE), origin, infos, split);
    return new Result(outDir, soundDir, split, infos);
  }

  private Path soundDir(Path packageRoot) throws IOException {
    for (Path dir : soundDirs) {
      if (Files.isDirectory(packageRoot.resolve(dir))) {
        return dir;
      }
    }
    throw new IOException(
        "package " + debianPackage + " has no sound folder (looked for " + soundDirs + ")");
  }

  private static void writeSources(
      Path file, String origin, Map<String, WavInfo> infos, AudioSplit split) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# " + origin);
    lines.add("# " + AudioSplit.RULE);
    lines.add("# file\tsplit\tseconds\tformat");
    java.util.Set<String> valid = new java.util.HashSet<>(split.valid());
    for (Map.Entry<String, WavInfo> e : infos.entrySet()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%s\t%s\t%.3f\t%s",
              e.getKey(),
              valid.contains(e.getKey()) ? "valid" : "train",
              e.getValue().seconds(),
              e.getValue().describe()));
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
