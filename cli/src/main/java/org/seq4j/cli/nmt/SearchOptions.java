package org.seq4j.cli.nmt;

import org.seq4j.nmt.BeamSearch;
import picocli.CommandLine.Option;

/** The beam-search options of the commands that translate: {@code --beam --alpha --beta}. */
public final class SearchOptions {
  @Option(
      names = "--beam",
      paramLabel = "K",
      description = "Beam size; 1 is greedy decoding (default: ${DEFAULT-VALUE}).")
  int beam = 5;

  @Option(
      names = "--alpha",
      paramLabel = "A",
      description =
          "Length-penalty exponent: score = log P / ((5 + |Y|) / 6)^A + coverage penalty; 0 for"
              + " none (default: ${DEFAULT-VALUE}).")
  double alpha = 0.6;

  @Option(
      names = "--beta",
      paramLabel = "B",
      description =
          "Coverage-penalty weight: B * sum over source words of log(min(attention received, 1));"
              + " 0 for none (default: ${DEFAULT-VALUE}).")
  double beta = 0.2;

  /** The search these options describe. */
  public BeamSearch build() {
    if (beam < 1) {
      throw new IllegalArgumentException("--beam must be >= 1, got " + beam);
    }
    if (!(alpha >= 0) || !(beta >= 0) || Double.isInfinite(alpha) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("--alpha and --beta must be finite and >= 0");
    }
    return BeamSearch.builder().beamSize(beam).alpha(alpha).beta(beta).build();
  }

  /** For example "beam 5, alpha 0.6, beta 0.2". */
  public String describe() {
    return beam == 1 && alpha == 0 && beta == 0
        ? "greedy"
        : "beam " + beam + ", alpha " + alpha + ", beta " + beta;
  }
}
