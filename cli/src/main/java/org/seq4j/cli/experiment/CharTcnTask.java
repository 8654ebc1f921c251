package org.seq4j.cli.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.seq4j.cli.lm.CharLmTask;
import org.seq4j.cli.lm.LmCorpus;
import org.seq4j.cli.lm.TextChunk;
import org.seq4j.cli.lm.TextStreams;
import org.seq4j.engine.Steps;
import org.seq4j.nn.Losses;
import org.seq4j.train.StepContext;
import org.seq4j.train.TrainTask;

/**
 * Trains a {@link CharTcnModel} on the chunks {@link CharLmTask} trains a recurrent model on: the
 * same {@code B} streams ({@link TextStreams}), chunk {@code i} of an epoch being the next {@code
 * T} characters of every stream. Where a recurrent model carries its state into the chunk, the
 * convolutional model reads the {@code context} characters before it again (fewer at the start of a
 * stream); only the chunk's own characters are scored, so each scored character is predicted from
 * up to {@code context} characters before it.
 *
 * <p>Validation scores the same characters as {@link CharLmTask#validate}, the same way: the whole
 * held-out text in {@link CharLmTask#validationStreams} streams, a chunk of {@code T} at a time,
 * with up to {@code context} characters before each chunk read again; the mean loss in nats ({@code
 * loss}) and in bits per character ({@code bpc}).
 */
final class CharTcnTask implements TrainTask<TextChunk> {
  private final CharTcnModel model;
  private final TextStreams train;
  private final TextStreams validation;
  private final int seqLen;
  private final int context;

  /** The target of a context position, which is read but not scored. */
  static final int IGNORE = -1;

  /**
   * @param batch the number of parallel streams, B
   * @param seqLen the characters scored per stream and step, T
   * @param context the characters read again before each chunk; {@code receptiveField() − 1} lets
   *     every scored character see the model's whole receptive field
   */
  CharTcnTask(CharTcnModel model, LmCorpus corpus, int batch, int seqLen, int context) {
    this.model = model;
    this.seqLen = seqLen;
    this.context = context;
    this.train = new TextStreams(corpus.train(), batch);
    int[] validIds = corpus.validation();
    this.validation =
        new TextStreams(validIds, CharLmTask.validationStreams(validIds.length, batch, seqLen));
  }

  @Override
  public Map<String, NDArray> parameters() {
    return model.parameters();
  }

  @Override
  public int batchesPerEpoch() {
    return train.fullChunks(seqLen);
  }

  @Override
  public TextChunk batch(long epoch, int index) {
    return window(train, index * seqLen, seqLen, context);
  }

  @Override
  public StepLoss loss(StepContext context, TextChunk c) {
    NDManager m = context.manager();
    NDArray loss = Losses.crossEntropy(logits(m, c), targets(m, c), IGNORE, 0f);
    return new StepLoss(loss, (long) c.streams() * scored(c));
  }

  @Override
  public Map<String, Double> validate(NDManager manager) {
    double sum = 0;
    long count = 0;
    for (int start = 0; start < validation.length() - 1; start += seqLen) {
      TextChunk c = window(validation, start, seqLen, context);
      double[] score =
          Steps.scoped(
              manager,
              m -> {
                Losses.TokenSum s = Losses.crossEntropySum(logits(m, c), targets(m, c), IGNORE, 0f);
                return new double[] {s.sum().getFloat(), s.count()};
              });
      sum += score[0];
      count += (long) score[1];
    }
    return CharLmTask.metrics(sum, count);
  }

  /**
   * Characters {@code [start − c, start + n)} of every stream, {@code c = min(context, start)} and
   * {@code n = min(length, L − 1 − start)}: the first {@code c} are read as context only (their
   * targets are {@link #IGNORE}), the last {@code n} are scored.
   */
  static TextChunk window(TextStreams streams, int start, int length, int context) {
    int from = Math.max(0, start - context);
    TextChunk c = streams.slice(from, start - from + length);
    int unscored = start - from;
    long[] targets = c.targets().clone();
    for (int b = 0; b < c.streams(); b++) {
      for (int t = 0; t < unscored; t++) {
        targets[b * c.length() + t] = IGNORE;
      }
    }
    return new TextChunk(c.streams(), c.length(), c.inputs(), targets);
  }

  private static int scored(TextChunk c) {
    int n = 0;
    for (int t = 0; t < c.length(); t++) {
      n += c.targets()[t] == IGNORE ? 0 : 1;
    }
    return n;
  }

  private NDArray logits(NDManager m, TextChunk c) {
    return model.logits(m.create(c.inputs(), new Shape(c.streams(), c.length())));
  }

  private static NDArray targets(NDManager m, TextChunk c) {
    return m.create(c.targets(), new Shape(c.streams(), c.length()));
  }
}
