package org.seq4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.io.Checkpoint;
import org.seq4j.optim.GradClip;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.LrSchedule;
import org.seq4j.optim.Optimizer;

/**
 * The one training loop every task uses. Each step is explicit: forward, loss, backward, clip,
 * update — inside a child NDManager closed at the step's end.
 *
 * <p>Exact resume: the data position comes from the task as a pure function of (epoch, index), and
 * the random state of every step is reseeded from (seed, step), both for libtorch (dropout) and for
 * the task's own {@link StepContext#random()}. A checkpoint therefore needs only the step, the
 * position and the seed, and a resumed run retraces the uninterrupted one bit for bit on one
 * thread.
 *
 * <p>Files in the checkpoint directory: {@code last.safetensors} (every {@code checkpointEvery}
 * steps and at the end) and {@code best.safetensors} (whenever the chosen validation metric
 * improves).
 */
public final class TrainLoop {
  /** The checkpoint written every N steps and at the end. */
  public static final String LAST = "last.safetensors";

  /** The checkpoint with the best validation metric so far. */
  public static final String BEST = "best.safetensors";

  private final Config config;
  private final List<TrainListener> listeners = new ArrayList<>();

  private TrainLoop(Config config) {
    this.config = config;
  }

  /** Starts a loop configuration. */
  public static Config builder() {
    return new Config();
  }

  /** Adds a listener; returns this loop. */
  public TrainLoop addListener(TrainListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Trains {@code task} until the budget is spent.
   *
   * @param manager owner of the parameters; each step runs in a child of it
   * @return what the run did
   * @throws TrainingDivergedException on a NaN or infinite loss or gradient
   * @throws UncheckedIOException when a checkpoint cannot be read or written
   */
  public <B> Summary run(
      TrainTask<B> task, Optimizer optimizer, LrSchedule schedule, NDManager manager) {
    Engine engine = Seq4jEngine.get();
    Map<String, NDArray> params = task.parameters();
    int batchesPerEpoch = task.batchesPerEpoch();
    if (batchesPerEpoch <= 0) {
      throw new IllegalArgumentException("the task has no training batches");
    }
    Position pos = new Position();
    if (config.resume) {
      resume(params, optimizer, manager, pos);
    }
    long totalSteps = totalSteps(batchesPerEpoch);
    long startStep = pos.step;
    long start = System.nanoTime();
    Summary summary = new Summary();
    summary.startStep = startStep;
    Throughput throughput = new Throughput();
    Map<String, Double> lastMetrics = Map.of();
    long lastValidated = -1;
    for (TrainListener l : listeners) {
      l.onStart(pos.step, totalSteps);
    }
    try {
      while (!budgetSpent(pos, start)) {
        long step = pos.step;
        long epoch = pos.epoch;
        B batch = task.batch(pos.epoch, pos.batch);
        double lr = schedule.lr(step);
        long stepStart = System.nanoTime();
        double[] lossAndNorm =
            Steps.scoped(
                manager, m -> trainStep(engine, task, batch, optimizer, params, lr, step, m));
        if (!Double.isFinite(lossAndNorm[0]) || !Double.isFinite(lossAndNorm[1])) {
          String reason = skipOrStop(step, lossAndNorm[0], lossAndNorm[1], summary.skippedSteps);
          summary.skippedSteps++;
          pos.advance(batchesPerEpoch);
          for (TrainListener l : listeners) {
            l.onSkippedStep(pos.step, reason);
          }
          continue;
        }
        long tokens = (long) lossAndNorm[2];
        throughput.add(tokens, (System.nanoTime() - stepStart) / 1e9);
        pos.advance(batchesPerEpoch);
        summary.lastLoss = lossAndNorm[0];
        StepStats stats =
            new StepStats(
                pos.step,
                epoch,
                lossAndNorm[0],
                lr,
                lossAndNorm[1],
                tokens,
                throughput.rate(),
                (System.nanoTime() - start) / 1e9,
                totalSteps);
        for (TrainListener l : listeners) {
          l.onStep(stats);
        }
        if (config.validateEvery > 0 && pos.step % config.validateEvery == 0) {
          lastMetrics = validate(task, manager, params, optimizer, pos);
          lastValidated = pos.step;
        }
        if (config.checkpointEvery > 0 && pos.step % config.checkpointEvery == 0) {
          saveCheckpoint(LAST, params, optimizer, pos, false);
        }
      }
      if (config.validateEvery > 0 && lastValidated != pos.step && pos.step > startStep) {
        lastMetrics = validate(task, manager, params, optimizer, pos);
      }
      if (config.checkpointDir != null && pos.step > startStep) {
        saveCheckpoint(LAST, params, optimizer, pos, false);
      }
    } finally {
      summary.endStep = pos.step;
      summary.epoch = pos.epoch;
      summary.seconds = (System.nanoTime() - start) / 1e9;
      summary.metrics = lastMetrics;
      summary.bestValue = pos.bestValue;
      for (TrainListener l : listeners) {
        l.onEnd(summary);
      }
    }
    return summary;
  }

  private <B> double[] trainStep(
      Engine engine,
      TrainTask<B> task,
      B batch,
      Optimizer optimizer,
      Map<String, NDArray> params,
      double lr,
      long step,
      NDManager m) {
    long stepSeed = Seeds.mix(config.seed, step);
    engine.setRandomSeed(Seeds.toInt(stepSeed));
    Gradients.zero(params);
    TrainTask.StepLoss out;
    try (GradientCollector collector = engine.newGradientCollector()) {
      out = task.loss(new StepContext(m, step, stepSeed, true), batch);
      if (!out.loss().getShape().isScalar()) {
        throw new IllegalStateException(
            "the task's loss must be a scalar, got shape " + out.loss().getShape());
      }
      collector.backward(out.loss());
    }
    double loss = out.loss().getFloat();
    if (!Double.isFinite(loss)) {
      return new double[] {loss, Double.NaN, out.tokens()};
    }
    Map<String, NDArray> grads = Gradients.of(params, m);
    double norm = clip(grads);
    if (Double.isFinite(norm)) {
      optimizer.setLearningRate(lr);
      optimizer.step(params, grads);
    }
    return new double[] {loss, norm, out.tokens()};
  }

  /**
   * For a step whose loss or gradient norm is not finite (no update was applied): the reason, and
   * either a skip within {@link Config#skipNonFiniteSteps} or {@link TrainingDivergedException}.
   */
  private String skipOrStop(long step, double loss, double norm, int skippedBefore) {
    String what =
        Double.isFinite(loss)
            ? "the gradient norm is " + norm + " (loss " + loss + ")"
            : "the loss is " + loss;
    String reason = "step " + (step + 1) + ": " + what + "; no update was applied";
    if (skippedBefore >= config.skipNonFiniteSteps) {
      String allowed =
          config.skipNonFiniteSteps == 0
              ? ""
              : " (" + skippedBefore + " such steps skipped already, the most allowed)";
      throw new TrainingDivergedException(step, reason + allowed + ". " + lastGood());
    }
    return reason
        + ", the batch is skipped ("
        + (skippedBefore + 1)
        + " of at most "
        + config.skipNonFiniteSteps
        + ")";
  }

  /** Clips to the configured norm, or only measures the norm when clipping is off. */
  private double clip(Map<String, NDArray> grads) {
    return config.clipNorm > 0
        ? GradClip.byGlobalNorm(grads.values(), config.clipNorm)
        : GradClip.globalNorm(grads.values());
  }

  private String lastGood() {
    if (config.checkpointDir == null) {
      return "No checkpoint directory was set.";
    }
    Path last = config.checkpointDir.resolve(LAST);
    return Files.exists(last)
        ? "The last good checkpoint is kept: " + last + "."
        : "No checkpoint had been written yet.";
  }

  private <B> Map<String, Double> validate(
      TrainTask<B> task,
      NDManager manager,
      Map<String, NDArray> params,
      Optimizer optimizer,
      Position pos) {
    Map<String, Double> metrics = Steps.scoped(manager, task::validate);
    for (TrainListener l : listeners) {
      l.onValidation(pos.step, metrics);
    }
    Double value = metrics.get(config.bestMetric);
    if (value != null && Double.isFinite(value)) {
      boolean better =
          pos.bestValue == null
              || (config.higherIsBetter ? value > pos.bestValue : value < pos.bestValue);
      if (better) {
        pos.bestValue = value;
        saveCheckpoint(BEST, params, optimizer, pos, true);
      }
    }
    return metrics;
  }

  private void saveCheckpoint(
      String name, Map<String, NDArray> params, Optimizer optimizer, Position pos, boolean best) {
    if (config.checkpointDir == null) {
      return;
    }
    Path file = config.checkpointDir.resolve(name);
    try {
      Files.createDirectories(config.checkpointDir);
      new Checkpoint(
              params,
              optimizer.state(),
              optimizerJson(optimizer),
              pos.toJson(config.seed, config.bestMetric),
              config.runConfig)
          .save(file);
    } catch (IOException ex) {
      throw new UncheckedIOException("could not write checkpoint " + file + ": " + ex, ex);
    }
    for (TrainListener l : listeners) {
      l.onCheckpoint(pos.step, file, best);
    }
  }

  private void resume(
      Map<String, NDArray> params, Optimizer optimizer, NDManager manager, Position pos) {
    if (config.checkpointDir == null) {
      throw new IllegalArgumentException("resume needs a checkpoint directory");
    }
    Path file = config.checkpointDir.resolve(LAST);
    if (!Files.exists(file)) {
      return;
    }
    try (NDManager tmp = manager.newSubManager()) {
      Checkpoint ckpt = Checkpoint.load(file, tmp);
      JsonNode opt = ckpt.optimizer();
      if (opt.has("kind") && !opt.get("kind").asText().equals(optimizer.kind())) {
        throw new IllegalArgumentException(
            file
                + " was written by optimizer '"
                + opt.get("kind").asText()
                + "', but this run uses '"
                + optimizer.kind()
                + "'");
      }
      ckpt.copyWeightsInto(params);
      optimizer.loadState(ckpt.optimizerState(), opt.path("step").asLong(0));
      JsonNode p = ckpt.progress();
      if (p.has("seed") && p.get("seed").asLong() != config.seed) {
        throw new IllegalArgumentException(
            file + " was trained with seed " + p.get("seed").asLong() + ", not " + config.seed);
      }
      pos.step = p.path("step").asLong(0);
      pos.epoch = p.path("epoch").asLong(0);
      pos.batch = p.path("batch").asInt(0);
      pos.bestValue = p.hasNonNull("best_value") ? p.get("best_value").asDouble() : null;
    } catch (IOException ex) {
      throw new UncheckedIOException("could not resume from " + file + ": " + ex.getMessage(), ex);
    }
  }

  private static ObjectNode optimizerJson(Optimizer optimizer) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("kind", optimizer.kind());
    node.put("step", optimizer.stepCount());
    node.set("hyper_parameters", new ObjectMapper().valueToTree(optimizer.hyperParameters()));
    return node;
  }

  private long totalSteps(int batchesPerEpoch) {
    long fromEpochs = config.maxEpochs > 0 ? config.maxEpochs * batchesPerEpoch : -1;
    if (config.maxSteps > 0 && fromEpochs > 0) {
      return Math.min(config.maxSteps, fromEpochs);
    }
    return config.maxSteps > 0 ? config.maxSteps : fromEpochs;
  }

  private boolean budgetSpent(Position pos, long startNanos) {
    if (config.maxSteps > 0 && pos.step >= config.maxSteps) {
      return true;
    }
    if (config.maxEpochs > 0 && pos.epoch >= config.maxEpochs) {
      return true;
    }
    return config.maxMinutes > 0 && (System.nanoTime() - startNanos) / 60e9 >= config.maxMinutes;
  }

  /** Where the run stands: updates done, next batch, best metric. */
  private static final class Position {
    long step;
    long epoch;
    int batch;
    Double bestValue;

    void advance(int batchesPerEpoch) {
      step++;
      batch++;
      if (batch == batchesPerEpoch) {
        batch = 0;
        epoch++;
      }
    }

    ObjectNode toJson(long seed, String bestMetric) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("step", step);
      node.put("epoch", epoch);
      node.put("batch", batch);
      node.put("seed", seed);
      node.put("best_metric", bestMetric);
      if (bestValue != null) {
        node.put("best_value", bestValue);
      }
      return node;
    }
  }

  /** Tokens per second over the last few steps. */
  private static final class Throughput {
    private static final int WINDOW = 20;
    private final long[] tokens = new long[WINDOW];
    private final double[] seconds = new double[WINDOW];
    private int count;

    void add(long t, double s) {
      tokens[count % WINDOW] = t;
      seconds[count % WINDOW] = s;
      count++;
    }

    double rate() {
      long t = 0;
      double s = 0;
      for (int i = 0; i < Math.min(count, WINDOW); i++) {
        t += tokens[i];
        s += seconds[i];
      }
      return s > 0 ? t / s : 0;
    }
  }

  /** What a run did. */
  public static final class Summary {
    long startStep;
    long endStep;
    long epoch;
    double seconds;
    double lastLoss = Double.NaN;
    int skippedSteps;
    Double bestValue;
    Map<String, Double> metrics = Map.of();

    /** Steps of this invocation skipped for a loss or gradient that was not finite. */
    public int skippedSteps() {
      return skippedSteps;
    }

    /** The step the run started from (0, or the resumed step). */
    public long startStep() {
      return startStep;
    }

    /** Updates done when the run ended. */
    public long endStep() {
      return endStep;
    }

    /** The epoch the next batch would come from. */
    public long epoch() {
      return epoch;
    }

    /** Wall time of this invocation. */
    public double seconds() {
      return seconds;
    }

    /** The loss of the last step. */
    public double lastLoss() {
      return lastLoss;
    }

    /** The best value of the chosen metric, or null if never validated. */
    public Double bestValue() {
      return bestValue;
    }

    /** The metrics of the last validation. */
    public Map<String, Double> metrics() {
      return metrics;
    }
  }

  /** The loop's settings; {@link #build()} makes the loop. */
  public static final class Config {
    private long maxSteps;
    private long maxEpochs;
    private double maxMinutes;
    private long validateEvery;
    private long checkpointEvery;
    private Path checkpointDir;
    private String bestMetric = "loss";
    private boolean higherIsBetter;
    private double clipNorm;
    private long seed;
    private boolean resume;
    private int skipNonFiniteSteps;
    private JsonNode runConfig = JsonNodeFactory.instance.objectNode();

    private Config() {}

    /** Stop after this many updates in total (resumed ones included); 0 for no limit. */
    public Config maxSteps(long n) {
      this.maxSteps = nonNegative("maxSteps", n);
      return this;
    }

    /** Stop after this many epochs; 0 for no limit. */
    public Config maxEpochs(long n) {
      this.maxEpochs = nonNegative("maxEpochs", n);
      return this;
    }

    /** Stop after this many minutes of this invocation; 0 for no limit. */
    public Config maxMinutes(double minutes) {
      if (!(minutes >= 0)) {
        throw new IllegalArgumentException("maxMinutes must be >= 0, got " + minutes);
      }
      this.maxMinutes = minutes;
      return this;
    }

    /** Validate every N steps and at the end; 0 never. */
    public Config validateEvery(long n) {
      this.validateEvery = nonNegative("validateEvery", n);
      return this;
    }

    /** Write {@code last.safetensors} every N steps; it is also written at the end. */
    public Config checkpointEvery(long n) {
      this.checkpointEvery = nonNegative("checkpointEvery", n);
      return this;
    }

    /** Where checkpoints go; null writes none. */
    public Config checkpointDir(Path dir) {
      this.checkpointDir = dir;
      return this;
    }

    /** The validation metric that picks the best checkpoint, and whether higher is better. */
    public Config bestMetric(String name, boolean higherIsBetter) {
      this.bestMetric = name;
      this.higherIsBetter = higherIsBetter;
      return this;
    }

    /** Clip gradients to this global norm; 0 or less only measures the norm. */
    public Config clipNorm(double maxNorm) {
      this.clipNorm = maxNorm;
      return this;
    }

    /**
     * Skip (pass over without an update) at most {@code n} batches per invocation whose loss or
     * gradient norm is not finite, then stop with {@link TrainingDivergedException}; 0 (the
     * default) stops at the first. For long runs where a rare batch overflows: each skip is
     * reported to the listeners ({@link TrainListener#onSkippedStep}).
     */
    public Config skipNonFiniteSteps(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("skipNonFiniteSteps must be >= 0, got " + n);
      }
      this.skipNonFiniteSteps = n;
      return this;
    }

    /** The run's seed; every step's random state derives from it. */
    public Config seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Continue from {@code last.safetensors} in the checkpoint directory if it exists. */
    public Config resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /** The run's configuration, stored in every checkpoint. */
    public Config runConfig(JsonNode config) {
      this.runConfig = config;
      return this;
    }

    /** Makes the loop; at least one budget (steps, epochs or minutes) is required. */
    public TrainLoop build() {
      if (maxSteps == 0 && maxEpochs == 0 && maxMinutes == 0) {
        throw new IllegalArgumentException(
            "set a training budget: max steps, max epochs or max minutes");
      }
      return new TrainLoop(this);
    }

    private static long nonNegative(String name, long n) {
      if (n < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, got " + n);
      }
      return n;
    }
  }
}
