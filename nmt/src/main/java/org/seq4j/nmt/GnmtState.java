package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.seq4j.nn.Attention;

/**
 * The decoding state of a {@link Gnmt}: the encoder memory of each row's source, every decoder
 * layer's {@code h} and {@code c} ({@code [L, rows, H]}), the real source lengths and the width of
 * the attention weights a step returns (the batch's longest source).
 */
final class GnmtState implements StepDecoder.DecoderState {
  private final Attention.Memory memory;
  private final NDArray h;
  private final NDArray c;
  private final int attentionWidth;

  GnmtState(Attention.Memory memory, NDArray h, NDArray c, int attentionWidth) {
    this.memory = memory;
    this.h = h;
    this.c = c;
    this.attentionWidth = attentionWidth;
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
   * @throws IllegalArgumentException if a row is out of range
   */
  @Override
  public GnmtState select(NDManager manager, int[] rows) {
    Attention.Memory selected = memory.select(manager, rows); // checks the rows
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
      return new GnmtState(selected, newH, newC, attentionWidth);
    }
  }
}
