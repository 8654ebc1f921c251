package org.seq4j.nn;

import ai.djl.ndarray.NDArray;

/**
 * What a sequence layer returns.
 *
 * @param output the top layer's output {@code [B, T, D * H]} (D = 2 if the top layer is
 *     bidirectional); zero past each sequence's length
 * @param state the final state of every (layer, direction), at each sequence's own last step
 */
public record RnnOutput(NDArray output, RnnState state) {}
