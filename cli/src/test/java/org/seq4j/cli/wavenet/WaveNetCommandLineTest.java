package org.seq4j.cli.wavenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.audio.AudioClip;
import org.seq4j.audio.AudioSplit;
import org.seq4j.audio.WavEncoding;
import org.seq4j.audio.WavReader;
import org.seq4j.audio.WavWriter;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;

class WaveNetCommandLineTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  /** Twelve short tones at 8 kHz and one at 16 kHz, as a folder of WAV files. */
  private static Path tones(Path dir) throws IOException {
    Path data = Files.createDirectories(dir.resolve("tones"));
    for (int i = 0; i < 12; i++) {
      float[] x = new float[2400];
      for (int n = 0; n < x.length; n++) {
        x[n] = (float) (0.5 * Math.sin(2 * Math.PI * (200 + 50 * i) * n / 8000));
      }
      WavWriter.write(
          data.resolve("tone" + i + ".wav"), new AudioClip(x, 8000), WavEncoding.PCM_16);
    }
    float[] y = new float[4800];
    for (int n = 0; n < y.length; n++) {
      y[n] = (float) (0.4 * Math.sin(2 * Math.PI * 440 * n / 16000));
    }
    WavWriter.write(data.resolve("wide.wav"), new AudioClip(y, 16000), WavEncoding.PCM_16);
    return data;
  }

  private static List<String> tinyTrain(Path data, Path run) {
    return new ArrayList<>(
        List.of(
            "wavenet",
            "train",
            "--data",
            data.toString(),
            "--sample-rate",
            "8000",
            "--stacks",
            "1",
            "--layers-per-stack",
            "3",
            "--residual",
            "8",
            "--dilation",
            "8",
            "--skip",
            "8",
            "--batch",
            "2",
            "--window",
            "200",
            "--steps",
            "6",
            "--validate-every",
            "3",
            "--no-trim",
            "--quiet",
            "--out",
            run.toString()));
  }

  @Test
  void trainGenerateAndScore(@TempDir Path dir) throws Exception {
    Path data = tones(dir);
    Path run = dir.resolve("run");
    int code = Seq4j.execute(tinyTrain(data, run).toArray(new String[0]));
    assertEquals(0, code, console.err());
    String out = console.out();
    assertTrue(out.contains("receptive field 9 samples"), out);
    assertTrue(out.contains("resampled from 16000 Hz to 8000 Hz"), out);
    assertTrue(out.contains("held-out NLL"), out);
    for (String f : List.of("last.safetensors", "best.safetensors", "train.csv", "loss.png")) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }

    console.resetOut();
    Path wav = dir.resolve("gen.wav");
    Path png = dir.resolve("gen.png");
    code =
        Seq4j.execute(
            "wavenet",
            "generate",
            "--checkpoint",
            run.resolve("last.safetensors").toString(),
            "--seconds",
            "0.05",
            "--batch",
            "2",
            "--seed",
            "4",
            "--out",
            wav.toString(),
            "--png",
            png.toString(),
            "--quiet");
    assertEquals(0, code, console.err());
    for (int c = 1; c <= 2; c++) {
      AudioClip clip = WavReader.read(dir.resolve("gen-" + c + ".wav"));
      assertEquals(8000, clip.sampleRate());
      assertEquals(400, clip.length());
    }
    assertTrue(Files.size(png) > 1000);
    assertTrue(console.out().contains("samples/s"), console.out());

    // Seeded, the naive generator draws the same clip.
    code =
        Seq4j.execute(
            "wavenet",
            "generate",
            "--checkpoint",
            run.resolve("last.safetensors").toString(),
            "--seconds",
            "0.02",
            "--seed",
            "4",
            "--naive",
            "--out",
            dir.resolve("naive.wav").toString(),
            "--quiet");
    assertEquals(0, code, console.err());
    float[] naive = WavReader.read(dir.resolve("naive.wav")).samples();
    float[] fast = WavReader.read(dir.resolve("gen-1.wav")).samples();
    for (int i = 0; i < naive.length; i++) {
      assertEquals(fast[i], naive[i], 0f, "sample " + i);
    }

    console.resetOut();
    code =
        Seq4j.execute(
            "wavenet",
            "nll",
            "--checkpoint",
            run.resolve("best.safetensors").toString(),
            data.resolve("tone0.wav").toString(),
            data.resolve("wide.wav").toString());
    assertEquals(0, code, console.err());
    assertTrue(console.out().contains("total: 2 file(s)"), console.out());
    assertTrue(console.out().contains("resampled"), console.out());
  }

  @Test
  void validFilesScoresOnlyTheFirstHeldOutFiles(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("clips"));
    int heldOut = 0;
    for (int i = 0; heldOut < 3 || i < 6; i++) {
      String name = "clip" + i + ".wav";
      heldOut += AudioSplit.heldOut(name) ? 1 : 0;
      float[] x = new float[800];
      for (int n = 0; n < x.length; n++) {
        x[n] = (float) (0.3 * Math.sin(2 * Math.PI * (150 + 10 * i) * n / 8000));
      }
      WavWriter.write(data.resolve(name), new AudioClip(x, 8000), WavEncoding.PCM_16);
    }
    List<String> args = tinyTrain(data, dir.resolve("run"));
    args.addAll(List.of("--valid-files", "2"));
    int code = Seq4j.execute(args.toArray(new String[0]));
    assertEquals(0, code, console.err());
    assertTrue(console.out().contains("held out 2 files"), console.out());

    console.resetOut();
    args = tinyTrain(data, dir.resolve("run-all"));
    code = Seq4j.execute(args.toArray(new String[0]));
    assertEquals(0, code, console.err());
    assertTrue(console.out().contains("held out " + heldOut + " files"), console.out());

    args.addAll(List.of("--valid-files", "0"));
    code = Seq4j.execute(args.toArray(new String[0]));
    assertNotEquals(0, code);
    assertTrue(console.err().contains("--valid-files must be > 0"), console.err());
  }

  @Test
  void badInputGetsClearErrors(@TempDir Path dir) throws Exception {
    Path data = tones(dir);
    int code =
        Seq4j.execute(tinyTrain(dir.resolve("nowhere"), dir.resolve("r")).toArray(new String[0]));
    assertNotEquals(0, code);
    assertTrue(console.err().contains("no such folder"), console.err());

    console.resetErr();
    Files.writeString(data.resolve("notes.wav"), "these are not samples");
    code = Seq4j.execute(tinyTrain(data, dir.resolve("r2")).toArray(new String[0]));
    assertNotEquals(0, code);
    assertTrue(console.err().contains("notes.wav"), console.err());
    assertTrue(!console.err().contains("\tat "), "no stack trace: " + console.err());

    console.resetErr();
    Path lmLike = dir.resolve("lm.safetensors");
    Files.write(lmLike, new byte[] {1, 2, 3});
    code =
        Seq4j.execute(
            "wavenet", "generate", "--checkpoint", lmLike.toString(), "--out", "x.wav", "--quiet");
    assertNotEquals(0, code);
    assertTrue(console.err().contains("lm.safetensors"), console.err());

    console.resetErr();
    code = Seq4j.execute("wavenet", "train", "--data", data.toString(), "--bogus");
    assertNotEquals(0, code);
    assertTrue(console.err().contains("--bogus"), console.err());
  }
}
