package org.seq4j.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's string whitespace rules ({@code str.isspace}, {@code str.split()}, {@code
 * str.rstrip()}), which sacreBLEU's tokenizers and n-gram counting rely on. Java's {@link
 * Character#isWhitespace} differs (it excludes the no-break spaces and includes a few separators
 * Python does not), so BLEU uses these instead.
 */
final class PythonText {
  private PythonText() {}

  /**
   * Whether {@code cp} is whitespace to Python 3 ({@code Py_UNICODE_ISSPACE}): U+0009–U+000D,
   * U+001C–U+001F, U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
   * U+3000.
   */
  static boolean isSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D)
        || (cp >= 0x1C && cp <= 0x20)
        || cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /** {@code s.split()}: the runs of non-whitespace characters. */
  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (isSpace(cp)) {
        if (start >= 0) {
          out.add(s.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      out.add(s.substring(start));
    }
    return out;
  }

  /** {@code s.rstrip()}: {@code s} without trailing whitespace. */
  static String rstrip(String s) {
    int end = s.length();
    while (end > 0) {
      int cp = s.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(0, end);
  }
}
