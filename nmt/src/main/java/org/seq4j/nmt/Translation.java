package org.seq4j.nmt;

import java.util.List;

/**
 * The n-best list of one source sentence.
 *
 * @param sourceLength the real length of the source sentence, the width of the attention matrices
 * @param hypotheses at least one hypothesis, best score first
 */
public record Translation(int sourceLength, List<Hypothesis> hypotheses) {
  public Translation {
    hypotheses = List.copyOf(hypotheses);
    if (hypotheses.isEmpty()) {
      throw new IllegalArgumentException("a translation needs at least one hypothesis");
    }
  }

  /** The hypothesis with the best score. */
  public Hypothesis best() {
    return hypotheses.get(0);
  }
}
