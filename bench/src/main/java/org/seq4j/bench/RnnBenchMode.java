package org.seq4j.bench;

import java.util.Arrays;
import java.util.List;

/** What one timed call of the recurrent benchmark does. */
public enum RnnBenchMode {
  /**
   * Training: the forward pass with gradients recorded, the backward pass of {@code sum(output *
   * weight)} for a fixed random weight, and resetting the gradients; no optimizer.
   */
  TRAIN("train", "rnn-train"),
  /** Inference: the forward pass without gradients. */
  INFER("infer", "rnn-infer");

  private final String cliName;
  private final String op;

  RnnBenchMode(String cliName, String op) {
    this.cliName = cliName;
    this.op = op;
  }

  /** The mode's name on the command line, e.g. {@code train}. */
  public String cliName() {
    return cliName;
  }

  /** The {@code op} of this mode's results, e.g. {@code rnn-train}. */
  public String op() {
    return op;
  }

  /** Whether the call records gradients and runs the backward pass. */
  public boolean training() {
    return this == TRAIN;
  }

  /** The names of all modes, in report order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(RnnBenchMode::cliName).toList();
  }

  /**
   * The mode called {@code name}.
   *
   * @throws IllegalArgumentException naming the known modes if there is none
   */
  public static RnnBenchMode of(String name) {
    for (RnnBenchMode mode : values()) {
      if (mode.cliName.equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '" + name + "'; known: " + String.join(", ", names()));
  }
}
