package org.seq4j.cli.lm;

/**
 * The recurrent state handed from one training chunk to the next.
 *
 * <p>{@link org.seq4j.train.TrainLoop} asks for batches by position (epoch, index) through a pure
 * function, so a resumed run sees the same data; the state, though, is a by-product of the previous
 * step. It is therefore carried only between <em>consecutive</em> positions: the state stored after
 * chunk {@code (e, i)} is the initial state of chunk {@code (e, i + 1)} and of no other. Chunk 0 of
 * every epoch starts from zeros (the streams start over), and so does the first chunk after a
 * resume (the state was not saved with the checkpoint) — one chunk that sees a zero state, as at
 * the start of every epoch.
 */
public final class StateCarry {
  private long epoch = -1;
  private int index = -1;
  private HostState state;

  /** Keeps {@code state}, the final state of chunk {@code index} of epoch {@code epoch}. */
  public void store(long epoch, int index, HostState state) {
    this.epoch = epoch;
    this.index = index;
    this.state = state;
  }

  /**
   * The initial state of chunk {@code index} of epoch {@code epoch}: the state stored after the
   * chunk right before it in the same epoch, else null (zeros).
   */
  public HostState initialFor(long epoch, int index) {
    return state != null && index > 0 && this.epoch == epoch && this.index == index - 1
        ? state
        : null;
  }

  /** Forgets the stored state. */
  public void reset() {
    epoch = -1;
    index = -1;
    state = null;
  }
}
