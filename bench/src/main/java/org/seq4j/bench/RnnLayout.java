package org.seq4j.bench;

import java.util.Arrays;
import java.util.List;

/** How the batch of a recurrent benchmark is laid out. */
public enum RnnLayout {
  /** Every sequence has the full length; one direction. */
  FIXED("fixed", false, false),
  /** Lengths drawn uniformly from [T/2, T], the rest padding; one direction. */
  VARLEN("varlen", true, false),
  /** Every sequence has the full length; both directions. */
  BIDIR("bidir", false, true);

  private final String cliName;
  private final boolean variableLengths;
  private final boolean bidirectional;

  RnnLayout(String cliName, boolean variableLengths, boolean bidirectional) {
    this.cliName = cliName;
    this.variableLengths = variableLengths;
    this.bidirectional = bidirectional;
  }

  /** The layout's name on the command line and in reports, e.g. {@code varlen}. */
  public String cliName() {
    return cliName;
  }

  /** Whether the sequences have different lengths. */
  public boolean variableLengths() {
    return variableLengths;
  }

  /** Whether the layer runs in both directions. */
  public boolean bidirectional() {
    return bidirectional;
  }

  /** The names of all layouts, in report order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(RnnLayout::cliName).toList();
  }

  /**
   * The layout called {@code name}.
   *
   * @throws IllegalArgumentException naming the known layouts if there is none
   */
  public static RnnLayout of(String name) {
    for (RnnLayout layout : values()) {
      if (layout.cliName.equals(name)) {
        return layout;
      }
    }
    throw new IllegalArgumentException(
        "unknown layout '" + name + "'; known: " + String.join(", ", names()));
  }
}
