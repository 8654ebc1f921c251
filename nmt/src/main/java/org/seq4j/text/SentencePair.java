package org.seq4j.text;

import java.util.Objects;

/**
 * One sentence and its translation.
 *
 * @param source the source sentence
 * @param target its translation
 * @param id where the pair comes from (a verse id such as {@code John.3.16}, or a line number);
 *     empty when unknown
 */
public record SentencePair(String source, String target, String id) {
  public SentencePair {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(id, "id");
  }
}
