package org.seq4j.cli.wavenet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.seq4j.audio.AudioClip;
import org.seq4j.audio.MuLaw;
import org.seq4j.audio.WavEncoding;
import org.seq4j.audio.WavWriter;
import org.seq4j.cli.plot.WavePlot;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.wavenet.NaiveWaveNetGenerator;
import org.seq4j.wavenet.ProgressListener;
import org.seq4j.wavenet.WaveNet;
import org.seq4j.wavenet.WaveNetCheckpoint;
import org.seq4j.wavenet.WaveNetGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seq4j wavenet generate}: draws clips from a trained WaveNet with the fast generator
 * ({@link WaveNetGenerator}; or the naive one, for comparison) and writes them as 16-bit WAV files
 * at the model's sample rate.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Generate audio from a checkpoint of `wavenet train`.",
      "Each clip starts from silence and draws one mu-law sample at a time. With --batch N > 1"
          + " the clips are written as OUT-1.wav ... OUT-N.wav."
    })
public final class WaveNetGenerateCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint written by `wavenet train` (best.safetensors, last.safetensors).")
  Path checkpoint;

  @Option(names = "--seconds", description = "Length of each clip (default: ${DEFAULT-VALUE}).")
  double seconds = 2;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Clips generated together (default: ${DEFAULT-VALUE}).")
  int batch = 1;

  @Option(
      names = "--temperature",
      description = "Softmax temperature; 0 for the most likely class (default: ${DEFAULT-VALUE}).")
  float temperature = 1.0f;

  @Option(names = "--seed", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(
      names = "--out",
      paramLabel = "FILE.wav",
      description = "The WAV file to write (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("generated.wav");

  @Option(
      names = "--png",
      paramLabel = "FILE.png",
      description = "Also plot the first clip: waveform and spectrogram.")
  Path png;

  @Option(
      names = "--naive",
      description =
          "Use the naive generator (the network over the whole receptive field per sample);"
              + " slow, for comparison. Seeded, it draws the same samples.")
  boolean naive;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("--seconds must be > 0, got " + seconds);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
    }
    if (!(temperature >= 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("--temperature must be >= 0, got " + temperature);
    }
    Engine engine = Seq4jEngine.get();
    int[][] clips;
    int rate;
    double elapsed;
    try (NDManager manager = engine.newBaseManager()) {
      WaveNetCheckpoint ckpt = WaveNetCheckpoint.load(checkpoint, manager);
      WaveNet net = ckpt.net();
      rate = ckpt.sampleRate();
      int samples = Math.toIntExact(Math.round(seconds * rate));
      int threads = Math.max(1, Math.min(batch, Seq4jEngine.threads()));
      System.err.printf(
          Locale.ROOT,
          "%s: %s at %d Hz; %d clip(s) of %d samples, temperature %s, seed %d, %s generator%s%n",
          checkpoint,
          net.config(),
          rate,
          batch,
          samples,
          temperature,
          seed,
          naive ? "naive" : "fast",
          naive ? "" : ", " + threads + " thread(s)");
      long start = System.nanoTime();
      if (naive) {
        int[][] priming = new int[batch][];
        for (int c = 0; c < batch; c++) {
          priming[c] = new int[] {net.config().classes() / 2};
        }
        clips = new NaiveWaveNetGenerator(net).generate(samples, priming, temperature, seed, null);
      } else {
        try (WaveNetGenerator generator =
                new WaveNetGenerator(net.config(), net.stateDict(), threads);
            Progress progress = quiet ? null : new Progress(samples, batch, rate)) {
          clips = generator.generate(samples, batch, temperature, seed, null, null, progress);
        }
      }
      elapsed = (System.nanoTime() - start) / 1e9;
    }
    long total = (long) clips.length * clips[0].length;
    double perSecond = total / elapsed;
    List<Path> written = new ArrayList<>();
    for (int c = 0; c < clips.length; c++) {
      Path file = clips.length == 1 ? out : numbered(out, c + 1);
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      WavWriter.write(file, new AudioClip(MuLaw.decode(clips[c]), rate), WavEncoding.PCM_16);
      written.add(file);
    }
    System.out.printf(
        Locale.ROOT,
        "generated %d x %.2f s in %.2f s: %,.0f samples/s, %.2fx real time at %d Hz%n",
        clips.length,
        clips[0].length / (double) rate,
        elapsed,
        perSecond,
        perSecond / rate,
        rate);
    for (Path f : written) {
      System.out.println("  wrote " + f);
    }
    if (png != null) {
      System.setProperty("java.awt.headless", "true");
      AudioClip first = new AudioClip(MuLaw.decode(clips[0]), rate);
      WavePlot.Settings settings =
          new WavePlot.Settings(
              1200,
              800,
              WavePlot.Settings.defaultFftSize(rate),
              WavePlot.Settings.defaultHop(first, WavePlot.Settings.defaultFftSize(rate), 1200),
              80);
      WavePlot.writePng(
          WavePlot.render(first, written.get(0).getFileName().toString(), settings), png);
      System.out.println("  wrote " + png);
    }
    return 0;
  }

  /** {@code out} with {@code -n} before its extension. */
  static Path numbered(Path out, int n) {
    String name = out.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : ".wav";
    return out.resolveSibling(stem + "-" + n + ext);
  }

  /** A progress bar on standard error with samples per second and the real-time factor. */
  private static final class Progress implements ProgressListener, AutoCloseable {
    private final ProgressBar bar;
    private final int batch;
    private final int rate;
    private final long start = System.nanoTime();

    Progress(int samples, int batch, int rate) {
      this.batch = batch;
      this.rate = rate;
      this.bar =
          new ProgressBarBuilder()
              .setTaskName("generate")
              .setInitialMax(samples)
              .setStyle(ProgressBarStyle.ASCII)
              .setUnit(" samples", 1)
              .setUpdateIntervalMillis(250)
              .setConsumer(new ConsoleProgressBarConsumer(System.err, 110))
              .build();
    }

    @Override
    public void progress(long samplesDone, long samplesTotal) {
      double seconds = (System.nanoTime() - start) / 1e9;
      double perSecond = seconds > 0 ? samplesDone * batch / seconds : 0;
      bar.stepTo(samplesDone);
      bar.setExtraMessage(
          String.format(
              Locale.ROOT, "%,.0f samples/s, %.2fx real time", perSecond, perSecond / rate));
    }

    @Override
    public void close() {
      bar.close();
    }
  }
}
