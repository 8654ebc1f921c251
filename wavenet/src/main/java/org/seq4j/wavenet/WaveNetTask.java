package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.seq4j.train.StepContext;
import org.seq4j.train.TrainTask;

/**
 * WaveNet training as a {@link org.seq4j.train.TrainLoop} task: teacher forcing on random windows
 * of the training stream, cross-entropy only where the receptive field is full ({@link
 * WaveNet#loss}), and validation NLL over whole held-out clips ({@link WaveNetNll}).
 *
 * <p>A window is {@code receptiveField + scored} samples long and scores its last {@code scored}
 * samples. Its start is drawn uniformly from the training stream by a generator seeded from (seed,
 * epoch, index), so a resumed run draws the same windows. One epoch is as many batches as it takes
 * to score about as many samples as the stream holds.
 *
 * <p>Validation metrics: {@code loss} (nats per sample) and {@code bits} (bits per sample; a
 * uniform guess over 256 classes is 8).
 */
public final class WaveNetTask implements TrainTask<long[]> {
  private final WaveNet net;
  private final MuLawCorpus corpus;
  private final int batch;
  private final int scored;
  private final int window;
  private final long seed;

  /**
   * @param net the initialized network to train
   * @param corpus the audio
   * @param batch windows per step
   * @param scored samples scored per window
   * @param seed the seed of the window positions
   * @throws IllegalArgumentException if the training stream is shorter than one window
   */
  public WaveNetTask(WaveNet net, MuLawCorpus corpus, int batch, int scored, long seed) {
    if (batch < 1 || scored < 1) {
      throw new IllegalArgumentException(
          "batch and scored samples must be positive, got " + batch + " and " + scored);
    }
    this.net = net;
    this.corpus = corpus;
    this.batch = batch;
    this.scored = scored;
    this.window = Math.toIntExact(net.receptiveField() + scored);
    this.seed = seed;
    if (corpus.trainSamples() < window) {
      throw new IllegalArgumentException(
          "the training audio ("
              + corpus.trainSamples()
              + " samples) is shorter than one window ("
              + window
              + " = receptive field "
              + net.receptiveField()
              + " + "
              + scored
              + " scored samples); use more audio or fewer scored samples per window");
    }
  }

  /** The samples of one window: receptive field plus scored samples. */
  public int window() {
    return window;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return new LinkedHashMap<>(net.stateDict());
  }

  @Override
  public int batchesPerEpoch() {
    return (int) Math.max(1, corpus.trainSamples() / ((long) batch * scored));
  }

  /** The windows of one batch, row-major {@code [batch, window]}. */
  @Override
  public long[] batch(long epoch, int index) {
    SplittableRandom random =
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (epoch << 32) ^ index);
    int[] stream = corpus.trainStream();
    int starts = stream.length - window + 1;
    long[] out = new long[batch * window];
    for (int b = 0; b < batch; b++) {
      int from = random.nextInt(starts);
      for (int t = 0; t < window; t++) {
        out[b * window + t] = stream[from + t];
      }
    }
    return out;
  }

  @Override
  public StepLoss loss(StepContext context, long[] windows) {
    NDArray classes = context.manager().create(windows, new Shape(batch, window));
    return new StepLoss(net.loss(classes, null, null, true), (long) batch * scored);
  }

  @Override
  public Map<String, Double> validate(NDManager manager) {
    if (corpus.valid().isEmpty()) {
      return Map.of();
    }
    WaveNetNll.Result r = WaveNetNll.score(net, manager, corpus.valid(), WaveNetNll.DEFAULT_PIECE);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", r.natsPerSample());
    metrics.put("bits", r.bitsPerSample());
    return metrics;
  }
}
