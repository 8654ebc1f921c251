package org.seq4j.text;

import java.util.regex.Pattern;

/**
 * How BLEU splits a line into words: sacreBLEU's tokenizers, ported exactly. The result is a string
 * whose words are separated by single spaces (sacreBLEU then splits it with Python's {@code
 * str.split()}).
 */
public interface BleuTokenizer {

  /** Tokenizes one line. */
  String tokenize(String line);

  /** The name in BLEU's signature ({@code 13a}, {@code none}). */
  String signature();

  /** sacreBLEU's default, {@code 13a}: mteval-v13a.pl's tokenization, as used by WMT. */
  static BleuTokenizer thirteenA() {
    return Tokenizer13a.INSTANCE;
  }

  /** sacreBLEU's {@code none}: the line as it is (words are its whitespace-separated runs). */
  static BleuTokenizer none() {
    return NoneTokenizer.INSTANCE;
  }

  /** The tokenizer named {@code name} ({@code 13a} or {@code none}). */
  static BleuTokenizer named(String name) {
    switch (name) {
      case "13a":
        return thirteenA();
      case "none":
        return none();
      default:
        throw new IllegalArgumentException(
            "unknown BLEU tokenizer '" + name + "' (known: 13a, none)");
    }
  }

  /** sacreBLEU's {@code none} tokenizer. */
  final class NoneTokenizer implements BleuTokenizer {
    static final NoneTokenizer INSTANCE = new NoneTokenizer();

    private NoneTokenizer() {}

    @Override
    public String tokenize(String line) {
      return line;
    }

    @Override
    public String signature() {
      return "none";
    }
  }

  /**
   * sacreBLEU's {@code 13a} tokenizer ({@code sacrebleu/tokenizers/tokenizer_13a.py} and {@code
   * tokenizer_re.py}, sacreBLEU 2.x), with the same regular expressions applied in the same order.
   */
  final class Tokenizer13a implements BleuTokenizer {
    static final Tokenizer13a INSTANCE = new Tokenizer13a();

    /** {@code ([\{-\~\[-\` -\&\(-\+\:-\@\/])} → {@code " \1 "}: ASCII symbols become words. */
    private static final Pattern SYMBOL =
        Pattern.compile("([\\x7B-\\x7E\\x5B-\\x60\\x20-\\x26\\x28-\\x2B\\x3A-\\x40/])");

    /** {@code ([^0-9])([\.,])} → {@code "\1 \2 "}: period and comma, unless after a digit. */
    private static final Pattern PERIOD_COMMA_AFTER = Pattern.compile("([^0-9])([.,])");

    /** {@code ([\.,])([^0-9])} → {@code " \1 \2"}: period and comma, unless before a digit. */
    private static final Pattern PERIOD_COMMA_BEFORE = Pattern.compile("([.,])([^0-9])");

    /** {@code ([0-9])(-)} → {@code "\1 \2 "}: a dash after a digit. */
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {}

    @Override
    public String tokenize(String line) {
      line = line.replace("<skipped>", "");
      line = line.replace("-\n", "");
      line = line.replace("\n", " ");
      if (line.indexOf('&') >= 0) {
        line = line.replace("&quot;", "\"");
        line = line.replace("&amp;", "&");
        line = line.replace("&lt;", "<");
        line = line.replace("&gt;", ">");
      }
      line = " " + line + " ";
      line = SYMBOL.matcher(line).replaceAll(" $1 ");
      line = PERIOD_COMMA_AFTER.matcher(line).replaceAll("$1 $2 ");
      line = PERIOD_COMMA_BEFORE.matcher(line).replaceAll(" $1 $2");
      line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
      return String.join(" ", PythonText.split(line));
    }

    @Override
    public String signature() {
      return "13a";
    }
  }
}
