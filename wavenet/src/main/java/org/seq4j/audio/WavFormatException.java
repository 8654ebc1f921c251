package org.seq4j.audio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read as audio: not a WAV file, empty, truncated, malformed, or in an
 * encoding seq4j does not read. The message names the file and the problem.
 */
public final class WavFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An error about {@code file}: the message is "{@code file}: {@code problem}". */
  public WavFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
