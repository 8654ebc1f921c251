package org.seq4j.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A convolutional character language model: character embedding, a causal {@link org.seq4j.nn.Tcn}
 * without dropout, and a linear layer to next-character logits — the convolutional counterpart of
 * {@link org.seq4j.cli.lm.CharRnnLanguageModel}. The logits at position {@code t} depend on the
 * characters at {@code t − receptiveField() + 1, …, t} only.
 */
final class CharTcnModel {
  private final SequenceModel network;
  private final Map<String, NDArray> params = new LinkedHashMap<>();

  /**
   * Creates the parameters in {@code manager} (embedding N(0, 1), as {@code nn.Embedding}), from
   * libtorch's generator, which the caller seeds.
   *
   * @param vocabulary the number of character ids
   * @param embedding the size of a character embedding
   * @param channels the width of every block
   * @param levels the number of blocks (dilations 1, 2, 4, ...)
   * @param kernel the taps of every convolution
   */
  CharTcnModel(
      NDManager manager, int vocabulary, int embedding, int channels, int levels, int kernel) {
    NDArray table = manager.randomNormal(new Shape(vocabulary, embedding));
    table.setRequiresGradient(true);
    params.put("embedding.weight", table);
    network = SequenceModel.tcn(manager, embedding, channels, levels, kernel, 0f, vocabulary);
    params.putAll(network.parameters());
  }

  /** The parameters by name; the live arrays. */
  Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /** The number of scalar parameters. */
  long size() {
    return params.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /** The characters each prediction reads, the current one included. */
  int receptiveField() {
    return network.receptiveField();
  }

  /** Next-character logits for every position: {@code ids [B, T] (INT64) → [B, T, vocabulary]}. */
  NDArray logits(NDArray ids) {
    NDArray table = params.get("embedding.weight");
    NDArray embedded =
        table.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    return network.everyStep(embedded);
  }
}
