package org.seq4j.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds WAV files byte by byte, for tests of odd layouts. */
final class WavBytes {
  private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();

  /** Appends a chunk (with its pad byte when the size is odd). */
  WavBytes chunk(String id, byte[] body) {
    return chunk(id, body, body.length);
  }

  /** Appends a chunk whose header declares {@code declaredSize} bytes. */
  WavBytes chunk(String id, byte[] body, long declaredSize) {
    chunks.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    chunks.writeBytes(le32((int) declaredSize));
    chunks.writeBytes(body);
    if ((body.length & 1) == 1) {
      chunks.write(0);
    }
    return this;
  }

  /** A plain {@code fmt } body: format tag, channels, rate, bits. */
  static byte[] fmt(int tag, int channels, int rate, int bits) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    int block = channels * bits / 8;
    b.putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * block);
    b.putShort((short) block).putShort((short) bits);
    return b.array();
  }

  /** A WAVE_FORMAT_EXTENSIBLE {@code fmt } body with sub-format {@code subTag}. */
  static byte[] extensible(int subTag, int channels, int rate, int bits) {
    ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
    int block = channels * bits / 8;
    b.putShort((short) 0xFFFE).putShort((short) channels).putInt(rate).putInt(rate * block);
    b.putShort((short) block).putShort((short) bits);
    b.putShort((short) 22).putShort((short) bits).putInt(channels == 2 ? 3 : 4);
    b.putShort((short) subTag);
    b.put(
        new byte[] {
          0x00,
          0x00,
          0x00,
          0x00,
          0x10,
          0x00,
          (byte) 0x80,
          0x00,
          0x00,
          (byte) 0xAA,
          0x00,
          0x38,
          (byte) 0x9B,
          0x71
        });
    return b.array();
  }

  static byte[] pcm16(short... samples) {
    ByteBuffer b = ByteBuffer.allocate(2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : samples) {
      b.putShort(s);
    }
    return b.array();
  }

  static byte[] float32(float... samples) {
    ByteBuffer b = ByteBuffer.allocate(4 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float s : samples) {
      b.putFloat(s);
    }
    return b.array();
  }

  static byte[] pcm24(int... samples) {
    byte[] out = new byte[3 * samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[3 * i] = (byte) samples[i];
      out[3 * i + 1] = (byte) (samples[i] >> 8);
      out[3 * i + 2] = (byte) (samples[i] >> 16);
    }
    return out;
  }

  /** The whole file: RIFF header and the chunks so far. */
  byte[] build() {
    byte[] body = chunks.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(le32(body.length + 4));
    out.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }
}
