package org.seq4j.io;

import java.io.IOException;

/**
 * Text that should be UTF-8 is not: says where the first bad byte is. The message names the source,
 * the line and the byte offset, as in {@code corpus.txt is not valid UTF-8 text (line 2, byte
 * offset 12: 0xe9)}.
 */
public final class MalformedUtf8Exception extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int offset;
  private final int badByte;

  /**
   * @param source what the bytes came from (a file name, "standard input")
   * @param line the 1-based line of the bad byte
   * @param offset the 0-based byte offset of the bad byte
   * @param badByte the bad byte, 0 to 255
   */
  public MalformedUtf8Exception(String source, int line, int offset, int badByte) {
    super(
        source
            + " is not valid UTF-8 text (line "
            + line
            + ", byte offset "
            + offset
            + ": 0x"
            + String.format("%02x", badByte)
            + ")");
    this.source = source;
    this.line = line;
    this.offset = offset;
    this.badByte = badByte;
  }

  /** What the bytes came from. */
  public String source() {
    return source;
  }

  /** The 1-based line of the bad byte. */
  public int line() {
    return line;
  }

  /** The 0-based byte offset of the bad byte. */
  public int offset() {
    return offset;
  }

  /** The bad byte, 0 to 255. */
  public int badByte() {
    return badByte;
  }
}
