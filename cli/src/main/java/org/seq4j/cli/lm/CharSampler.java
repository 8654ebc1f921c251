package org.seq4j.cli.lm;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.seq4j.cli.sampling.SoftmaxSampler;
import org.seq4j.engine.Steps;

/**
 * Generates text from a {@link CharRnnLanguageModel}, one character at a time: the model reads a
 * context, then each drawn character is fed back with the recurrent state carried. Every step runs
 * in its own scope ({@link Steps#scoped}); the state lives in Java arrays between steps.
 */
public final class CharSampler {
  private final CharRnnLanguageModel model;
  private final NDManager manager;

  /** Samples from {@code model}, with arrays created under {@code manager}. */
  public CharSampler(CharRnnLanguageModel model, NDManager manager) {
    this.model = model;
    this.manager = manager;
  }

  /**
   * Reads {@code context} (at least one character; unknown characters read as UNK), then draws
   * {@code length} characters from softmax(logits / {@code temperature}) with a generator seeded by
   * {@code seed}. UNK is never drawn.
   *
   * @param onCharacter receives each drawn character as it comes (to stream it), or null
   * @return the drawn characters
   */
  public String sample(
      String context, int length, double temperature, long seed, IntConsumer onCharacter) {
    SoftmaxSampler.checkTemperature(temperature);
    if (context.isEmpty()) {
      throw new IllegalArgumentException("the context to sample from is empty");
    }
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    Vocabulary vocabulary = model.config().vocabulary();
    int[] ids = vocabulary.encode(context);
    Step step = feed(ids, null);
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int next = SoftmaxSampler.draw(step.logits(), temperature, random, Vocabulary.UNK);
      String ch = vocabulary.character(next);
      out.append(ch);
      if (onCharacter != null) {
        onCharacter.accept(ch.codePointAt(0));
      }
      if (i + 1 < length) {
        step = feed(new int[] {next}, step.state());
      }
    }
    return out.toString();
  }

  /** The logits after the last of {@code ids} and the state after all of them. */
  private record Step(float[] logits, HostState state) {}

  private Step feed(int[] ids, HostState state) {
    return Steps.scoped(
        manager,
        m -> {
          long[] x = new long[ids.length];
          for (int i = 0; i < ids.length; i++) {
            x[i] = ids[i];
          }
          CharRnnLanguageModel.Output out =
              model.forward(
                  m.create(x, new Shape(1, ids.length)),
                  state == null ? null : state.toRnnState(m),
                  false);
          float[] logits = out.logits().get(0, ids.length - 1).toFloatArray();
          return new Step(logits, HostState.of(out.state()));
        });
  }
}
