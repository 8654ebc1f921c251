package org.seq4j.cli.wavenet;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.seq4j.audio.AudioClip;
import org.seq4j.audio.AudioFiles;
import org.seq4j.audio.MuLaw;
import org.seq4j.audio.SilenceTrimmer;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.wavenet.WaveNetCheckpoint;
import org.seq4j.wavenet.WaveNetNll;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code seq4j wavenet nll}: the negative log-likelihood of WAV files under a trained WaveNet, in
 * bits per sample, scored as validation scores held-out files ({@link WaveNetNll}).
 */
@Command(
    name = "nll",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Score WAV files under a checkpoint of `wavenet train`: bits per sample (8 for a uniform"
          + " guess over 256 mu-law classes).",
      "Files are read as mono at the model's rate (resampled with a notice), trimmed as training"
          + " trims them, and each sample is scored given the earlier ones and silence before the"
          + " file."
    })
public final class WaveNetNllCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint written by `wavenet train`.")
  Path checkpoint;

  @Option(
      names = "--trim-db",
      paramLabel = "DB",
      description =
          "Trim leading and trailing audio quieter than this (default: as in training, or"
              + " ${DEFAULT-VALUE}).")
  Double trimDb;

  @Option(names = "--no-trim", description = "Score the files whole.")
  boolean noTrim;

  @Parameters(arity = "1..*", paramLabel = "FILE.wav", description = "The files to score.")
  List<Path> files;

  @Override
  public Integer call() throws IOException {
    Engine engine = Seq4jEngine.get();
    try (NDManager manager = engine.newBaseManager()) {
      WaveNetCheckpoint ckpt = WaveNetCheckpoint.load(checkpoint, manager);
      int rate = ckpt.sampleRate();
      SilenceTrimmer trimmer = trimmer(ckpt);
      System.out.printf(
          Locale.ROOT,
          "%s: %s at %d Hz; %s%n",
          checkpoint,
          ckpt.net().config(),
          rate,
          trimmer == null
              ? "files scored whole"
              : "trimmed below " + trimmer.thresholdDb() + " dB");
      WaveNetNll.Result total = new WaveNetNll.Result(0, 0);
      for (Path f : files) {
        AudioClip clip = AudioFiles.load(f, rate, n -> System.out.println("  note: " + n));
        if (trimmer != null) {
          clip = trimmer.trim(clip, f.toString(), n -> System.out.println("  note: " + n));
        }
        if (clip.length() == 0) {
          System.out.printf(Locale.ROOT, "  %-40s no samples; skipped%n", f);
          continue;
        }
        WaveNetNll.Result r =
            WaveNetNll.score(
                ckpt.net(), manager, MuLaw.encode(clip.samples()), WaveNetNll.DEFAULT_PIECE);
        total = total.plus(r);
        System.out.printf(
            Locale.ROOT,
            "  %-40s %6.2f s  %.3f bits/sample%n",
            f,
            clip.seconds(),
            r.bitsPerSample());
      }
      if (total.samples() == 0) {
        throw new IllegalArgumentException("no samples to score in " + files.size() + " file(s)");
      }
      System.out.printf(
          Locale.ROOT,
          "total: %d file(s), %,d samples (%.1f s): %.4f bits/sample (%.4f nats; uniform: 8)%n",
          files.size(),
          total.samples(),
          total.samples() / (double) rate,
          total.bitsPerSample(),
          total.natsPerSample());
    }
    return 0;
  }

  private SilenceTrimmer trimmer(WaveNetCheckpoint ckpt) {
    if (noTrim) {
      return null;
    }
    if (trimDb != null) {
      return new SilenceTrimmer(trimDb, SilenceTrimmer.DEFAULT_FRAME_SECONDS);
    }
    if (ckpt.config().has("trim_db") && ckpt.config().get("trim_db").isNull()) {
      return null;
    }
    return new SilenceTrimmer(
        ckpt.config().path("trim_db").asDouble(SilenceTrimmer.DEFAULT_THRESHOLD_DB),
        SilenceTrimmer.DEFAULT_FRAME_SECONDS);
  }
}
