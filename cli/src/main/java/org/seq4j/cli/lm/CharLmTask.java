package org.seq4j.cli.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seq4j.engine.Steps;
import org.seq4j.nn.Losses;
import org.seq4j.nn.RnnState;
import org.seq4j.train.StepContext;
import org.seq4j.train.TrainTask;

/**
 * Trains a {@link CharRnnLanguageModel} with truncated back-propagation through time.
 *
 * <p>The training text is cut into {@code B} parallel streams ({@link TextStreams}); batch {@code
 * i} of an epoch is chunk {@code i}: the next {@code T} characters of every stream. The final
 * recurrent state of a chunk, detached, is the initial state of the next chunk, so the model learns
 * from contexts longer than {@code T} while gradients stop at chunk boundaries. The state is
 * carried between consecutive positions only ({@link StateCarry}): it is reset at the start of
 * every epoch and after a resume.
 *
 * <p>Validation reads the whole held-out text the same way — {@link #validationStreams} streams,
 * chunks of {@code T}, state carried — and reports the mean loss in nats ({@code loss}) and in bits
 * per character ({@code bpc}).
 */
public final class CharLmTask implements TrainTask<CharLmTask.Batch> {
  private final CharRnnLanguageModel model;
  private final TextStreams train;
  private final TextStreams validation;
  private final int seqLen;
  private final StateCarry carry = new StateCarry();
  private int validationPerStream = Integer.MAX_VALUE;

  /**
   * A training batch: chunk {@code index} of epoch {@code epoch}.
   *
   * @param epoch the epoch
   * @param index the chunk's position in the epoch
   * @param chunk the characters
   */
  public record Batch(long epoch, int index, TextChunk chunk) {}

  /**
   * @param model the model to train
   * @param corpus the text
   * @param batch the number of parallel streams, B
   * @param seqLen the characters per stream and step, T
   * @throws IllegalArgumentException if the training text is shorter than one chunk
   */
  public CharLmTask(CharRnnLanguageModel model, LmCorpus corpus, int batch, int seqLen) {
    this.model = model;
    this.seqLen = seqLen;
    int[] trainIds = corpus.train();
    if (trainIds.length / batch < seqLen + 1) {
      throw new IllegalArgumentException(
          "the training text ("
              + trainIds.length
              + " characters) is too short for --batch "
              + batch
              + " streams of --seq-len "
              + seqLen
              + " + 1 characters; lower --batch or --seq-len");
    }
    this.train = new TextStreams(trainIds, batch);
    int[] validIds = corpus.validation();
    this.validation = new TextStreams(validIds, validationStreams(validIds.length, batch, seqLen));
  }

  /**
   * The number of validation streams: {@code batch}, or fewer for a short text, so that each stream
   * holds at least {@code seqLen + 1} characters (at least one).
   */
  public static int validationStreams(int characters, int batch, int seqLen) {
    return Math.max(1, Math.min(batch, characters / (seqLen + 1)));
  }

  /**
   * Validates on about {@code characters} of the held-out text instead of all of it: the first
   * {@code characters / streams} of each validation stream, so the sample still spans the whole
   * text (each stream starts at another place in it).
   *
   * @return this task
   */
  public CharLmTask limitValidation(int characters) {
    if (characters <= 0) {
      throw new IllegalArgumentException("the validation sample must be > 0, got " + characters);
    }
    this.validationPerStream = Math.max(1, characters / validation.streams());
    return this;
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
  public Batch batch(long epoch, int index) {
    return new Batch(epoch, index, train.chunk(index, seqLen));
  }

  @Override
  public StepLoss loss(StepContext context, Batch batch) {
    NDManager m = context.manager();
    HostState initial = carry.initialFor(batch.epoch(), batch.index());
    TextChunk c = batch.chunk();
    CharRnnLanguageModel.Output out =
        model.forward(
            inputs(m, c), initial == null ? null : initial.toRnnState(m), context.training());
    carry.store(batch.epoch(), batch.index(), HostState.of(out.state()));
    NDArray loss = Losses.crossEntropy(out.logits(), targets(m, c), -1, 0f);
    return new StepLoss(loss, (long) c.streams() * c.length());
  }

  @Override
  public Map<String, Double> validate(NDManager manager) {
    double sum = 0;
    long count = 0;
    HostState state = null;
    int end = (int) Math.min(validation.length() - 1L, validationPerStream);
    for (int start = 0; start < end; start += seqLen) {
      TextChunk c = validation.slice(start, Math.min(seqLen, end - start));
      HostState initial = state;
      ChunkScore score =
          Steps.scoped(
              manager,
              m -> {
                RnnState init = initial == null ? null : initial.toRnnState(m);
                CharRnnLanguageModel.Output out = model.forward(inputs(m, c), init, false);
                Losses.TokenSum s = Losses.crossEntropySum(out.logits(), targets(m, c), -1, 0f);
                return new ChunkScore(s.sum().getFloat(), s.count(), HostState.of(out.state()));
              });
      sum += score.sum();
      count += score.count();
      state = score.state();
    }
    return metrics(sum, count);
  }

  /**
   * The validation metrics of {@code count} characters whose losses sum to {@code sum} nats: the
   * mean loss in nats ({@code loss}) and in bits per character ({@code bpc}).
   */
  public static Map<String, Double> metrics(double sum, long count) {
    double loss = sum / count;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", loss);
    metrics.put("bpc", loss / Math.log(2));
    return metrics;
  }

  /** The summed loss of one validation chunk, its character count, and the state after it. */
  private record ChunkScore(double sum, long count, HostState state) {}

  private static NDArray inputs(NDManager m, TextChunk c) {
    return m.create(c.inputs(), new Shape(c.streams(), c.length()));
  }

  private static NDArray targets(NDManager m, TextChunk c) {
    return m.create(c.targets(), new Shape(c.streams(), c.length()));
  }
}
