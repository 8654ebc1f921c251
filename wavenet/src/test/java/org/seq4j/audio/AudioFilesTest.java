package org.seq4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFilesTest {

  @Test
  void anotherRateIsResampledWithANotice(@TempDir Path dir) throws IOException {
    float[] x = new float[1600];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.25 * Math.sin(2 * Math.PI * 500 * i / 16000.0));
    }
    Path file = dir.resolve("16k.wav");
    WavWriter.write(file, new AudioClip(x, 16000), WavEncoding.FLOAT_32);
    List<String> notices = new ArrayList<>();
    AudioClip clip = AudioFiles.load(file, 8000, notices::add);
    assertEquals(8000, clip.sampleRate());
    assertEquals(800, clip.length());
    assertEquals(List.of(file + ": resampled from 16000 Hz to 8000 Hz"), notices);
    notices.clear();
    AudioClip same = AudioFiles.load(file, 16000, notices::add);
    assertEquals(1600, same.length());
    assertEquals(List.of(), notices);
  }
}
