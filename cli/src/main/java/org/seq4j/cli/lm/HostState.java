package org.seq4j.cli.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.seq4j.nn.RnnState;

/**
 * A recurrent state copied out of libtorch into plain Java arrays: detached from the graph and
 * independent of any {@link NDManager}, so it outlives the step that computed it.
 *
 * @param shape the shape of {@code h} and {@code c}, {@code [layers * directions, B, H]}
 * @param h the hidden state, row-major
 * @param c the cell state of an LSTM, else null
 */
public record HostState(long[] shape, float[] h, float[] c) {

  /** Copies (and so detaches) {@code state}. */
  public static HostState of(RnnState state) {
    return new HostState(
        state.h().getShape().getShape(),
        state.h().toFloatArray(),
        state.c() == null ? null : state.c().toFloatArray());
  }

  /** The state as arrays of {@code manager}, without gradient. */
  public RnnState toRnnState(NDManager manager) {
    Shape s = new Shape(shape);
    NDArray hh = manager.create(h, s);
    return new RnnState(hh, c == null ? null : manager.create(c, s));
  }
}
