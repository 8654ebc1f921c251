package org.seq4j.text;

import java.io.ByteArrayOutputStream;

/**
 * UTF-8 extended to unpaired surrogates (WTF-8, https://simonsapin.github.io/wtf-8/): every Java
 * string, even one holding half of a surrogate pair, becomes bytes and comes back unchanged. The
 * tokenizer's byte fallback spells characters outside its vocabulary this way, so that decoding is
 * exact for any string. Well-formed text gives ordinary UTF-8.
 */
final class GeneralizedUtf8 {
  private GeneralizedUtf8() {}

  /** The bytes of one code point (a lone surrogate is written as its 3-byte form). */
  static byte[] encode(int cp) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4);
    if (cp < 0x80) {
      out.write(cp);
    } else if (cp < 0x800) {
      out.write(0xC0 | (cp >> 6));
      out.write(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out.write(0xE0 | (cp >> 12));
      out.write(0x80 | ((cp >> 6) & 0x3F));
      out.write(0x80 | (cp & 0x3F));
    } else {
      out.write(0xF0 | (cp >> 18));
      out.write(0x80 | ((cp >> 12) & 0x3F));
      out.write(0x80 | ((cp >> 6) & 0x3F));
      out.write(0x80 | (cp & 0x3F));
    }
    return out.toByteArray();
  }

  /**
   * Decodes {@code bytes[0, length)}, appending to {@code out}. A sequence that is not a valid
   * (generalized) UTF-8 encoding gives one U+FFFD per byte, so any byte string decodes.
   */
  static void decode(byte[] bytes, int length, StringBuilder out) {
    int i = 0;
    while (i < length) {
      int b = bytes[i] & 0xFF;
      int need;
      int cp;
      int min;
      if (b < 0x80) {
        out.append((char) b);
        i++;
        continue;
      } else if (b >= 0xC2 && b < 0xE0) {
        need = 1;
        cp = b & 0x1F;
        min = 0x80;
      } else if (b >= 0xE0 && b < 0xF0) {
        need = 2;
        cp = b & 0x0F;
        min = 0x800;
      } else if (b >= 0xF0 && b < 0xF5) {
        need = 3;
        cp = b & 0x07;
        min = 0x10000;
      } else {
        out.append('\uFFFD');
        i++;
        continue;
      }
      boolean ok = i + need < length;
      for (int k = 1; ok && k <= need; k++) {
        int c = bytes[i + k] & 0xFF;
        ok = (c & 0xC0) == 0x80;
        cp = (cp << 6) | (c & 0x3F);
      }
      if (!ok || cp < min || cp > 0x10FFFF) {
        out.append('\uFFFD');
        i++;
        continue;
      }
      out.appendCodePoint(cp);
      i += need + 1;
    }
  }
}
