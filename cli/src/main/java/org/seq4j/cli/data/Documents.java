package org.seq4j.cli.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A text cut into documents: the quotes of a fortune file (separated by lines holding only {@code
 * %}), or, when the text has no such line, its paragraphs (separated by blank lines). Joining the
 * documents back, each followed by {@link #separator()}, gives the text in a normal form.
 *
 * <p>The rules are simple on purpose, so that other implementations (the PyTorch peer in {@code
 * bench/peers/lm_peer.py}) can follow them exactly: line ends are {@code \n} ({@code \r\n} is read
 * as {@code \n}); a separator line is exactly {@code %}; a blank line holds only spaces and tabs; a
 * quote made of blank lines only is dropped.
 *
 * @param texts the documents, in order, without their separators
 * @param kind whether they are quotes or paragraphs
 */
public record Documents(List<String> texts, Kind kind) {

  /** The line that ends a quote in a fortune file. */
  public static final String QUOTE_SEPARATOR_LINE = "%";

  /** How a text was cut. */
  public enum Kind {
    /** Quotes separated by {@code %} lines; each is followed by {@code "\n%\n"} when joined. */
    QUOTES("\n%\n"),
    /** Paragraphs separated by blank lines; each is followed by {@code "\n\n"} when joined. */
    PARAGRAPHS("\n\n");

    private final String separator;

    Kind(String separator) {
      this.separator = separator;
    }

    /** What follows each document when the documents are joined. */
    public String separator() {
      return separator;
    }
  }

  public Documents {
    texts = List.copyOf(texts);
  }

  /** Cuts {@code text} into quotes if it has a {@code %} line, else into paragraphs. */
  public static Documents split(String text) {
    List<String> lines = lines(text);
    return lines.contains(QUOTE_SEPARATOR_LINE)
        ? new Documents(quotes(lines), Kind.QUOTES)
        : new Documents(paragraphs(lines), Kind.PARAGRAPHS);
  }

  /** The quotes of a text in the fortune format; a text without {@code %} lines is one quote. */
  public static List<String> quotes(String text) {
    return quotes(lines(text));
  }

  /** What follows each document when the documents are joined. */
  public String separator() {
    return kind.separator();
  }

  /** The number of documents. */
  public int size() {
    return texts.size();
  }

  /** The documents, each followed by the separator. */
  public String join() {
    return join(texts, kind);
  }

  /** {@code texts}, each followed by the separator of {@code kind}. */
  public static String join(List<String> texts, Kind kind) {
    StringBuilder out = new StringBuilder();
    for (String t : texts) {
      out.append(t).append(kind.separator());
    }
    return out.toString();
  }

  private static List<String> lines(String text) {
    return List.of(text.replace("\r\n", "\n").split("\n", -1));
  }

  private static List<String> quotes(List<String> lines) {
    List<String> quotes = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : lines) {
      if (line.equals(QUOTE_SEPARATOR_LINE)) {
        addQuote(quotes, current);
        current.clear();
      } else {
        current.add(line);
      }
    }
    addQuote(quotes, current);
    return quotes;
  }

  private static void addQuote(List<String> quotes, List<String> lines) {
    if (!lines.stream().allMatch(Documents::blank)) {
      quotes.add(String.join("\n", lines));
    }
  }

  private static List<String> paragraphs(List<String> lines) {
    List<String> paragraphs = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : lines) {
      if (blank(line)) {
        if (!current.isEmpty()) {
          paragraphs.add(String.join("\n", current));
          current.clear();
        }
      } else {
        current.add(line);
      }
    }
    if (!current.isEmpty()) {
      paragraphs.add(String.join("\n", current));
    }
    return paragraphs;
  }

  /** A line of spaces and tabs only (or empty). */
  static boolean blank(String line) {
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch != ' ' && ch != '\t') {
        return false;
      }
    }
    return true;
  }
}
