package org.seq4j.cli.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seq4j.cli.data.Documents;
import org.seq4j.cli.data.Utf8Files;

/**
 * A text prepared for a character language model: cut into documents (quotes separated by {@code %}
 * lines, else paragraphs; see {@link Documents}), every {@value #HOLD_OUT_EVERY}th document held
 * out for validation — deterministic, and spread over the whole text, so validation follows the
 * training distribution — and both parts encoded with the vocabulary of the training part.
 */
public final class LmCorpus {
  /** Every this-many-th document (the 20th, 40th, ...) goes to validation. */
  public static final int HOLD_OUT_EVERY = 20;

  private final Documents.Kind kind;
  private final int documents;
  private final Vocabulary vocabulary;
  private final String trainText;
  private final String validationText;
  private final int[] train;
  private final int[] validation;

  private LmCorpus(Documents docs) {
    this.kind = docs.kind();
    this.documents = docs.size();
    List<String> trainDocs = new ArrayList<>();
    List<String> validDocs = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      ((i + 1) % HOLD_OUT_EVERY == 0 ? validDocs : trainDocs).add(docs.texts().get(i));
    }
    this.trainText = Documents.join(trainDocs, kind);
    this.validationText = Documents.join(validDocs, kind);
    this.vocabulary = Vocabulary.of(trainText);
    this.train = this.vocabulary.encode(trainText);
    this.validation = this.vocabulary.encode(validationText);
  }

  /**
   * Reads a UTF-8 file.
   *
   * @throws IOException if the file is missing, not UTF-8, or too small to split
   */
  public static LmCorpus read(Path file) throws IOException {
    return of(Utf8Files.read(file), file.toString());
  }

  /**
   * Prepares {@code text}; {@code source} names it in errors.
   *
   * @throws IOException if the text is empty or has fewer than {@value #HOLD_OUT_EVERY} documents
   */
  public static LmCorpus of(String text, String source) throws IOException {
    if (text.isBlank()) {
      throw new IOException(source + " is empty");
    }
    Documents docs = Documents.split(text);
    if (docs.size() < HOLD_OUT_EVERY) {
      throw new IOException(
          source
              + " is too small: it has "
              + docs.size()
              + " documents, and validation takes every "
              + HOLD_OUT_EVERY
              + "th (quotes separated by '%' lines, or paragraphs separated by blank lines)");
    }
    return new LmCorpus(docs);
  }

  /** Whether the documents are quotes or paragraphs. */
  public Documents.Kind kind() {
    return kind;
  }

  /** The number of documents, both parts. */
  public int documents() {
    return documents;
  }

  /** The vocabulary of the training part. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The training documents, each followed by the separator. */
  public String trainText() {
    return trainText;
  }

  /** The validation documents, each followed by the separator. */
  public String validationText() {
    return validationText;
  }

  /** The training text as ids. */
  public int[] train() {
    return train;
  }

  /**
   * The validation text as ids; characters unknown to the vocabulary are {@link Vocabulary#UNK}.
   */
  public int[] validation() {
    return validation;
  }

  /** The number of validation characters that map to {@link Vocabulary#UNK}. */
  public long unknownInValidation() {
    return vocabulary.countUnknown(validationText);
  }
}
