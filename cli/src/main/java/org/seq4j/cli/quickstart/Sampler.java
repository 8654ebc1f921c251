package org.seq4j.cli.quickstart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.seq4j.cli.sampling.SoftmaxSampler;
import org.seq4j.engine.Steps;

/** Generates text from a {@link WindowLanguageModel}, one character at a time. */
public final class Sampler {
  private Sampler() {}

  /**
   * Continues {@code prime} by {@code length} characters, drawing each from softmax(logits / T)
   * with a seeded generator. Characters of the prime unknown to the model are skipped.
   */
  public static String sample(
      WindowLanguageModel model,
      CharCorpus corpus,
      NDManager manager,
      String prime,
      int length,
      double temperature,
      long seed) {
    SoftmaxSampler.checkTemperature(temperature);
    int context = model.context();
    int pad = Math.max(0, corpus.id('\n'));
    long[] window = new long[context];
    java.util.Arrays.fill(window, pad);
    StringBuilder out = new StringBuilder(prime);
    prime.codePoints().map(corpus::id).filter(id -> id >= 0).forEach(id -> push(window, id));
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < length; i++) {
      float[] logits =
          Steps.scoped(
              manager,
              m -> {
                NDArray x = m.create(window, new Shape(1, context));
                return model.forward(x).toFloatArray();
              });
      int next = SoftmaxSampler.draw(logits, temperature, random, -1);
      out.append(corpus.character(next));
      push(window, next);
    }
    return out.toString();
  }

  private static void push(long[] window, long id) {
    System.arraycopy(window, 1, window, 0, window.length - 1);
    window[window.length - 1] = id;
  }
}
