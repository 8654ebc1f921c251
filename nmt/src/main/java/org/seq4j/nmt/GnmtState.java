package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import org.seq4j.nn.Attention;

/**
 * The decoding state of a {@link Gnmt}: the encoder memory of each row's source, every decoder
 * layer's {@code h} and {@code c} ({@code [L, rows, H]}), the real source lengths, the width of the
 * attention weights a step returns (the batch's longest source), and which source sentence of
 * {@link Gnmt#start} each row decodes.
 */
final class GnmtState implements StepDecoder.DecoderState {
  private final Attention.Memory memory;
  private final NDArray h;
  private final NDArray c;
  private final int attentionWidth;
  private final int[] sources;

  GnmtState(Attention.Memory memory, NDArray h, NDArray c, int attentionWidth, int[] sources) {
    this.memory = memory;
    this.h = h;
    this.c = c;
    this.attentionWidth = attentionWidth;
    this.sources = sources;
  }

  /** The source sentence of each row (not copied). */
  int[] sources() {
    return sources;
  }

  Attention.Memory memory() {
    return memory;
  }

  NDArray h() {
    return h;
  }

  NDArray c() {
    return c;
  }

  int attentionWidth() {
    return attentionWidth;
  }

  @Override
  public int rows() {
    return memory.rows();
  }

  @Override
  public int[] sourceLengths() {
    return memory.lengths();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Rows that decode the same source share the same memory, so when every new row decodes the
   * source of the row at its position already (as in beam search while no sentence finishes or
   * loses a hypothesis), the memory is kept through views instead of gathered again.
   *
   * @throws IllegalArgumentException if a row is out of range
   */
  @Override
  public GnmtState select(NDManager manager, int[] rows) {
    int[] selectedSources = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= sources.length) {
        throw new IllegalArgumentException(
            "rows[" + i + "] = " + rows[i] + " is outside [0, " + sources.length + ")");
      }
      selectedSources[i] = sources[rows[i]];
    }
    Attention.Memory selected =
        Arrays.equals(selectedSources, sources)
            ? memory.view(manager)
            : memory.select(manager, rows);
    long[] index = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      index[i] = rows[i];
    }
    try (NDArray at = manager.create(index)) {
      NDIndex columns = new NDIndex(":, {}", at);
      NDArray newH = h.get(columns);
      NDArray newC = c.get(columns);
      newH.attach(manager);
      newC.attach(manager);
      return new GnmtState(selected, newH, newC, attentionWidth, selectedSources);
    }
  }
}
