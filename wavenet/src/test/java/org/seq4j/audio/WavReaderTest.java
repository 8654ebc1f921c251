package org.seq4j.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {
  @TempDir Path dir;

  private Path file(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static float[] randomSamples(int n, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return x;
  }

  @Test
  void pcm16RoundTripIsExactOnTheGrid() throws IOException {
    float[] x = randomSamples(1001, 1);
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.round(x[i] * 32767) / 32768f; // values a 16-bit file holds
    }
    AudioClip clip = new AudioClip(x, 8000);
    Path p = dir.resolve("a.wav");
    WavWriter.write(p, clip, WavEncoding.PCM_16);
    assertEquals(44 + 2 * 1001, Files.size(p)); // RIFF, fmt and data headers, then the samples
    List<String> notices = new ArrayList<>();
    assertEquals(clip, WavReader.read(p, notices::add));
    assertEquals(List.of(), notices);
    assertEquals(new WavInfo(WavEncoding.PCM_16, 1, 8000, 1001), WavReader.probe(p));
  }

  @Test
  void pcm16WritesRoundedSamplesClampedAtFullScale() throws IOException {
    AudioClip clip = new AudioClip(new float[] {1f, -1f, 0.25f, 1e-5f}, 16000);
    Path p = dir.resolve("b.wav");
    WavWriter.write(p, clip, WavEncoding.PCM_16);
    float[] back = WavReader.read(p).samples();
    assertArrayEquals(new float[] {32767 / 32768f, -1f, 0.25f, 0f}, back);
  }

  @Test
  void float32RoundTripIsExact() throws IOException {
    AudioClip clip = new AudioClip(randomSamples(500, 2), 44100);
    Path p = dir.resolve("c.wav");
    WavWriter.write(p, clip, WavEncoding.FLOAT_32);
    assertEquals(clip, WavReader.read(p));
    assertEquals(WavEncoding.FLOAT_32, WavReader.probe(p).encoding());
  }

  @Test
  void writingOtherEncodingsIsRefused() {
    AudioClip clip = new AudioClip(new float[] {0f}, 8000);
    assertThrows(
        IllegalArgumentException.class,
        () -> WavWriter.write(dir.resolve("d.wav"), clip, WavEncoding.PCM_24));
  }

  @Test
  void chunksMayComeInAnyOrderWithUnknownAndOddSizedOnes() throws IOException {
    byte[] wav =
        new WavBytes()
            .chunk("LIST", "INFOabc".getBytes(StandardCharsets.US_ASCII)) // odd: padded
            .chunk("data", WavBytes.pcm16((short) 16384, (short) -8192, (short) 0))
            .chunk("junk", new byte[5])
            .chunk("fmt ", WavBytes.fmt(1, 1, 8000, 16))
            .build();
    AudioClip clip = WavReader.read(file("order.wav", wav));
    assertArrayEquals(new float[] {0.5f, -0.25f, 0f}, clip.samples());
    assertEquals(8000, clip.sampleRate());
  }

  @Test
  void stereoIsMixedDownToTheMeanWithANotice() throws IOException {
    byte[] wav =
        new WavBytes()
            .chunk("fmt ", WavBytes.fmt(1, 2, 22050, 16))
            .chunk("data", WavBytes.pcm16((short) 16384, (short) 0, (short) -16384, (short) -16384))
            .build();
    List<String> notices = new ArrayList<>();
    Path p = file("stereo.wav", wav);
    AudioClip clip = WavReader.read(p, notices::add);
    assertArrayEquals(new float[] {0.25f, -0.5f}, clip.samples());
    assertEquals(1, notices.size(), notices.toString());
    assertTrue(notices.get(0).startsWith(p + ": 2 channels mixed down to mono"), notices.get(0));
  }

  @Test
  void extensiblePcmAndFloatAreRead() throws IOException {
    byte[] pcm =
        new WavBytes()
            .chunk("fmt ", WavBytes.extensible(1, 1, 8000, 16))
            .chunk("data", WavBytes.pcm16((short) -32768, (short) 8192))
            .build();
    assertArrayEquals(new float[] {-1f, 0.25f}, WavReader.read(file("ext.wav", pcm)).samples());
    byte[] flt =
        new WavBytes()
            .chunk("fmt ", WavBytes.extensible(3, 2, 48000, 32))
            .chunk("fact", new byte[4])
            .chunk("data", WavBytes.float32(0.5f, 0.25f, 2f, 1f))
            .build();
    List<String> notices = new ArrayList<>();
    AudioClip clip = WavReader.read(file("extf.wav", flt), notices::add);
    assertArrayEquals(new float[] {0.375f, 1f}, clip.samples()); // 1.0 after clipping
    assertEquals(2, notices.size(), notices.toString());
    assertTrue(notices.get(1).endsWith("1 sample(s) beyond [-1, 1] clipped"), notices.get(1));
  }

  @Test
  void eightAndTwentyFourBitAreConvertedWithANotice() throws IOException {
    byte[] u8 =
        new WavBytes()
            .chunk("fmt ", WavBytes.fmt(1, 1, 8000, 8))
            .chunk("data", new byte[] {0, (byte) 128, (byte) 192}) // odd size, padded
            .build();
    List<String> notices = new ArrayList<>();
    Path p8 = file("u8.wav", u8);
    assertArrayEquals(new float[] {-1f, 0f, 0.5f}, WavReader.read(p8, notices::add).samples());
    assertEquals(List.of(p8 + ": 8-bit PCM converted to 32-bit float"), notices);

    byte[] s24 =
        new WavBytes()
            .chunk("fmt ", WavBytes.fmt(1, 1, 96000, 24))
            .chunk("data", WavBytes.pcm24(-8388608, 4194304, 1))
            .build();
    notices.clear();
    Path p24 = file("s24.wav", s24);
    assertArrayEquals(
        new float[] {-1f, 0.5f, 1f / 8388608}, WavReader.read(p24, notices::add).samples());
    assertEquals(List.of(p24 + ": 24-bit PCM converted to 32-bit float"), notices);
    assertEquals(WavEncoding.PCM_24, WavReader.probe(p24).encoding());
  }

  @Test
  void aNonWavFileIsAClearError() throws IOException {
    Path p = file("notes.txt", "hello, this is text, not audio\n".getBytes(StandardCharsets.UTF_8));
    WavFormatException ex = assertThrows(WavFormatException.class, () -> WavReader.read(p));
    assertEquals(p + ": not a WAV file (no RIFF/WAVE header)", ex.getMessage());
  }

  @Test
  void anEmptyFileIsAClearError() throws IOException {
    Path p = file("empty.wav", new byte[0]);
    WavFormatException ex = assertThrows(WavFormatException.class, () -> WavReader.read(p));
    assertEquals(p + ": empty file (0 bytes), not a WAV file", ex.getMessage());
  }

  @Test
  void aTruncatedFileIsAClearError() throws IOException {
    byte[] whole = WavWriter.encode(new AudioClip(new float[1000], 8000), WavEncoding.PCM_16);
    Path cutInData = file("cut.wav", Arrays.copyOf(whole, 1000));
    WavFormatException ex = assertThrows(WavFormatException.class, () -> WavReader.read(cutInData));
    assertEquals(
        cutInData + ": truncated: the data chunk declares 2,000 bytes but only 956 follow",
        ex.getMessage());
    Path cutInHeader = file("cut2.wav", Arrays.copyOf(whole, 30));
    ex = assertThrows(WavFormatException.class, () -> WavReader.read(cutInHeader));
    assertEquals(cutInHeader + ": truncated inside the 'fmt ' chunk", ex.getMessage());
    Path cutBeforeData = file("cut3.wav", Arrays.copyOf(whole, 40));
    ex = assertThrows(WavFormatException.class, () -> WavReader.probe(cutBeforeData));
    assertEquals(cutBeforeData + ": no 'data' chunk (truncated or not audio)", ex.getMessage());
    Path tiny = file("cut4.wav", Arrays.copyOf(whole, 6));
    ex = assertThrows(WavFormatException.class, () -> WavReader.read(tiny));
    assertEquals(tiny + ": truncated: 6 bytes, too short for a WAV header", ex.getMessage());
  }

  @Test
  void anUnsupportedEncodingIsNamed() throws IOException {
    byte[] adpcm =
        new WavBytes()
            .chunk("fmt ", WavBytes.fmt(2, 1, 8000, 4))
            .chunk("data", new byte[64])
            .build();
    Path p = file("adpcm.wav", adpcm);
    WavFormatException ex = assertThrows(WavFormatException.class, () -> WavReader.read(p));
    assertTrue(
        ex.getMessage()
            .startsWith(p + ": unsupported WAV encoding Microsoft ADPCM (format 0x0002)"),
        ex.getMessage());
    byte[] pcm12 =
        new WavBytes()
            .chunk("fmt ", WavBytes.fmt(1, 1, 8000, 12))
            .chunk("data", new byte[64])
            .build();
    Path p12 = file("pcm12.wav", pcm12);
    ex = assertThrows(WavFormatException.class, () -> WavReader.read(p12));
    assertTrue(ex.getMessage().contains("unsupported PCM with 12 bits"), ex.getMessage());
  }

  @Test
  void nonFiniteFloatSamplesAreAnError() throws IOException {
    byte[] wav =
        new WavBytes()
            .chunk("fmt ", WavBytes.fmt(3, 1, 8000, 32))
            .chunk("data", WavBytes.float32(0f, Float.NaN))
            .build();
    Path p = file("nan.wav", wav);
    WavFormatException ex = assertThrows(WavFormatException.class, () -> WavReader.read(p));
    assertEquals(p + ": holds a non-finite sample (NaN) at frame 1", ex.getMessage());
  }

  @Test
  void aMissingFileOrADirectoryIsAClearError() {
    Path missing = dir.resolve("nope.wav");
    NoSuchFileException ex = assertThrows(NoSuchFileException.class, () -> WavReader.read(missing));
    assertTrue(ex.getMessage().contains("nope.wav"), ex.getMessage());
    WavFormatException dirEx = assertThrows(WavFormatException.class, () -> WavReader.read(dir));
    assertTrue(dirEx.getMessage().endsWith("is a directory, not a WAV file"), dirEx.getMessage());
  }

  @Test
  void aClipOutsideTheUnitRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new AudioClip(new float[] {1.5f}, 8000));
    assertThrows(IllegalArgumentException.class, () -> new AudioClip(new float[] {0f}, 0));
  }
}
