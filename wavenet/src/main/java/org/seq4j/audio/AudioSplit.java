package org.seq4j.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The held-out split of a set of audio files, by a hash of their names.
 *
 * <p>The rule: a file is held out for validation when the CRC32 of its path relative to the data
 * set's root (names joined by {@code /}, UTF-8) is divisible by 10. About one file in ten is held
 * out; where a file goes depends on its name only, so the split is the same on every machine and
 * does not change when files are added or removed. Two guards for small sets: when no file is held
 * out and there are at least two files, the file with the smallest {@code CRC32 mod 10} (then the
 * smallest CRC32, then the first path) is held out; when every file is held out, the one with the
 * largest goes to training. A single file goes to training.
 *
 * <p>The split is kept as two lists in the data set's root, {@value #TRAIN_LIST} and {@value
 * #VALID_LIST}: one relative path per line, lines starting with {@code #} are comments.
 *
 * @param root the data set's root directory
 * @param train the training files, relative to the root, in path order
 * @param valid the held-out files, relative to the root, in path order
 */
public record AudioSplit(Path root, List<String> train, List<String> valid) {

  /** One file in this many is held out. */
  public static final int BUCKETS = 10;

  /** The list of training files. */
  public static final String TRAIN_LIST = "train.txt";

  /** The list of held-out files. */
  public static final String VALID_LIST = "valid.txt";

  /** The rule, as written at the top of the lists. */
  public static final String RULE =
      "held out for validation: CRC32 of the path relative to the data set root (UTF-8, '/')"
          + " mod 10 == 0";

  public AudioSplit {
    train = List.copyOf(train);
    valid = List.copyOf(valid);
  }

  /** The CRC32 of a relative path, the hash the split is made by. */
  public static long hash(String relativePath) {
    CRC32 crc = new CRC32();
    crc.update(relativePath.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  /** Whether the rule (without the small-set guards) holds {@code relativePath} out. */
  public static boolean heldOut(String relativePath) {
    return hash(relativePath) % BUCKETS == 0;
  }

  /** Splits the given files of {@code root} (paths relative to it, {@code /} between names). */
  public static AudioSplit of(Path root, Collection<String> relativePaths) {
    List<String> paths = new ArrayList<>(relativePaths);
    paths.sort(Comparator.naturalOrder());
    List<String> train = new ArrayList<>();
    List<String> valid = new ArrayList<>();
    for (String p : paths) {
      (heldOut(p) ? valid : train).add(p);
    }
    Comparator<String> byHash =
        Comparator.<String>comparingLong(p -> hash(p) % BUCKETS)
            .thenComparingLong(AudioSplit::hash)
            .thenComparing(Comparator.naturalOrder());
    if (valid.isEmpty() && train.size() >= 2) {
      String first = train.stream().min(byHash).orElseThrow();
      train.remove(first);
      valid.add(first);
    } else if (train.isEmpty() && !valid.isEmpty()) {
      String last = valid.stream().max(byHash).orElseThrow();
      valid.remove(last);
      train.add(last);
    }
    return new AudioSplit(root, train, valid);
  }

  /** Splits every WAV file under {@code root} (see {@link #findWavFiles}). */
  public static AudioSplit ofDirectory(Path root) throws IOException {
    return of(root, findWavFiles(root));
  }

  /**
   * The WAV files under {@code root}, at any depth, as paths relative to it with {@code /} between
   * names, in path order. A file is a WAV file by its name ({@code .wav}, any case); hidden files
   * and folders (a name starting with {@code .}) are skipped.
   *
   * @throws NoSuchFileException if {@code root} is not a directory
   */
  public static List<String> findWavFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "no such directory of WAV files");
    }
    try (Stream<Path> files = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      return files
          .filter(Files::isRegularFile)
          .map(root::relativize)
          .filter(AudioSplit::visible)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
          .map(AudioSplit::slashed)
          .sorted()
          .toList();
    }
  }

  /**
   * Whether a small-set guard moved a file: some held-out file is not held out by the rule, or some
   * training file is.
   */
  public boolean guarded() {
    return valid.stream().anyMatch(v -> !heldOut(v))
        || train.stream().anyMatch(AudioSplit::heldOut);
  }

  /** The training files as paths. */
  public List<Path> trainFiles() {
    return train.stream().map(root::resolve).toList();
  }

  /** The held-out files as paths. */
  public List<Path> validFiles() {
    return valid.stream().map(root::resolve).toList();
  }

  /** Writes {@value #TRAIN_LIST} and {@value #VALID_LIST} into the root. */
  public void writeLists() throws IOException {
    Files.createDirectories(root);
    writeList(root.resolve(TRAIN_LIST), train);
    writeList(root.resolve(VALID_LIST), valid);
  }

  /** Reads the split written by {@link #writeLists} in {@code root}. */
  public static AudioSplit readLists(Path root) throws IOException {
    return new AudioSplit(
        root, readList(root.resolve(TRAIN_LIST)), readList(root.resolve(VALID_LIST)));
  }

  /** Whether {@code root} holds the two lists. */
  public static boolean hasLists(Path root) {
    return Files.isRegularFile(root.resolve(TRAIN_LIST))
        && Files.isRegularFile(root.resolve(VALID_LIST));
  }

  private static void writeList(Path file, List<String> paths) throws IOException {
    StringBuilder text = new StringBuilder("# ").append(RULE).append('\n');
    for (String p : paths) {
      text.append(p).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<String> readList(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such file list");
    }
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static boolean visible(Path relative) {
    for (Path name : relative) {
      if (name.toString().startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  private static String slashed(Path relative) {
    List<String> names = new ArrayList<>();
    relative.forEach(n -> names.add(n.toString()));
    return String.join("/", names);
  }
}
