package org.seq4j.cli.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.seq4j.io.MalformedUtf8Exception;
import org.seq4j.io.StrictUtf8;

/**
 * Reads the text files of the data and language-model commands as strict UTF-8 with {@link
 * StrictUtf8}, keeping these commands' wording of the errors.
 */
public final class Utf8Files {
  private Utf8Files() {}

  /**
   * Reads {@code file} as strict UTF-8.
   *
   * @throws IOException "no such text file", or "not valid UTF-8 text" with the byte offset of the
   *     first bad sequence
   */
  public static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException("no such text file: " + file);
    }
    try {
      return StrictUtf8.decode(Files.readAllBytes(file), file.toString());
    } catch (MalformedUtf8Exception e) {
      throw new IOException(
          e.source()
              + " is not valid UTF-8 text (bad byte 0x"
              + String.format("%02x", e.badByte())
              + " at offset "
              + e.offset()
              + ")");
    }
  }
}
