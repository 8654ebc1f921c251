package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * What beam search needs from a translation model: encode once, then decode one token at a time.
 */
public interface StepDecoder {
  /** Begin-of-sentence id, fed at the first step. */
  int bos();

  /** End-of-sentence id. */
  int eos();

  /** Target vocabulary size. */
  int vocabularySize();

  /**
   * Encodes a batch of source sentences (token ids without BOS/EOS; may be empty) into a state with
   * one row per sentence. Arrays of the state are attached to {@code manager}.
   */
  DecoderState start(NDManager manager, List<int[]> sources);

  /**
   * Feeds one token per row and advances the state. Returns log-probabilities [rows,
   * vocabularySize] and attention weights [rows, maxSourceLength] of this step (exactly 0 on source
   * padding); the returned arrays and the new state are attached to {@code manager}.
   */
  StepOutput step(NDManager manager, DecoderState state, int[] tokens);

  /** The decoder state of a batch of rows. */
  interface DecoderState {
    int rows();

    /** Real (unpadded) source length of each row. */
    int[] sourceLengths();

    /**
     * A state with these rows of this one, in this order (repeats allowed); attached to manager.
     */
    DecoderState select(NDManager manager, int[] rows);
  }

  /** One decoding step's output; {@code next} is the advanced state. */
  record StepOutput(NDArray logProbs, NDArray attention, DecoderState next) {}
}
