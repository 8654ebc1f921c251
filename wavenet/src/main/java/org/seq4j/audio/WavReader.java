package org.seq4j.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads WAV files into mono {@link AudioClip}s.
 *
 * <p>The file is a RIFF/WAVE container whose chunks may come in any order: unknown chunks ({@code
 * LIST}, {@code fact}, {@code cue }, ...) are skipped, odd-sized chunks are followed by their pad
 * byte. The {@code fmt } chunk may be PCM (format 1), IEEE float (format 3) or {@code
 * WAVE_FORMAT_EXTENSIBLE} (0xFFFE) with either as its sub-format.
 *
 * <ul>
 *   <li>16-bit PCM and 32-bit float are read as they are: {@code s / 32768} and the float itself.
 *   <li>8-bit (unsigned, {@code (b - 128) / 128}), 24-bit and 32-bit PCM ({@code s / 2^(bits-1)})
 *       and 64-bit float are converted to float with a notice.
 *   <li>Several channels are mixed down to mono (their mean) with a notice.
 *   <li>Float samples beyond [-1, 1] are clipped with a notice; NaN or infinite samples are an
 *       error.
 * </ul>
 *
 * <p>Every problem is a {@link WavFormatException} naming the file: not a WAV file, an empty or
 * truncated file, a malformed {@code fmt } chunk, or another encoding (ADPCM, A-law, μ-law, MP3).
 */
public final class WavReader {
  private static final int HEADER_BYTES = 12;
  private static final int CHUNK_HEADER_BYTES = 8;
  private static final int FORMAT_PCM = 0x0001;
  private static final int FORMAT_FLOAT = 0x0003;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

  /** The last 14 bytes of the KSDATAFORMAT_SUBTYPE GUIDs for PCM and IEEE float. */
  private static final byte[] SUBFORMAT_GUID_TAIL = {
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
  };

  private WavReader() {}

  /** Reads {@code file}; conversion notices are dropped. */
  public static AudioClip read(Path file) throws IOException {
    return read(file, notice -> {});
  }

  /**
   * Reads {@code file} as mono float samples at the file's own rate.
   *
   * @param notices receives one line per conversion (bit depth, mix-down, clipping)
   * @throws WavFormatException if the file is not a WAV file seq4j can read
   * @throws NoSuchFileException if there is no such file
   */
  public static AudioClip read(Path file, Consumer<String> notices) throws IOException {
    try (SeekableByteChannel channel = open(file)) {
      Layout layout = layout(channel, file, notices);
      return decode(channel, layout, file, notices);
    }
  }

  /** Reads only the header of {@code file}: its encoding, channels, rate and length. */
  public static WavInfo probe(Path file) throws IOException {
    try (SeekableByteChannel channel = open(file)) {
      return layout(channel, file, notice -> {}).info();
    }
  }

  private static SeekableByteChannel open(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new WavFormatException(file, "is a directory, not a WAV file");
    }
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such WAV file");
    }
    return Files.newByteChannel(file);
  }

  /** Where the samples are and how they are stored. */
  private record Layout(WavInfo info, int blockAlign, long dataOffset) {}

  /** The fields of a {@code fmt } chunk that matter. */
  private record Format(WavEncoding encoding, int channels, int sampleRate, int blockAlign) {}

  private static Layout layout(SeekableByteChannel channel, Path file, Consumer<String> notices)
      throws IOException {
    long size = channel.size();
    if (size == 0) {
      throw new WavFormatException(file, "empty file (0 bytes), not a WAV file");
    }
    ByteBuffer header = readAt(channel, 0, (int) Math.min(HEADER_BYTES, size));
    String riff = fourCc(header, 0);
    if (size < HEADER_BYTES) {
      throw new WavFormatException(
          file,
          riff.startsWith("RIF")
              ? "truncated: " + size + " bytes, too short for a WAV header"
              : "not a WAV file (no RIFF/WAVE header)");
    }
    String wave = fourCc(header, 8);
    if (riff.equals("RIFX") || riff.equals("RF64")) {
      throw new WavFormatException(
          file, "unsupported container " + riff + "; seq4j reads little-endian RIFF/WAVE files");
    }
    if (!riff.equals("RIFF") || !wave.equals("WAVE")) {
      throw new WavFormatException(file, "not a WAV file (no RIFF/WAVE header)");
    }
    Format format = null;
    long dataOffset = -1;
    long dataBytes = 0;
    long pos = HEADER_BYTES;
    while (pos + CHUNK_HEADER_BYTES <= size && (format == null || dataOffset < 0)) {
      ByteBuffer chunk = readAt(channel, pos, CHUNK_HEADER_BYTES);
      String id = fourCc(chunk, 0);
      long chunkSize = Integer.toUnsignedLong(chunk.getInt(4));
      long body = pos + CHUNK_HEADER_BYTES;
      long available = size - body;
      if (id.equals("fmt ")) {
        if (chunkSize < 16) {
          throw new WavFormatException(
              file, "malformed 'fmt ' chunk: " + chunkSize + " bytes, at least 16 expected");
        }
        if (chunkSize > available) {
          throw new WavFormatException(file, "truncated inside the 'fmt ' chunk");
        }
        format = format(readAt(channel, body, (int) Math.min(chunkSize, 40)), file);
      } else if (id.equals("data")) {
        dataOffset = body;
        if (chunkSize > available) {
          if (chunkSize != UNKNOWN_SIZE) {
            throw new WavFormatException(
                file,
                String.format(
                    Locale.ROOT,
                    "truncated: the data chunk declares %,d bytes but only %,d follow",
                    chunkSize,
                    available));
          }
          notices.accept(file + ": the data chunk has no size (a streamed file); read to its end");
          chunkSize = available;
        }
        dataBytes = chunkSize;
      }
      pos = body + chunkSize + (chunkSize & 1);
    }
    if (format == null) {
      throw new WavFormatException(
          file, "no 'fmt ' chunk" + (dataOffset < 0 ? " (truncated or not audio)" : ""));
    }
    if (dataOffset < 0) {
      throw new WavFormatException(file, "no 'data' chunk (truncated or not audio)");
    }
    long frames = dataBytes / format.blockAlign();
    long partial = dataBytes % format.blockAlign();
    if (partial != 0) {
      notices.accept(
          file + ": ignored " + partial + " trailing byte(s) of an incomplete last frame");
    }
    WavInfo info = new WavInfo(format.encoding(), format.channels(), format.sampleRate(), frames);
    return new Layout(info, format.blockAlign(), dataOffset);
  }

  private static Format format(ByteBuffer fmt, Path file) throws WavFormatException {
    int tag = Short.toUnsignedInt(fmt.getShort(0));
    int channels = Short.toUnsignedInt(fmt.getShort(2));
    long rate = Integer.toUnsignedLong(fmt.getInt(4));
    int blockAlign = Short.toUnsignedInt(fmt.getShort(12));
    int bits = Short.toUnsignedInt(fmt.getShort(14));
    if (tag == FORMAT_EXTENSIBLE) {
      if (fmt.limit() < 40) {
        throw new WavFormatException(
            file,
            "malformed WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk: "
                + fmt.limit()
                + " bytes, 40 expected");
      }
      tag = Short.toUnsignedInt(fmt.getShort(24));
      for (int i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
        if (fmt.get(26 + i) != SUBFORMAT_GUID_TAIL[i]) {
          throw new WavFormatException(
              file, "unsupported WAVE_FORMAT_EXTENSIBLE sub-format (not PCM or IEEE float)");
        }
      }
    }
    WavEncoding encoding = encoding(tag, bits, file);
    if (channels == 0) {
      throw new WavFormatException(file, "malformed 'fmt ' chunk: 0 channels");
    }
    if (rate == 0 || rate > Integer.MAX_VALUE) {
      throw new WavFormatException(file, "malformed 'fmt ' chunk: sample rate " + rate);
    }
    if (blockAlign < channels * encoding.bytes()) {
      throw new WavFormatException(
          file,
          "malformed 'fmt ' chunk: block align "
              + blockAlign
              + " is too small for "
              + channels
              + " channel(s) of "
              + bits
              + " bits");
    }
    return new Format(encoding, channels, (int) rate, blockAlign);
  }

  private static WavEncoding encoding(int tag, int bits, Path file) throws WavFormatException {
    if (tag == FORMAT_PCM) {
      switch (bits) {
        case 8:
          return WavEncoding.PCM_U8;
        case 16:
          return WavEncoding.PCM_16;
        case 24:
          return WavEncoding.PCM_24;
        case 32:
          return WavEncoding.PCM_32;
        default:
          throw new WavFormatException(
              file, "unsupported PCM with " + bits + " bits per sample (8, 16, 24 or 32 expected)");
      }
    }
    if (tag == FORMAT_FLOAT) {
      if (bits == 32) {
        return WavEncoding.FLOAT_32;
      }
      if (bits == 64) {
        return WavEncoding.FLOAT_64;
      }
      throw new WavFormatException(
          file, "unsupported IEEE float with " + bits + " bits per sample (32 or 64 expected)");
    }
    throw new WavFormatException(
        file,
        String.format(
            Locale.ROOT,
            "unsupported WAV encoding %s (format 0x%04X); seq4j reads PCM (8, 16, 24, 32-bit)"
                + " and IEEE float (32, 64-bit)",
            encodingName(tag),
            tag));
  }

  /** Names of the common encodings seq4j does not read, for the error message. */
  private static String encodingName(int tag) {
    switch (tag) {
      case 0x0002:
        return "Microsoft ADPCM";
      case 0x0006:
        return "A-law";
      case 0x0007:
        return "μ-law";
      case 0x0011:
        return "IMA ADPCM";
      case 0x0031:
        return "GSM 6.10";
      case 0x0050:
        return "MPEG";
      case 0x0055:
        return "MPEG Layer 3";
      default:
        return "with an unknown format code";
    }
  }

  private static AudioClip decode(
      SeekableByteChannel channel, Layout layout, Path file, Consumer<String> notices)
      throws IOException {
    WavInfo info = layout.info();
    if (info.frames() > Integer.MAX_VALUE - 8) {
      throw new WavFormatException(
          file, "too long: " + info.frames() + " frames (at most 2^31 are read into one clip)");
    }
    int frames = (int) info.frames();
    int channels = info.channels();
    WavEncoding encoding = info.encoding();
    if (!encoding.isNative()) {
      notices.accept(file + ": " + encoding.label() + " converted to 32-bit float");
    }
    if (channels > 1) {
      notices.accept(file + ": " + channels + " channels mixed down to mono (their mean)");
    }
    float[] out = new float[frames];
    int blockAlign = layout.blockAlign();
    int framesPerRead = Math.max(1, (1 << 20) / blockAlign);
    long clipped = 0;
    for (int first = 0; first < frames; first += framesPerRead) {
      int count = Math.min(framesPerRead, frames - first);
      ByteBuffer bytes =
          readAt(channel, layout.dataOffset() + (long) first * blockAlign, count * blockAlign);
      for (int f = 0; f < count; f++) {
        double sum = 0;
        int base = f * blockAlign;
        for (int c = 0; c < channels; c++) {
          double x = sampleAt(bytes, base + c * encoding.bytes(), encoding);
          if (!Double.isFinite(x)) {
            throw new WavFormatException(
                file, "holds a non-finite sample (" + x + ") at frame " + (first + f));
          }
          sum += x;
        }
        double mean = sum / channels;
        if (mean > 1 || mean < -1) {
          clipped++;
          mean = Math.max(-1, Math.min(1, mean));
        }
        out[first + f] = (float) mean;
      }
    }
    if (clipped > 0) {
      notices.accept(
          String.format(Locale.ROOT, "%s: %,d sample(s) beyond [-1, 1] clipped", file, clipped));
    }
    return AudioClip.owning(out, info.sampleRate());
  }

  /** One sample as a double, full scale = 1. */
  private static double sampleAt(ByteBuffer b, int at, WavEncoding encoding) {
    switch (encoding) {
      case PCM_U8:
        return (Byte.toUnsignedInt(b.get(at)) - 128) / 128.0;
      case PCM_16:
        return b.getShort(at) / 32768.0;
      case PCM_24:
        int s24 = (b.get(at) & 0xFF) | (b.get(at + 1) & 0xFF) << 8 | b.get(at + 2) << 16;
        return s24 / 8388608.0;
      case PCM_32:
        return b.getInt(at) / 2147483648.0;
      case FLOAT_32:
        return b.getFloat(at);
      case FLOAT_64:
        return b.getDouble(at);
      default:
        throw new AssertionError(encoding);
    }
  }

  private static ByteBuffer readAt(SeekableByteChannel channel, long pos, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    channel.position(pos);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        break;
      }
    }
    buffer.flip();
    return buffer;
  }

  private static String fourCc(ByteBuffer b, int at) {
    char[] id = new char[4];
    for (int i = 0; i < 4; i++) {
      id[i] = at + i < b.limit() ? (char) (b.get(at + i) & 0xFF) : ' ';
    }
    return new String(id);
  }
}
