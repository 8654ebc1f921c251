package org.seq4j.io;

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
import java.util.ArrayList;
import java.util.List;

/** Reads text files that must be UTF-8, with errors naming the file, the line and the byte. */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /**
   * The lines of {@code file}: split at {@code \n}, a {@code \r} before it removed, no empty last
   * line for a file that ends with a line break. A byte-order mark at the start is skipped.
   *
   * @throws FileNotFoundException when there is no such file
   * @throws IOException when the file is not valid UTF-8 (naming the line and byte offset)
   */
  public static List<String> readLines(Path file) throws IOException {
    String text = read(file);
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      lines.add(text.substring(start, stop));
      start = end + 1;
    }
    return lines;
  }

  /** The whole of {@code file} as strict UTF-8 (a leading byte-order mark removed). */
  public static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException("no such file: " + file);
    }
    byte[] bytes = Files.readAllBytes(file);
    String text = decode(bytes, file.toString());
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /**
   * Decodes {@code bytes} as strict UTF-8 (a byte-order mark is kept); {@code source} names them in
   * the error.
   *
   * @throws MalformedUtf8Exception at the first byte that is not valid UTF-8, naming the line and
   *     byte offset
   */
  public static String decode(byte[] bytes, String source) throws MalformedUtf8Exception {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new MalformedUtf8Exception(source, line, offset, bytes[offset] & 0xff);
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
