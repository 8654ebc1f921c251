package org.seq4j.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentsTest {
  /** A small file in the fortune format, with the odd corners of the real ones. */
  static final String FORTUNES =
      "A celebrity is a person who is known for his well-knownness.\n"
          + "%\n"
          + "\tIndented first line,\n"
          + "second line.\n"
          + "\t\t-- Someone\n"
          + "%\n"
          + "  \t\n" // a quote of blank lines only: dropped
          + "%\n"
          + "Percent signs inside are text: 100%, %d, %%\n"
          + "%DCL-MEM-BAD, bad memory\n"
          + "%\n"
          + "Ends with a blank line.\n"
          + "\n"
          + "%\n";

  @Test
  void quotesAreSeparatedByPercentLines() {
    List<String> quotes = Documents.quotes(FORTUNES);
    assertEquals(
        List.of(
            "A celebrity is a person who is known for his well-knownness.",
            "\tIndented first line,\nsecond line.\n\t\t-- Someone",
            "Percent signs inside are text: 100%, %d, %%\n%DCL-MEM-BAD, bad memory",
            "Ends with a blank line.\n"),
        quotes);
  }

  @Test
  void joiningRestoresTheFortuneFormat() {
    Documents docs = Documents.split(FORTUNES);
    assertEquals(Documents.Kind.QUOTES, docs.kind());
    assertEquals(4, docs.size());
    String joined = docs.join();
    assertEquals(
        "A celebrity is a person who is known for his well-knownness.\n%\n"
            + "\tIndented first line,\nsecond line.\n\t\t-- Someone\n%\n"
            + "Percent signs inside are text: 100%, %d, %%\n%DCL-MEM-BAD, bad memory\n%\n"
            + "Ends with a blank line.\n\n%\n",
        joined);
    assertEquals(docs, Documents.split(joined), "the normal form is a fixed point");
  }

  @Test
  void windowsLineEndsAndAMissingFinalSeparatorAreAccepted() {
    assertEquals(List.of("one", "two\nlines"), Documents.quotes("one\r\n%\r\ntwo\r\nlines"));
  }

  @Test
  void textWithoutPercentLinesIsCutIntoParagraphs() {
    Documents docs =
        Documents.split("First para\nstill first.\n \t\n\n\nSecond.\nThird? no\n\nThird.");
    assertEquals(Documents.Kind.PARAGRAPHS, docs.kind());
    assertEquals(List.of("First para\nstill first.", "Second.\nThird? no", "Third."), docs.texts());
    assertEquals("First para\nstill first.\n\nSecond.\nThird? no\n\nThird.\n\n", docs.join());
  }

  @Test
  void blankLinesHoldOnlySpacesAndTabs() {
    assertEquals(true, Documents.blank(""));
    assertEquals(true, Documents.blank(" \t "));
    assertEquals(false, Documents.blank(" . "));
    assertEquals(false, Documents.blank("\u00a0"));
  }
}
