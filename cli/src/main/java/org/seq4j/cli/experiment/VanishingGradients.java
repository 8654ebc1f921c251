package org.seq4j.cli.experiment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Adam;
import org.seq4j.train.Seeds;

/**
 * {@code seq4j experiment vanishing-gradients}: an RNN, an LSTM, a GRU and a TCN trained on the
 * adding problem and on copy-memory ({@link AddingProblem}, {@link CopyMemory}) at several lengths;
 * the final loss against the length, and the norm of the gradient of the loss with respect to the
 * first input step over training.
 */
final class VanishingGradients implements Experiment {
  /**
   * The run's sizes.
   *
   * @param addingLengths the adding problem's {@code T}s
   * @param copyLengths copy-memory's {@code T}s
   * @param hidden the recurrent networks' units
   * @param tcnChannels the TCN's channels per block (its blocks cover the sequence)
   * @param kernel the TCN's kernel
   * @param addingSteps training steps per network on the adding problem
   * @param copySteps training steps per network on copy-memory
   * @param testSize test sequences per run
   */
  record Settings(
      int[] addingLengths,
      int[] copyLengths,
      int hidden,
      int tcnChannels,
      int kernel,
      int batch,
      int addingSteps,
      int copySteps,
      double lr,
      int testSize) {
    int steps(SyntheticTask task) {
      return task instanceof AddingProblem ? addingSteps : copySteps;
    }

    int[] lengths(SyntheticTask task) {
      return task instanceof AddingProblem ? addingLengths : copyLengths;
    }
  }

  /** Times the gradient reaching the first step is measured in a run, besides the last step. */
  static final int MEASUREMENTS = 40;

  static final Settings FULL =
      new Settings(
          new int[] {50, 100, 200}, new int[] {20, 50, 100}, 64, 16, 3, 32, 2000, 1000, 1e-2, 512);

  static final Settings QUICK =
      new Settings(new int[] {10, 50}, new int[] {10, 20}, 32, 8, 3, 32, 2000, 300, 1e-2, 256);

  static final List<SequenceModel.Kind> KINDS =
      List.of(
          SequenceModel.Kind.RNN,
          SequenceModel.Kind.LSTM,
          SequenceModel.Kind.GRU,
          SequenceModel.Kind.TCN);

  /**
   * One trained model.
   *
   * @param testLoss the loss on the fixed test set after training
   * @param gradientSteps the steps at which the first step's gradient was measured
   * @param gradientNorms the norm of the gradient of one sequence's loss with respect to its first
   *     input step, averaged over the batch
   */
  record Result(
      String task,
      SequenceModel.Kind kind,
      int t,
      long parameters,
      int receptiveField,
      double testLoss,
      double[] gradientSteps,
      double[] gradientNorms,
      double seconds) {}

  @Override
  public String name() {
    return "vanishing-gradients";
  }

  @Override
  public void run(ExperimentRun run) throws IOException {
    run(run, run.quick() ? QUICK : FULL);
  }

  /** Runs the study with sizes {@code s}. */
  void run(ExperimentRun run, Settings s) throws IOException {
    List<Result> results = new ArrayList<>();
    List<SyntheticTask> tasks = List.of(new AddingProblem(), new CopyMemory());
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      for (SyntheticTask task : tasks) {
        for (int t : s.lengths(task)) {
          for (SequenceModel.Kind kind : KINDS) {
            Result r = train(manager, run, s, task, t, kind);
            run.console()
                .printf(
                    Locale.ROOT,
                    "%-12s T=%-4d %-4s %,7d parameters  test loss %.4g (chance %.4g)  %.1f s%n",
                    task.name(),
                    t,
                    kind.label(),
                    r.parameters(),
                    r.testLoss(),
                    task.chance(t),
                    r.seconds());
            results.add(r);
          }
        }
      }
    }
    Report report =
        new Report(run.out(), run.console(), "Vanishing gradients: RNN, LSTM, GRU and TCN");
    new VanishingGradientsReport(report, s, run, tasks).write(results);
    run.console().println("report: " + report.write());
  }

  private static SequenceModel model(
      NDManager manager, Settings s, SyntheticTask task, int t, SequenceModel.Kind kind) {
    if (kind == SequenceModel.Kind.TCN) {
      int levels = SequenceModel.levelsToCover(task.length(t), s.kernel());
      // No dropout, as in the reference scripts for the adding and copy-memory problems.
      return SequenceModel.tcn(
          manager, task.inputs(), s.tcnChannels(), levels, s.kernel(), 0f, task.outputs());
    }
    return SequenceModel.recurrent(manager, kind, task.inputs(), s.hidden(), task.outputs());
  }

  /** Trains one model on one task and length, measuring the first step's gradient as it goes. */
  static Result train(
      NDManager parent,
      ExperimentRun run,
      Settings s,
      SyntheticTask task,
      int t,
      SequenceModel.Kind kind) {
    long start = System.nanoTime();
    Engine engine = parent.getEngine();
    try (NDManager manager = parent.newSubManager()) {
      engine.setRandomSeed(Seeds.toInt(Seeds.mix(run.seed(), kind.ordinal())));
      SequenceModel model = model(manager, s, task, t, kind);
      // Every model of a task and length sees the same batches.
      SplittableRandom data = new SplittableRandom(Seeds.mix(run.seed(), 100 + t));
      List<double[]> gradients = new ArrayList<>();
      int steps = s.steps(task);
      int measureEvery = Math.max(1, steps / MEASUREMENTS);
      try (Adam adam = new Adam(manager, s.lr())) {
        for (int step = 0; step < steps; step++) {
          SyntheticTask.Batch batch = task.sample(data, s.batch(), t);
          boolean measure = step % measureEvery == 0 || step == steps - 1;
          FirstStepGradient body = new FirstStepGradient(task, model, batch, measure);
          TrainStep.run(manager, model.parameters(), adam, 1.0, body);
          if (measure) {
            gradients.add(new double[] {step, body.norm});
          }
        }
      }
      double testLoss = testLoss(manager, run, s, task, t, model);
      return new Result(
          task.name(),
          kind,
          t,
          model.size(),
          model.receptiveField(),
          testLoss,
          gradients.stream().mapToDouble(g -> g[0]).toArray(),
          gradients.stream().mapToDouble(g -> g[1]).toArray(),
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** The loss on a fixed test set, the same for every model of a task and length. */
  private static double testLoss(
      NDManager manager,
      ExperimentRun run,
      Settings s,
      SyntheticTask task,
      int t,
      SequenceModel model) {
    SyntheticTask.Batch test =
        task.sample(new SplittableRandom(Seeds.mix(run.seed(), 10_000 + t)), s.testSize(), t);
    return Steps.scoped(
        manager,
        m -> {
          NDArray x = m.create(test.x(), new Shape(test.size(), test.length(), task.inputs()));
          return (double) task.loss(m, model, x, test).getFloat();
        });
  }

  /**
   * A training step that, when asked, also measures the gradient of the loss with respect to the
   * first input step: per sequence, the norm of {@code ∂ℓ/∂x₁} where {@code ℓ} is that sequence's
   * loss ({@code B} times the batch loss's gradient), averaged over the batch.
   */
  private static final class FirstStepGradient implements TrainStep.Body {
    private final SyntheticTask task;
    private final SequenceModel model;
    private final SyntheticTask.Batch batch;
    private final boolean measure;
    private NDArray x;
    double norm = Double.NaN;

    FirstStepGradient(
        SyntheticTask task, SequenceModel model, SyntheticTask.Batch batch, boolean measure) {
      this.task = task;
      this.model = model;
      this.batch = batch;
      this.measure = measure;
    }

    @Override
    public NDArray loss(NDManager m) {
      x = m.create(batch.x(), new Shape(batch.size(), batch.length(), task.inputs()));
      if (measure) {
        x.setRequiresGradient(true);
      }
      return task.loss(m, model, x, batch);
    }

    @Override
    public void afterBackward() {
      if (measure) {
        NDArray first = x.getGradient().get(":, 0, :");
        norm = first.square().sum(new int[] {1}).sqrt().mean().getFloat() * batch.size();
      }
    }
  }
}
