package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seq4j.nn.Losses;
import org.seq4j.text.Bleu;
import org.seq4j.text.SentencePair;
import org.seq4j.text.SubwordTokenizer;
import org.seq4j.train.BucketSampler;
import org.seq4j.train.StepContext;
import org.seq4j.train.TrainTask;

/**
 * GNMT training as a {@link org.seq4j.train.TrainLoop} task: length-bucketed batches under a
 * max-tokens budget, label-smoothed cross-entropy, and validation by dev loss and dev BLEU.
 *
 * <p><b>Batches.</b> A pair's length is {@code max(|x|, |y| + 1)} (the decoder reads BOS + y and
 * predicts y + EOS); {@link BucketSampler} groups pairs of similar length so that {@code pairs ×
 * longest <= maxTokens}, shuffled by a seed derived from (seed, epoch): {@link #batch} is a pure
 * function of (epoch, index), so a resumed run sees the same batches.
 *
 * <p><b>Loss.</b> The mean label-smoothed cross-entropy over the target tokens, EOS included
 * ({@link Gnmt#loss}); a step's token count is its number of target tokens.
 *
 * <p><b>Validation</b> ({@link #validate}), with dropout off:
 *
 * <ul>
 *   <li>{@code loss}: the dev loss as training computes it (label smoothing included), so it sits
 *       on the same scale as the training loss;
 *   <li>{@code nll} and {@code ppl}: the plain cross-entropy per target token (nats) and its
 *       exponential;
 *   <li>{@code bleu}: corpus BLEU of the dev translations ({@link Translator}: beam search, then
 *       the tokenizer's decoding) against the dev references, sacreBLEU's default ({@link
 *       Bleu#sacreDefault}). Left out when no translator is given.
 * </ul>
 */
public final class NmtTask implements TrainTask<NmtTask.Batch> {
  private final Gnmt model;
  private final EncodedPairs train;
  private final BucketSampler sampler;
  private final float labelSmoothing;
  private final int maxTokens;
  private final List<int[]> devSources;
  private final List<int[]> devTargets;
  private final List<String> devSourceText;
  private final List<String> devReferences;
  private final Translator translator;

  /**
   * One training batch in plain Java form.
   *
   * @param sources source ids, without BOS/EOS
   * @param targets target ids, without BOS/EOS
   * @param targetTokens the target tokens scored, EOS included
   */
  public record Batch(List<int[]> sources, List<int[]> targets, long targetTokens) {}

  /**
   * @param model the initialized model to train
   * @param train the encoded training pairs
   * @param dev the dev pairs (raw text), encoded with {@code tokenizer} for the dev loss
   * @param tokenizer the tokenizer the pairs were encoded with
   * @param maxTokens the padded-token budget of a batch (positive)
   * @param labelSmoothing the smoothing ε of the loss, in {@code [0, 1)}
   * @param translator translates the dev sources for BLEU; null for no BLEU
   * @param seed the seed of the batch order
   * @throws IllegalArgumentException when there are no training or no dev pairs, or a setting is
   *     out of range
   */
  public NmtTask(
      Gnmt model,
      EncodedPairs train,
      List<SentencePair> dev,
      SubwordTokenizer tokenizer,
      int maxTokens,
      float labelSmoothing,
      Translator translator,
      long seed) {
    if (train.size() == 0) {
      throw new IllegalArgumentException("no training pairs left to train on");
    }
    if (dev.isEmpty()) {
      throw new IllegalArgumentException("no dev pairs to validate on");
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException(
          "label smoothing must be in [0, 1), got " + labelSmoothing);
    }
    this.model = model;
    this.train = train;
    this.maxTokens = maxTokens;
    this.labelSmoothing = labelSmoothing;
    this.translator = translator;
    int[] lengths = new int[train.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = length(train.sources().get(i), train.targets().get(i));
    }
    this.sampler = new BucketSampler(lengths, maxTokens, seed);
    this.devSources = new ArrayList<>();
    this.devTargets = new ArrayList<>();
    this.devSourceText = new ArrayList<>();
    this.devReferences = new ArrayList<>();
    for (SentencePair p : dev) {
      devSources.add(tokenizer.encode(p.source()));
      devTargets.add(tokenizer.encode(p.target()));
      devSourceText.add(p.source());
      devReferences.add(p.target());
    }
  }

  private static int length(int[] source, int[] target) {
    return Math.max(source.length, target.length + 1);
  }

  @Override
  public Map<String, NDArray> parameters() {
    return new LinkedHashMap<>(model.stateDict());
  }

  @Override
  public int batchesPerEpoch() {
    return sampler.batchesPerEpoch();
  }

  @Override
  public Batch batch(long epoch, int index) {
    int[] rows = sampler.batch(epoch, index);
    List<int[]> sources = new ArrayList<>(rows.length);
    List<int[]> targets = new ArrayList<>(rows.length);
    long tokens = 0;
    for (int i : rows) {
      sources.add(train.sources().get(i));
      targets.add(train.targets().get(i));
      tokens += train.targets().get(i).length + 1;
    }
    return new Batch(sources, targets, tokens);
  }

  @Override
  public StepLoss loss(StepContext context, Batch batch) {
    GnmtBatch b = GnmtBatch.of(context.manager(), batch.sources(), batch.targets(), model.config());
    return new StepLoss(model.loss(b, labelSmoothing, context.training()), batch.targetTokens());
  }

  @Override
  public Map<String, Double> validate(NDManager manager) {
    double smoothed = 0;
    double nll = 0;
    long tokens = 0;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < devSources.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> length(devSources.get(i), devTargets.get(i))));
    int start = 0;
    while (start < order.size()) {
      int end = start + 1;
      while (end < order.size()
          && (long) (end - start + 1)
                  * length(devSources.get(order.get(end)), devTargets.get(order.get(end)))
              <= maxTokens) {
        end++;
      }
      List<int[]> xs = new ArrayList<>();
      List<int[]> ys = new ArrayList<>();
      for (int k = start; k < end; k++) {
        xs.add(devSources.get(order.get(k)));
        ys.add(devTargets.get(order.get(k)));
      }
      try (NDManager m = manager.newSubManager()) {
        GnmtBatch b = GnmtBatch.of(m, xs, ys, model.config());
        NDArray logits = model.logits(b.sources(), b.sourceLengths(), b.targetInputs(), false);
        Losses.TokenSum ls =
            Losses.crossEntropySum(logits, b.targetOutputs(), model.config().pad(), labelSmoothing);
        Losses.TokenSum plain =
            Losses.crossEntropySum(logits, b.targetOutputs(), model.config().pad(), 0f);
        smoothed += ls.sum().getFloat();
        nll += plain.sum().getFloat();
        tokens += plain.count();
      }
      start = end;
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", smoothed / Math.max(1, tokens));
    metrics.put("nll", nll / Math.max(1, tokens));
    metrics.put("ppl", Math.exp(nll / Math.max(1, tokens)));
    if (translator != null) {
      metrics.put("bleu", devBleu(manager));
    }
    return metrics;
  }

  /** The dev translations' corpus BLEU. */
  private double devBleu(NDManager manager) {
    List<String> hypotheses = translator.translateText(manager, devSourceText);
    return Bleu.sacreDefault().corpusScore(hypotheses, List.of(devReferences)).score();
  }

  /** The training pairs. */
  public EncodedPairs train() {
    return train;
  }
}
