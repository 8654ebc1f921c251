package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.audio.AudioClip;
import org.seq4j.audio.MuLaw;
import org.seq4j.audio.SilenceTrimmer;
import org.seq4j.audio.WavEncoding;
import org.seq4j.audio.WavWriter;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.Checkpoint;
import org.seq4j.io.SafeTensors;

/** The pieces of WaveNet training: corpus, windows, held-out NLL, config JSON, checkpoints. */
class WaveNetTrainingPartsTest {

  @Test
  void configSurvivesJson() {
    WaveNetConfig[] configs = {
      WaveNetConfig.modelA(),
      WaveNetConfig.stacked(1, 3, 4, 5, 6).withGlobalConditioning(3, 2),
      WaveNetConfig.stacked(2, 2, 4, 4, 4)
          .withLocalConditioning(5, 80, WaveNetConfig.Upsampling.TRANSPOSED)
    };
    for (WaveNetConfig c : configs) {
      ObjectNode node = c.writeTo(new ObjectMapper().createObjectNode());
      assertEquals(c, WaveNetConfig.readFrom(node), node.toString());
    }
    ObjectNode broken = WaveNetConfig.modelB().writeTo(new ObjectMapper().createObjectNode());
    broken.remove("skip_channels");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WaveNetConfig.readFrom(broken));
    assertTrue(e.getMessage().contains("skip_channels"), e.getMessage());
  }

  @Test
  void corpusJoinsTrainingFilesAfterSilenceAndKeepsHeldOutFilesApart(@TempDir Path dir)
      throws IOException {
    Path a = wav(dir, "a.wav", tone(800, 400, 0.5f), 8000);
    Path b = wav(dir, "b.wav", tone(1600, 300, 0.5f), 16000); // resampled to 8 kHz
    Path quiet = wav(dir, "quiet.wav", new float[400], 8000);
    Path v = wav(dir, "v.wav", tone(500, 250, 0.5f), 8000);
    List<String> notices = new ArrayList<>();
    MuLawCorpus corpus =
        MuLawCorpus.load(List.of(a, b, quiet), List.of(v), 8000, null, notices::add);
    int gap = (int) Math.round(MuLawCorpus.GAP_SECONDS * 8000);
    assertEquals(3, corpus.trainFiles());
    assertEquals(3 * gap + 800 + 800 + 400, corpus.trainSamples());
    int[] stream = corpus.trainStream();
    for (int t = 0; t < gap; t++) {
      assertEquals(MuLaw.encode(0f), stream[t], "silence before the first file");
    }
    assertEquals(1, corpus.valid().size());
    assertEquals(500, corpus.valid().get(0).length);
    assertTrue(notices.stream().anyMatch(n -> n.contains("resampled")), notices.toString());

    List<String> trimNotices = new ArrayList<>();
    MuLawCorpus trimmed =
        MuLawCorpus.load(
            List.of(a, quiet), List.of(), 8000, new SilenceTrimmer(), trimNotices::add);
    assertEquals(2, trimmed.trainFiles(), "an all-silent file is kept, with a warning");
    assertTrue(trimNotices.stream().anyMatch(n -> n.contains("quiet.wav")), trimNotices.toString());

    assertThrows(
        IllegalArgumentException.class,
        () -> MuLawCorpus.load(List.of(), List.of(v), 8000, null, n -> {}));
    Path notWav = dir.resolve("notes.wav");
    Files.writeString(notWav, "not audio at all");
    IOException bad =
        assertThrows(
            IOException.class,
            () -> MuLawCorpus.load(List.of(a, notWav), List.of(), 8000, null, n -> {}));
    assertTrue(bad.getMessage().contains("notes.wav"), bad.getMessage());
  }

  @Test
  void windowsArePureFunctionsOfEpochAndIndexAndTooShortAudioIsRefused() {
    Engine engine = Seq4jEngine.get();
    try (NDManager m = engine.newBaseManager()) {
      WaveNet net = new WaveNet(WaveNetConfig.stacked(1, 3, 4, 4, 4));
      net.initialize(m);
      int[] stream = new SplittableRandom(1).ints(5000, 0, 256).toArray();
      MuLawCorpus corpus = MuLawCorpus.of(8000, stream, List.of());
      WaveNetTask task = new WaveNetTask(net, corpus, 3, 100, 9);
      assertEquals(net.receptiveField() + 100, task.window());
      assertEquals(5000 / 300, task.batchesPerEpoch());
      assertArrayEquals(task.batch(2, 5), task.batch(2, 5));
      assertFalse(java.util.Arrays.equals(task.batch(2, 5), task.batch(2, 6)));
      long[] windows = task.batch(0, 0);
      int w = task.window();
      for (int r = 0; r < 3; r++) {
        int from = indexOf(stream, windows, r * w, w);
        assertTrue(from >= 0, "row " + r + " is a window of the stream");
      }
      assertTrue(task.validate(m).isEmpty(), "no held-out audio, no metrics");
      MuLawCorpus tiny = MuLawCorpus.of(8000, new int[50], List.of());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new WaveNetTask(net, tiny, 1, 100, 1));
      assertTrue(e.getMessage().contains("shorter than one window"), e.getMessage());
    }
  }

  @Test
  void heldOutNllDoesNotDependOnThePieceSize() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(2);
    try (NDManager m = engine.newBaseManager()) {
      WaveNet net = new WaveNet(WaveNetConfig.stacked(2, 3, 8, 8, 8));
      net.initialize(m);
      int[] clip = MuLaw.encode(tone(700, 333, 0.4f));
      WaveNetNll.Result whole = WaveNetNll.score(net, m, clip, 10_000);
      WaveNetNll.Result pieces = WaveNetNll.score(net, m, clip, 37);
      assertEquals(700, whole.samples());
      assertEquals(whole.nats(), pieces.nats(), 1e-3 * Math.abs(whole.nats()));
      // The same as the loss of one window that starts with a receptive field of silence.
      int field = (int) net.receptiveField();
      long[] window = new long[field + clip.length];
      java.util.Arrays.fill(window, 0, field, 128);
      for (int i = 0; i < clip.length; i++) {
        window[field + i] = clip[i];
      }
      float mean =
          net.loss(
                  m.create(window, new ai.djl.ndarray.types.Shape(1, window.length)),
                  null,
                  null,
                  false)
              .getFloat();
      assertEquals(mean, whole.natsPerSample(), 1e-5);
      assertEquals(whole.natsPerSample() / Math.log(2), whole.bitsPerSample(), 1e-12);
    }
  }

  @Test
  void checkpointsLoadBackAndOtherModelsAreRefusedClearly(@TempDir Path dir) throws IOException {
    Engine engine = Seq4jEngine.get();
    try (NDManager m = engine.newBaseManager()) {
      WaveNetConfig config = WaveNetConfig.stacked(1, 3, 4, 4, 4);
      WaveNet net = new WaveNet(config);
      net.initialize(m);
      Path file = dir.resolve("w.safetensors");
      new Checkpoint(
              net.stateDict(), Map.of(), null, null, WaveNetCheckpoint.runConfig(config, 16000))
          .save(file);
      WaveNetCheckpoint back = WaveNetCheckpoint.load(file, m);
      assertEquals(config, back.net().config());
      assertEquals(16000, back.sampleRate());
      assertEquals(
          net.stateDict().get("head.conv2.bias").toFloatArray()[3],
          back.net().stateDict().get("head.conv2.bias").toFloatArray()[3]);

      ObjectNode lm = new ObjectMapper().createObjectNode();
      lm.put("model", "lstm");
      Path other = dir.resolve("lm.safetensors");
      new Checkpoint(net.stateDict(), Map.of(), null, null, lm).save(other);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> WaveNetCheckpoint.load(other, m));
      assertTrue(
          e.getMessage().contains("not a WaveNet checkpoint") && e.getMessage().contains("'lstm'"),
          e.getMessage());
      Path bare = dir.resolve("bare.safetensors");
      SafeTensors.save(bare, net.stateDict(), Map.of());
      e = assertThrows(IllegalArgumentException.class, () -> WaveNetCheckpoint.load(bare, m));
      assertTrue(e.getMessage().contains("no seq4j model config"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> WaveNetCheckpoint.load(dir.resolve("missing.safetensors"), m));
    }
  }

  private static int indexOf(int[] stream, long[] rows, int offset, int width) {
    outer:
    for (int from = 0; from + width <= stream.length; from++) {
      for (int t = 0; t < width; t++) {
        if (stream[from + t] != rows[offset + t]) {
          continue outer;
        }
      }
      return from;
    }
    return -1;
  }

  static float[] tone(int length, double hz, float amplitude) {
    float[] x = new float[length];
    for (int n = 0; n < length; n++) {
      x[n] = (float) (amplitude * Math.sin(2 * Math.PI * hz * n / 8000));
    }
    return x;
  }

  private static Path wav(Path dir, String name, float[] samples, int rate) throws IOException {
    Path file = dir.resolve(name);
    WavWriter.write(file, new AudioClip(samples, rate), WavEncoding.PCM_16);
    return file;
  }
}
