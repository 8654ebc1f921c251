package org.seq4j.cli.wavenet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.seq4j.audio.AudioSplit;

/**
 * Where {@code --data} points: a data set fetched by {@code seq4j data fetch} (a name such as
 * {@code speech-en}, looked up in the data directory) or any folder of WAV files. A folder with
 * {@code train.txt} and {@code valid.txt} lists keeps that split; otherwise the files are split by
 * {@link AudioSplit}'s rule.
 */
final class AudioData {
  private AudioData() {}

  /**
   * The split of {@code data}.
   *
   * @throws IllegalArgumentException if neither a data set nor a folder of that name exists, or it
   *     holds no WAV files
   */
  static AudioSplit split(String data, Path dataDir) throws IOException {
    Path dir = Path.of(data);
    if (!Files.isDirectory(dir)) {
      Path named = dataDir.resolve(data);
      if (!Files.isDirectory(named)) {
        throw new IllegalArgumentException(
            "--data "
                + data
                + ": no such folder, and no data set '"
                + data
                + "' in "
                + dataDir
                + " (fetch one with `seq4j data fetch speech-en` or `seq4j data fetch music-moh`)");
      }
      dir = named;
    }
    AudioSplit split =
        AudioSplit.hasLists(dir) ? AudioSplit.readLists(dir) : AudioSplit.ofDirectory(dir);
    if (split.train().isEmpty()) {
      throw new IllegalArgumentException(
          "--data " + data + ": no WAV files for training in " + dir);
    }
    return split;
  }
}
