package org.seq4j.text;

/**
 * Escapes for pieces in the model's text file, so that each piece stays readable and on its line:
 * {@code \t}, {@code \n}, {@code \r}, {@code \\}, and {@code \}{@code uXXXX} (UTF-16 units) for
 * control, format, separator (other than U+0020), surrogate, private-use and unassigned characters.
 * Everything else is written as it is.
 */
final class PieceEscapes {
  private PieceEscapes() {}

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\\' -> out.append("\\\\");
        default -> {
          if (invisible(s, i)) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean invisible(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)
        && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1))) {
      return invisibleType(Character.getType(s.codePointAt(i)));
    }
    if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
      return invisibleType(Character.getType(s.codePointAt(i - 1)));
    }
    return c != ' ' && invisibleType(Character.getType(c));
  }

  private static boolean invisibleType(int type) {
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SPACE_SEPARATOR
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }

  /**
   * The inverse of {@link #escape}.
   *
   * @throws IllegalArgumentException on a malformed escape
   */
  static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i + 1 >= s.length()) {
        throw new IllegalArgumentException("a lone backslash at the end of '" + s + "'");
      }
      char e = s.charAt(++i);
      switch (e) {
        case 't' -> out.append('\t');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case '\\' -> out.append('\\');
        case 'u' -> {
          if (i + 4 >= s.length()) {
            throw new IllegalArgumentException("a short \\u escape in '" + s + "'");
          }
          try {
            out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("a bad \\u escape in '" + s + "'", ex);
          }
          i += 4;
        }
        default ->
            throw new IllegalArgumentException("an unknown escape \\" + e + " in '" + s + "'");
      }
    }
    return out.toString();
  }
}
