package org.seq4j.cli.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads text files that must be UTF-8, with errors that say which file and where it went wrong. */
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
    return decode(Files.readAllBytes(file), file.toString());
  }

  /** Decodes {@code bytes} as strict UTF-8; {@code source} names them in the error. */
  public static String decode(byte[] bytes, String source) throws IOException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new IOException(
          source
              + " is not valid UTF-8 text (bad byte 0x"
              + String.format("%02x", bytes[in.position()] & 0xff)
              + " at offset "
              + in.position()
              + ")");
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
