package org.seq4j.cli.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.seq4j.audio.AudioClip;
import org.seq4j.audio.WavReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seq4j plot wave FILE.wav --png wave.png}: waveform and spectrogram of a WAV file. */
@Command(
    name = "wave",
    mixinStandardHelpOptions = true,
    description = {
      "Draw a WAV file as one PNG: its waveform (amplitude against seconds) above its spectrogram"
          + " (STFT magnitude in dB, Hann window; time against frequency).",
      "Several channels are mixed down to mono; 8-, 24- and 32-bit files are converted, with a"
          + " note."
    })
public final class PlotWaveCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE.wav", description = "The WAV file.")
  Path file;

  @Option(
      names = "--png",
      paramLabel = "FILE.png",
      description = "The PNG to write (default: FILE with .png in place of .wav).")
  Path png;

  @Option(
      names = "--width",
      paramLabel = "PIXELS",
      defaultValue = "1200",
      description = "Image width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--height",
      paramLabel = "PIXELS",
      defaultValue = "800",
      description = "Image height (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(
      names = "--fft",
      paramLabel = "N",
      description =
          "STFT frame length, a power of two (default: about 32 ms, 256 samples at 8 kHz).")
  Integer fftSize;

  @Option(
      names = "--hop",
      paramLabel = "N",
      description =
          "Samples between STFT frames (default: a quarter frame, more for long files: at most 4"
              + " frames per pixel column).")
  Integer hop;

  @Option(
      names = "--range-db",
      paramLabel = "DB",
      defaultValue = "80",
      description = "The colour scale spans this many dB below the loudest bin (default: 80).")
  double rangeDb;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    AudioClip clip = WavReader.read(file, notice -> System.err.println("note: " + notice));
    if (clip.length() == 0) {
      throw new IOException(file + ": no samples to plot");
    }
    WavePlot.Settings settings;
    try {
      int fft = fftSize != null ? fftSize : WavePlot.Settings.defaultFftSize(clip.sampleRate());
      int h = hop != null ? hop : WavePlot.Settings.defaultHop(clip, fft, width);
      settings = new WavePlot.Settings(width, height, fft, h, rangeDb);
    } catch (IllegalArgumentException ex) {
      throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
    }
    Path out = png != null ? png : defaultPng(file);
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = WavePlot.render(clip, file.getFileName().toString(), settings);
    WavePlot.writePng(image, out);
    System.out.printf(
        Locale.ROOT,
        "wrote %s (%d x %d): %s, %d Hz, %.2f s; spectrogram %d-point Hann, hop %d%n",
        out,
        settings.width(),
        settings.height(),
        file,
        clip.sampleRate(),
        clip.seconds(),
        settings.fftSize(),
        settings.hop());
    return 0;
  }

  /** {@code FILE} with {@code .png} in place of its extension. */
  static Path defaultPng(Path wav) {
    String name = wav.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return wav.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".png");
  }
}
