package org.seq4j.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.audio.AudioClip;
import org.seq4j.audio.WavEncoding;
import org.seq4j.audio.WavWriter;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;

class PlotWaveCommandTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  /** A rising chirp, 200 Hz to 3,800 Hz over {@code seconds}, at 8 kHz. */
  private static Path chirp(Path file, double seconds) throws IOException {
    int rate = 8000;
    float[] x = new float[(int) (seconds * rate)];
    double phase = 0;
    for (int i = 0; i < x.length; i++) {
      double hz = 200 + 3600 * i / (double) x.length;
      phase += 2 * Math.PI * hz / rate;
      x[i] = (float) (0.6 * Math.sin(phase));
    }
    WavWriter.write(file, new AudioClip(x, rate), WavEncoding.PCM_16);
    return file;
  }

  @Test
  void writesAPngOfTheRequestedSize(@TempDir Path dir) throws IOException {
    Path wav = chirp(dir.resolve("chirp.wav"), 1.5);
    Path png = dir.resolve("plots/chirp-wave.png");
    int code =
        Seq4j.execute(
            "plot",
            "wave",
            wav.toString(),
            "--png",
            png.toString(),
            "--width",
            "900",
            "--height",
            "600");
    assertEquals(0, code, console.err());
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(900, image.getWidth());
    assertEquals(600, image.getHeight());
    String text = console.out();
    assertTrue(text.startsWith("wrote " + png + " (900 x 600)"), text);
    assertTrue(text.contains("8000 Hz, 1.50 s; spectrogram 256-point Hann, hop 64"), text);
    // The spectrogram's plot area (lower part, middle) is painted, not left white.
    int painted = 0;
    for (int x = 200; x < 700; x += 10) {
      for (int y = 320; y < 520; y += 10) {
        if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
          painted++;
        }
      }
    }
    assertTrue(painted > 900, "painted points: " + painted); // of 1,000
  }

  @Test
  void theDefaultPngSitsNextToTheWav(@TempDir Path dir) throws IOException {
    Path wav = chirp(dir.resolve("long.wav"), 48);
    assertEquals(0, Seq4j.execute("plot", "wave", wav.toString()));
    BufferedImage image = ImageIO.read(dir.resolve("long.png").toFile());
    assertEquals(1200, image.getWidth());
    assertEquals(800, image.getHeight());
    // 384,000 samples over 1,200 columns: the hop grows from 64 to 80, 4 frames per column.
    assertTrue(console.out().contains("hop 80"), console.out());
  }

  @Test
  void aNonWavFileIsAOneLineError(@TempDir Path dir) throws IOException {
    Path notWav = dir.resolve("song.wav");
    Files.writeString(notWav, "ID3 this is an mp3, really");
    assertEquals(1, Seq4j.execute("plot", "wave", notWav.toString()));
    String e = console.err();
    assertTrue(e.contains("error: " + notWav + ": not a WAV file (no RIFF/WAVE header)"), e);
    assertFalse(e.contains("\tat "), e);
    assertFalse(Files.exists(dir.resolve("song.png")));
  }

  @Test
  void badSettingsAreUsageErrors(@TempDir Path dir) throws IOException {
    Path wav = chirp(dir.resolve("a.wav"), 0.2);
    assertEquals(2, Seq4j.execute("plot", "wave", wav.toString(), "--fft", "300"));
    assertTrue(console.err().contains("power of two"), console.err());
  }

  @Test
  void theEnvelopeKeepsExtremes() {
    float[] x = new float[10000];
    x[1234] = 1f;
    x[8765] = -1f;
    double[][] points = WavePlot.envelope(new AudioClip(x, 8000), 100);
    assertEquals(200, points[0].length);
    double max = -2;
    double min = 2;
    for (double y : points[1]) {
      max = Math.max(max, y);
      min = Math.min(min, y);
    }
    assertEquals(1.0, max);
    assertEquals(-1.0, min);
  }
}
