package org.seq4j.cli.quickstart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.seq4j.nn.Losses;
import org.seq4j.train.Seeds;
import org.seq4j.train.StepContext;
import org.seq4j.train.TrainTask;

/**
 * Trains a {@link WindowLanguageModel} on next-character prediction. A batch is a set of random
 * positions in the training text drawn from a seed derived from (seed, epoch, index), so the data
 * order is reproducible and resumable; an epoch is as many batches as cover the text once on
 * average. Validation reads every position of the held-out text (up to a cap) and reports the loss
 * in nats and in bits per character.
 */
public final class WindowLanguageModelTask implements TrainTask<int[]> {
  private static final int VALIDATION_BATCH = 2048;

  private final WindowLanguageModel model;
  private final int[] train;
  private final int[] validation;
  private final int batchSize;
  private final long seed;
  private final int batchesPerEpoch;

  public WindowLanguageModelTask(
      WindowLanguageModel model, CharCorpus corpus, int batchSize, int validationCap, long seed) {
    this.model = model;
    this.train = corpus.train();
    int[] valid = corpus.validation();
    this.validation = valid.length > validationCap ? Arrays.copyOf(valid, validationCap) : valid;
    if (train.length <= model.context() || validation.length <= model.context()) {
      throw new IllegalArgumentException(
          "the text is shorter than the model's context of " + model.context() + " characters");
    }
    this.batchSize = batchSize;
    this.seed = seed;
    this.batchesPerEpoch = Math.max(1, (train.length - model.context()) / batchSize);
  }

  @Override
  public Map<String, NDArray> parameters() {
    return model.parameters();
  }

  @Override
  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  @Override
  public int[] batch(long epoch, int index) {
    SplittableRandom random =
        new SplittableRandom(Seeds.mix(seed, epoch * batchesPerEpoch + index));
    int[] positions = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      positions[i] = random.nextInt(model.context(), train.length);
    }
    return positions;
  }

  @Override
  public StepLoss loss(StepContext context, int[] positions) {
    NDManager m = context.manager();
    NDArray logits = model.forward(windows(m, train, positions));
    NDArray targets = targets(m, train, positions);
    return new StepLoss(Losses.crossEntropy(logits, targets, -1, 0f), positions.length);
  }

  @Override
  public Map<String, Double> validate(NDManager manager) {
    double sum = 0;
    long count = 0;
    for (int start = model.context(); start < validation.length; start += VALIDATION_BATCH) {
      int n = Math.min(VALIDATION_BATCH, validation.length - start);
      int[] positions = new int[n];
      for (int i = 0; i < n; i++) {
        positions[i] = start + i;
      }
      try (NDManager m = manager.newSubManager()) {
        NDArray logits = model.forward(windows(m, validation, positions));
        double mean =
            Losses.crossEntropy(logits, targets(m, validation, positions), -1, 0f).getFloat();
        sum += mean * n;
        count += n;
      }
    }
    double loss = sum / count;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", loss);
    metrics.put("bpc", loss / Math.log(2));
    return metrics;
  }

  /** The {@code [B, context]} windows that end just before each position. */
  private NDArray windows(NDManager m, int[] text, int[] positions) {
    int context = model.context();
    long[] w = new long[positions.length * context];
    for (int i = 0; i < positions.length; i++) {
      for (int j = 0; j < context; j++) {
        w[i * context + j] = text[positions[i] - context + j];
      }
    }
    return m.create(w, new Shape(positions.length, context));
  }

  private static NDArray targets(NDManager m, int[] text, int[] positions) {
    long[] t = new long[positions.length];
    for (int i = 0; i < positions.length; i++) {
      t[i] = text[positions[i]];
    }
    return m.create(t);
  }
}
