package org.seq4j.cli.quickstart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A feed-forward character language model over a fixed window of previous characters (Bengio et al.
 * 2003): embed each of the {@code context} characters, concatenate, one tanh hidden layer, then
 * logits over the vocabulary. Parameter names and layouts are those of the equivalent PyTorch
 * module ({@code nn.Embedding} {@code embedding}, {@code nn.Linear} {@code hidden} and {@code
 * output}).
 */
public final class WindowLanguageModel {
  private final int context;
  private final Map<String, NDArray> params = new LinkedHashMap<>();

  /**
   * Creates the parameters in {@code manager}, initialized as PyTorch does (embedding N(0, 1),
   * linear layers U(-1/sqrt(in), 1/sqrt(in))), from libtorch's generator seeded by the caller.
   */
  public WindowLanguageModel(
      NDManager manager, int vocabulary, int context, int embedding, int hidden) {
    this.context = context;
    add("embedding.weight", manager.randomNormal(new Shape(vocabulary, embedding)));
    int in = context * embedding;
    add("hidden.weight", uniform(manager, new Shape(hidden, in), in));
    add("hidden.bias", uniform(manager, new Shape(hidden), in));
    add("output.weight", uniform(manager, new Shape(vocabulary, hidden), hidden));
    add("output.bias", uniform(manager, new Shape(vocabulary), hidden));
  }

  private static NDArray uniform(NDManager manager, Shape shape, int fanIn) {
    float bound = (float) (1 / Math.sqrt(fanIn));
    return manager.randomUniform(-bound, bound, shape, DataType.FLOAT32);
  }

  private void add(String name, NDArray array) {
    array.setRequiresGradient(true);
    params.put(name, array);
  }

  /** The parameters by PyTorch name. */
  public Map<String, NDArray> parameters() {
    return params;
  }

  /** The number of previous characters the model reads. */
  public int context() {
    return context;
  }

  /** The number of scalar parameters. */
  public long size() {
    return params.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /**
   * Next-character logits.
   *
   * @param windows {@code [B, context]} character ids (INT64)
   * @return {@code [B, vocabulary]}
   */
  public NDArray forward(NDArray windows) {
    NDArray table = params.get("embedding.weight");
    NDArray embedded =
        table.getNDArrayInternal().embedding(windows, table, SparseFormat.DENSE).singletonOrThrow();
    NDArray flat = embedded.reshape(windows.getShape().get(0), -1);
    NDArray h =
        flat.getNDArrayInternal()
            .linear(flat, params.get("hidden.weight"), params.get("hidden.bias"))
            .singletonOrThrow()
            .tanh();
    return h.getNDArrayInternal()
        .linear(h, params.get("output.weight"), params.get("output.bias"))
        .singletonOrThrow();
  }
}
