package org.seq4j.cli.experiment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.seq4j.cli.data.SunspotSeries;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.optim.Adam;
import org.seq4j.train.Seeds;

/**
 * One-step forecasting of the yearly sunspot numbers ({@link SunspotSeries}, 1700–2008): each year
 * predicted from the years before it, by two baselines that learn nothing (seasonal naive, {@code
 * y[t] = y[t−11]}, and naive, {@code y[t] = y[t−1]}) and by three networks that read a window of
 * past years (a {@link WindowMlp}, an LSTM and a TCN, {@link SequenceModel}).
 *
 * <p>The series is yearly, not monthly: Debian's statsmodels ships no monthly series. Its seasonal
 * period is the solar cycle, about 11 years, but the cycle runs from about 9 to 14 years and its
 * height changes from cycle to cycle, so seasonal naive is a weak baseline.
 *
 * <p>The split is chronological: targets up to {@link #TRAIN_LAST} train, up to {@link #VALID_LAST}
 * validate (the epoch with the lowest validation MAE is kept), the rest test. Each part holds whole
 * solar cycles or more: training about 19, validation 3 (cycles 16 to 18), test the last 5 (19 to
 * 23, with 1957, the highest year of the series, above every training year). The inputs of a target
 * are the observed years before it, which may lie in an earlier part; no target of a later part is
 * ever trained on. Values are standardized with the mean and deviation of the training years only.
 */
final class SunspotForecasting {
  /**
   * MAE on the test years of each forecaster, in the order of the table (label -> MAE in
   * sunspot-number units).
   *
   * @param bestLearned the learned forecaster with the lowest validation MAE, chosen without the
   *     test years
   * @param seasonalNaiveMae the test MAE of seasonal naive
   */
  record Result(
      LinkedHashMap<String, Double> testMae, String bestLearned, double seasonalNaiveMae) {}

  /** The seasonal period in years: the mean length of a solar cycle. */
  static final int PERIOD = 11;

  /** The last year whose value is a training target. */
  static final int TRAIN_LAST = 1920;

  /** The last year whose value is a validation target; the later years are the test. */
  static final int VALID_LAST = 1955;

  static final String SEASONAL_NAIVE = "seasonal naive";
  static final String NAIVE = "naive";
  static final String MLP = "window MLP";
  static final String LSTM = "LSTM";
  static final String TCN = "TCN";

  /**
   * The run's sizes.
   *
   * @param window the past years every network reads
   * @param mlpHidden the MLP's tanh units
   * @param lstmHidden the LSTM's units
   * @param tcnChannels the TCN's channels per block (its blocks of kernel {@code kernel} cover the
   *     window)
   * @param batch training windows per step
   * @param maxEpochs the most passes over the training windows
   * @param patience epochs without a better validation MAE after which training stops
   * @param lr Adam's learning rate
   * @param seeds how many times each network is trained, from different seeds; the table reports
   *     the mean and the range
   */
  record Settings(
      int window,
      int mlpHidden,
      int lstmHidden,
      int tcnChannels,
      int kernel,
      int batch,
      int maxEpochs,
      int patience,
      double lr,
      int seeds) {}

  static final Settings FULL = new Settings(22, 32, 32, 16, 3, 16, 300, 60, 3e-3, 5);

  static final Settings QUICK = new Settings(22, 16, 16, 8, 3, 32, 20, 20, 1e-2, 1);

  private SunspotForecasting() {}

  /**
   * Runs the study on the CSV (quick = seconds-long), appends its heading, paragraphs, table(s) and
   * plot(s) to report, prints tables via report.
   */
  static Result run(ExperimentRun run, Path csv, Report report) throws IOException {
    return run(run, SunspotSeries.read(csv), report, run.quick() ? QUICK : FULL);
  }

  /** Runs the study on {@code series} with sizes {@code s}. */
  static Result run(ExperimentRun run, SunspotSeries series, Report report, Settings s)
      throws IOException {
    Data data = Data.of(series, s.window());
    List<List<Forecast>> forecasts = new ArrayList<>();
    forecasts.add(List.of(data.lagged(SEASONAL_NAIVE, PERIOD)));
    forecasts.add(List.of(data.lagged(NAIVE, 1)));
    int w = s.window();
    int levels = SequenceModel.levelsToCover(w, s.kernel());
    int[] receptiveField = new int[1];
    Map<String, Function<NDManager, Net>> nets = new LinkedHashMap<>();
    nets.put(MLP, m -> net(new WindowMlp(m, w, 1, s.mlpHidden(), 1)));
    nets.put(
        LSTM, m -> net(SequenceModel.recurrent(m, SequenceModel.Kind.LSTM, 1, s.lstmHidden(), 1)));
    nets.put(
        TCN,
        m -> {
          SequenceModel tcn = SequenceModel.tcn(m, 1, s.tcnChannels(), levels, s.kernel(), 1);
          receptiveField[0] = tcn.receptiveField();
          return net(tcn);
        });
    Engine engine = Seq4jEngine.get();
    try (NDManager manager = engine.newBaseManager()) {
      int k = 0;
      for (Map.Entry<String, Function<NDManager, Net>> e : nets.entrySet()) {
        k++;
        List<Forecast> runs = new ArrayList<>();
        for (int r = 0; r < s.seeds(); r++) {
          try (NDManager m = manager.newSubManager()) {
            engine.setRandomSeed(Seeds.toInt(Seeds.mix(run.seed(), 1000L * r + k)));
            Net net = e.getValue().apply(m);
            runs.add(train(m, run, s, data, e.getKey(), r, net));
          }
        }
        forecasts.add(runs);
      }
    }
    return report(run, s, data, forecasts, receptiveField[0], report);
  }

  /** The windows of one part of the split, and the actual values of its targets. */
  private record Part(int firstYear, float[] x, float[] y, double[] actual) {
    int size() {
      return actual.length;
    }

    int lastYear() {
      return firstYear + size() - 1;
    }
  }

  /** The series cut into its three parts, standardized with the training years' statistics. */
  private record Data(
      SunspotSeries series,
      int window,
      double mean,
      double std,
      Part train,
      Part valid,
      Part test) {
    static Data of(SunspotSeries series, int window) throws IOException {
      int first = series.firstYear();
      if (first + window + 50 > TRAIN_LAST || series.lastYear() < VALID_LAST + PERIOD) {
        throw new IOException(
            "the sunspot series covers "
                + first
                + "-"
                + series.lastYear()
                + "; the study needs at least "
                + (window + 50)
                + " years up to "
                + TRAIN_LAST
                + " and "
                + PERIOD
                + " after "
                + VALID_LAST);
      }
      double[] v = series.values();
      int trainYears = TRAIN_LAST - first + 1;
      double mean = 0;
      for (int i = 0; i < trainYears; i++) {
        mean += v[i];
      }
      mean /= trainYears;
      double var = 0;
      for (int i = 0; i < trainYears; i++) {
        var += (v[i] - mean) * (v[i] - mean);
      }
      double std = Math.sqrt(var / trainYears);
      float[] z = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        z[i] = (float) ((v[i] - mean) / std);
      }
      return new Data(
          series,
          window,
          mean,
          std,
          part(v, z, first, window, first + window, TRAIN_LAST),
          part(v, z, first, window, TRAIN_LAST + 1, VALID_LAST),
          part(v, z, first, window, VALID_LAST + 1, series.lastYear()));
    }

    private static Part part(double[] v, float[] z, int first, int window, int from, int to) {
      int n = to - from + 1;
      float[] x = new float[n * window];
      float[] y = new float[n];
      double[] actual = new double[n];
      for (int k = 0; k < n; k++) {
        int t = from - first + k;
        System.arraycopy(z, t - window, x, k * window, window);
        y[k] = z[t];
        actual[k] = v[t];
      }
      return new Part(from, x, y, actual);
    }

    /** The forecast {@code y[t] = y[t − lag]}. */
    Forecast lagged(String label, int lag) {
      return new Forecast(label, 0, Double.NaN, 0, lag(valid, lag), lag(test, lag));
    }

    private double[] lag(Part part, int lag) {
      double[] p = new double[part.size()];
      for (int k = 0; k < p.length; k++) {
        p[k] = series.value(part.firstYear() + k - lag);
      }
      return p;
    }
  }

  /** A network that maps windows {@code [B, window, 1]} to next values {@code [B, 1]}. */
  private interface Net {
    Map<String, NDArray> parameters();

    long size();

    NDArray forward(NDArray x, boolean training);
  }

  private static Net net(WindowMlp mlp) {
    return new Net() {
      @Override
      public Map<String, NDArray> parameters() {
        return mlp.parameters();
      }

      @Override
      public long size() {
        return mlp.size();
      }

      @Override
      public NDArray forward(NDArray x, boolean training) {
        return mlp.forward(x);
      }
    };
  }

  private static Net net(SequenceModel model) {
    return new Net() {
      @Override
      public Map<String, NDArray> parameters() {
        return model.parameters();
      }

      @Override
      public long size() {
        return model.size();
      }

      @Override
      public NDArray forward(NDArray x, boolean training) {
        return model.lastStep(x, null, training);
      }
    };
  }

  /**
   * One forecaster's predictions on the validation and test years, in sunspot-number units.
   *
   * @param parameters its trained parameters (0 for a baseline)
   * @param seconds its training time (NaN for a baseline)
   * @param bestEpoch the epoch whose weights it kept (0 for a baseline)
   */
  private record Forecast(
      String label,
      long parameters,
      double seconds,
      int bestEpoch,
      double[] validPrediction,
      double[] testPrediction) {}

  /**
   * Trains {@code net} with Adam on the mean squared error of standardized values, in shuffled
   * batches (for each repeat {@code r}, the same order for every network); keeps the predictions of
   * the epoch with the lowest validation MAE and stops after {@code patience} epochs without a
   * better one.
   */
  private static Forecast train(
      NDManager manager, ExperimentRun run, Settings s, Data data, String label, int r, Net net) {
    long start = System.nanoTime();
    Part train = data.train();
    int n = train.size();
    int w = data.window();
    SplittableRandom order = new SplittableRandom(Seeds.mix(run.seed(), 1000L * r + 10));
    double best = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    double[] bestValid = null;
    double[] bestTest = null;
    int epoch = 0;
    try (Adam adam = new Adam(manager, s.lr())) {
      for (epoch = 1; epoch <= s.maxEpochs() && epoch - bestEpoch <= s.patience(); epoch++) {
        int[] perm = shuffled(n, order);
        for (int from = 0; from < n; from += s.batch()) {
          int b = Math.min(s.batch(), n - from);
          float[] x = new float[b * w];
          float[] y = new float[b];
          for (int k = 0; k < b; k++) {
            int i = perm[from + k];
            System.arraycopy(train.x(), i * w, x, k * w, w);
            y[k] = train.y()[i];
          }
          TrainStep.run(
              manager,
              net.parameters(),
              adam,
              1.0,
              m -> {
                NDArray target = m.create(y, new Shape(b, 1));
                return net.forward(m.create(x, new Shape(b, w, 1)), true)
                    .sub(target)
                    .square()
                    .mean();
              });
        }
        double[] valid = predict(manager, net, data, data.valid());
        double mae = mae(valid, data.valid().actual());
        if (mae < best) {
          best = mae;
          bestEpoch = epoch;
          bestValid = valid;
          bestTest = predict(manager, net, data, data.test());
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    run.console()
        .printf(
            Locale.ROOT,
            "sunspots: trained the %s (%,d parameters, repeat %d of %d): %d epochs in %.1f s,"
                + " best validation MAE %.2f at epoch %d%n",
            label,
            net.size(),
            r + 1,
            s.seeds(),
            epoch - 1,
            seconds,
            best,
            bestEpoch);
    return new Forecast(label, net.size(), seconds, bestEpoch, bestValid, bestTest);
  }

  private static int[] shuffled(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The network's forecasts of {@code part}'s targets, in sunspot-number units. */
  private static double[] predict(NDManager manager, Net net, Data data, Part part) {
    float[] z =
        Steps.scoped(
            manager,
            m ->
                net.forward(m.create(part.x(), new Shape(part.size(), data.window(), 1)), false)
                    .toFloatArray());
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = z[i] * data.std() + data.mean();
    }
    return p;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  static double mae(double[] prediction, double[] actual) {
    double sum = 0;
    for (int i = 0; i < actual.length; i++) {
      sum += Math.abs(prediction[i] - actual[i]);
    }
    return sum / actual.length;
  }

  private static Result report(
      ExperimentRun run,
      Settings s,
      Data data,
      List<List<Forecast>> forecasts,
      int receptiveField,
      Report report)
      throws IOException {
    Part train = data.train();
    Part valid = data.valid();
    Part test = data.test();
    report.heading("One-step forecasting of the yearly sunspot numbers");
    report.paragraph(
        String.format(
            Locale.ROOT,
            "The series is the yearly sunspot number of %d-%d (%d years; NGDC, public domain) as"
                + " statsmodels ships it in Debian's python3-statsmodels (`seq4j data fetch"
                + " sunspots`). It is yearly, not monthly: the package holds no monthly series."
                + " Each year is forecast from the observed years before it. The seasonal period"
                + " is the solar cycle, %d years on average, but cycles run from about 9 to 14"
                + " years and their peaks differ widely, so seasonal naive (y[t] = y[t-%d]) is a"
                + " weak baseline; naive (y[t] = y[t-1]) is the other one.",
            data.series().firstYear(),
            data.series().lastYear(),
            data.series().size(),
            PERIOD,
            PERIOD));
    report.paragraph(
        String.format(
            Locale.ROOT,
            "Chronological split by target year: train %d-%d (%d windows), validation %d-%d (%d),"
                + " test %d-%d (%d). A window's inputs may reach into an earlier part, never a"
                + " later one. Values are standardized with the mean (%.1f) and deviation (%.1f)"
                + " of the years up to %d only. The test years hold the highest cycle of the"
                + " series (1957: %.1f, above every training year). Each network reads the last"
                + " %d years: the MLP through %d tanh units, the LSTM through %d units, the TCN"
                + " through %d blocks of %d channels, kernel %d (receptive field %d, dropout 0.2"
                + " in training). Adam (lr %s) on the squared error of standardized values,"
                + " batches of %d, at most %d epochs; the epoch with the lowest validation MAE is"
                + " kept, and training stops %d epochs after it. %s Seed %d%s.",
            train.firstYear(),
            train.lastYear(),
            train.size(),
            valid.firstYear(),
            valid.lastYear(),
            valid.size(),
            test.firstYear(),
            test.lastYear(),
            test.size(),
            data.mean(),
            data.std(),
            TRAIN_LAST,
            data.series().value(Math.min(1957, data.series().lastYear())),
            s.window(),
            s.mlpHidden(),
            s.lstmHidden(),
            SequenceModel.levelsToCover(s.window(), s.kernel()),
            s.tcnChannels(),
            s.kernel(),
            receptiveField,
            s.lr(),
            s.batch(),
            s.maxEpochs(),
            s.patience(),
            s.seeds() > 1
                ? "Each network is trained "
                    + s.seeds()
                    + " times from different seeds; the table gives the means and the range of"
                    + " the test MAE, the plot the first repeat. Training time and best epoch are means per repeat, on one"
                    + " thread of a shared machine."
                : "Each network is trained once.",
            run.seed(),
            run.quick() ? "; the quick version (small models, few epochs)" : ""));
    boolean repeats = s.seeds() > 1;
    Table table =
        repeats
            ? new Table(
                "forecaster",
                "parameters",
                "training (s)",
                "best epoch",
                "valid MAE",
                "test MAE",
                "test MAE range")
            : new Table(
                "forecaster", "parameters", "training (s)", "best epoch", "valid MAE", "test MAE");
    LinkedHashMap<String, Double> testMae = new LinkedHashMap<>();
    String bestLearned = null;
    double bestValid = Double.POSITIVE_INFINITY;
    for (List<Forecast> runs : forecasts) {
      Forecast first = runs.get(0);
      double[] v =
          runs.stream().mapToDouble(f -> mae(f.validPrediction(), valid.actual())).toArray();
      double[] t = runs.stream().mapToDouble(f -> mae(f.testPrediction(), test.actual())).toArray();
      double meanValid = mean(v);
      double meanTest = mean(t);
      testMae.put(first.label(), meanTest);
      boolean learned = first.parameters() > 0;
      if (learned && meanValid < bestValid) {
        bestValid = meanValid;
        bestLearned = first.label();
      }
      List<String> row = new ArrayList<>();
      row.add(first.label());
      row.add(learned ? String.format(Locale.ROOT, "%,d", first.parameters()) : "0");
      row.add(
          learned
              ? String.format(
                  Locale.ROOT,
                  "%.1f",
                  runs.stream().mapToDouble(Forecast::seconds).average().orElse(0))
              : "-");
      row.add(
          learned
              ? String.format(
                  Locale.ROOT,
                  "%.0f",
                  runs.stream().mapToInt(Forecast::bestEpoch).average().orElse(0))
              : "-");
      row.add(String.format(Locale.ROOT, "%.2f", meanValid));
      row.add(String.format(Locale.ROOT, "%.2f", meanTest));
      if (repeats) {
        row.add(
            learned
                ? String.format(
                    Locale.ROOT,
                    "%.2f-%.2f",
                    Arrays.stream(t).min().orElse(0),
                    Arrays.stream(t).max().orElse(0))
                : "-");
      }
      table.row(row.toArray(String[]::new));
    }
    report.table("Sunspots, one-step forecasts: mean absolute error (sunspot number)", table);
    double seasonal = testMae.get(SEASONAL_NAIVE);
    double naive = testMae.get(NAIVE);
    double learnedMae = testMae.get(bestLearned);
    report.paragraph(
        String.format(
            Locale.ROOT,
            "The learned forecaster chosen on the validation years, the %s, has a%s test MAE of"
                + " %.2f:"
                + " %.0f%% of seasonal naive's %.2f and %.0f%% of naive's %.2f.%s",
            bestLearned,
            repeats ? " mean" : "",
            learnedMae,
            100 * learnedMae / seasonal,
            seasonal,
            100 * learnedMae / naive,
            naive,
            seasonal > naive
                ? " Seasonal naive does worse than naive on the test years: the cycle's length"
                    + " drifts, so a forecast one cycle back is often out of phase."
                : ""));
    report.paragraph(
        "No published figures are set beside these: we know of none for this version of the"
            + " series with this split and MAE on these test years, and errors from other spans,"
            + " splits or measures would not be comparable.");
    double[] years = new double[test.size()];
    for (int i = 0; i < years.length; i++) {
      years[i] = test.firstYear() + i;
    }
    LinePlot plot =
        new LinePlot(
                "Yearly sunspot numbers, test years "
                    + test.firstYear()
                    + "-"
                    + test.lastYear()
                    + ": one-step forecasts",
                "year",
                "sunspot number")
            .noMarkers()
            .plainIntegerX()
            .series("actual", years, test.actual());
    for (List<Forecast> runs : forecasts) {
      plot.series(runs.get(0).label(), years, runs.get(0).testPrediction());
    }
    report.plot("sunspots-test.png", "Sunspot forecasts on the test years", plot);
    return new Result(testMae, bestLearned, seasonal);
  }
}
