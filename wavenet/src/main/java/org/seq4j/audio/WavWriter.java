package org.seq4j.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes mono WAV files: 16-bit PCM or 32-bit IEEE float. The file is written next to its
 * destination and then moved into place, so a reader never sees half a file.
 *
 * <p>16-bit samples are {@code round(x * 32768)} clamped to [-32768, 32767], the inverse of {@link
 * WavReader}'s {@code s / 32768}: a clip read from a 16-bit file is written back bit for bit.
 */
public final class WavWriter {
  private WavWriter() {}

  /**
   * Writes {@code clip} to {@code file} in {@code encoding}.
   *
   * @throws IllegalArgumentException if the encoding is not {@link WavEncoding#PCM_16} or {@link
   *     WavEncoding#FLOAT_32}
   */
  public static void write(Path file, AudioClip clip, WavEncoding encoding) throws IOException {
    byte[] bytes = encode(clip, encoding);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      out.write(bytes);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The bytes of a WAV file holding {@code clip} in {@code encoding}. */
  public static byte[] encode(AudioClip clip, WavEncoding encoding) {
    boolean isFloat;
    if (encoding == WavEncoding.PCM_16) {
      isFloat = false;
    } else if (encoding == WavEncoding.FLOAT_32) {
      isFloat = true;
    } else {
      throw new IllegalArgumentException(
          "WAV files are written as 16-bit PCM or 32-bit float, not " + encoding.label());
    }
    float[] x = clip.view();
    int bytesPerSample = encoding.bytes();
    long dataBytes = (long) x.length * bytesPerSample;
    // Float files carry an 18-byte fmt chunk (cbSize = 0) and a fact chunk, as the format requires.
    int fmtBytes = isFloat ? 18 : 16;
    int factBytes = isFloat ? 12 : 0;
    long total = 12 + 8 + fmtBytes + factBytes + 8 + dataBytes + (dataBytes & 1);
    if (total > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("clip too long for a WAV file: " + x.length + " samples");
    }
    ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    putFourCc(b, "RIFF");
    b.putInt((int) (total - 8));
    putFourCc(b, "WAVE");
    putFourCc(b, "fmt ");
    b.putInt(fmtBytes);
    b.putShort((short) (isFloat ? 3 : 1));
    b.putShort((short) 1);
    b.putInt(clip.sampleRate());
    b.putInt(clip.sampleRate() * bytesPerSample);
    b.putShort((short) bytesPerSample);
    b.putShort((short) encoding.bits());
    if (isFloat) {
      b.putShort((short) 0);
      putFourCc(b, "fact");
      b.putInt(4);
      b.putInt(x.length);
    }
    putFourCc(b, "data");
    b.putInt((int) dataBytes);
    for (float v : x) {
      if (isFloat) {
        b.putFloat(v);
      } else {
        long s = Math.round(v * 32768.0);
        b.putShort((short) Math.max(-32768, Math.min(32767, s)));
      }
    }
    return b.array();
  }

  private static void putFourCc(ByteBuffer b, String id) {
    for (int i = 0; i < 4; i++) {
      b.put((byte) id.charAt(i));
    }
  }
}
