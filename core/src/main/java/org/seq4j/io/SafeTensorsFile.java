package org.seq4j.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * An open safetensors file whose header has been read and validated; tensor data is read on demand,
 * in chunks, and converted to float32.
 */
final class SafeTensorsFile implements Closeable {
  /** Largest header accepted, the same limit as the reference implementation. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  /** Largest element count read into one Java array (some JVMs reserve a few header words). */
  static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private static final int LENGTH_BYTES = 8;
  private static final int CHUNK_BYTES = 1 << 20;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final SafeTensorsHeader header;
  private ByteBuffer chunk;

  private SafeTensorsFile(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    long size = channel.size();
    if (size < LENGTH_BYTES) {
      throw new SafeTensorsException(
          file,
          "file is too short: "
              + size
              + " bytes, but a safetensors file starts with an 8-byte header length");
    }
    ByteBuffer length = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    readFully(length, 0, null);
    long headerLength = length.getLong(0); // unsigned on disk: negative here means > 2^63
    long available = size - LENGTH_BYTES;
    if (headerLength < 0 || headerLength > available) {
      throw new SafeTensorsException(
          file,
          "header length "
              + Long.toUnsignedString(headerLength)
              + " exceeds the "
              + available
              + " bytes that follow it: the file is truncated or not a safetensors file");
    }
    if (headerLength > MAX_HEADER_BYTES) {
      throw new SafeTensorsException(
          file,
          "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
    }
    ByteBuffer json = ByteBuffer.allocate((int) headerLength);
    readFully(json, LENGTH_BYTES, null);
    this.dataStart = LENGTH_BYTES + headerLength;
    this.header = SafeTensorsHeader.parse(file, json.array(), size - dataStart);
  }

  /** Opens {@code file} and reads and validates its header. */
  static SafeTensorsFile open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new SafeTensorsFile(file, channel);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The tensors in header order. */
  List<TensorEntry> entries() {
    return header.entries();
  }

  /** The {@code __metadata__} map; empty if there is none. */
  Map<String, String> metadata() {
    return header.metadata();
  }

  /** Fails unless every tensor has a dtype that can be read as float32. */
  void requireReadable() throws SafeTensorsException {
    for (TensorEntry entry : entries()) {
      requireReadable(entry);
    }
  }

  /** Fails unless {@code entry} has no more than {@code limit} elements. */
  void requireAtMost(TensorEntry entry, long limit, String why) throws SafeTensorsException {
    if (entry.numel() > limit) {
      throw new SafeTensorsException(
          file,
          entry.name(),
          "tensor of shape " + entry.shapeText() + " has " + entry.numel() + " elements, " + why);
    }
  }

  /** Reads one tensor into a new array. */
  float[] readFloats(TensorEntry entry) throws IOException {
    requireAtMost(entry, MAX_ARRAY_LENGTH, "more than a Java array can hold");
    float[] values = new float[(int) entry.numel()];
    readFloats(entry, FloatBuffer.wrap(values));
    return values;
  }

  /** Reads one tensor, converted to float32, into {@code dst} from its current position. */
  void readFloats(TensorEntry entry, FloatBuffer dst) throws IOException {
    requireReadable(entry);
    if (chunk == null) {
      chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }
    long position = dataStart + entry.begin();
    long remaining = entry.end() - entry.begin();
    while (remaining > 0) {
      // CHUNK_BYTES is a multiple of every element size, so chunks never split an element.
      int n = (int) Math.min(remaining, CHUNK_BYTES);
      chunk.clear().limit(n);
      readFully(chunk, position, entry.name());
      chunk.flip();
      decode(entry.dtype(), chunk, dst);
      position += n;
      remaining -= n;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static void decode(Dtype dtype, ByteBuffer bytes, FloatBuffer dst) {
    switch (dtype) {
      case F32 -> dst.put(bytes.asFloatBuffer());
      case F16 -> {
        ShortBuffer halves = bytes.asShortBuffer();
        while (halves.hasRemaining()) {
          dst.put(HalfFloats.halfToFloat(halves.get()));
        }
      }
      case BF16 -> {
        ShortBuffer halves = bytes.asShortBuffer();
        while (halves.hasRemaining()) {
          dst.put(HalfFloats.bfloat16ToFloat(halves.get()));
        }
      }
      default -> throw new IllegalStateException("no decoder for " + dtype);
    }
  }

  private void requireReadable(TensorEntry entry) throws SafeTensorsException {
    if (!entry.dtype().readable()) {
      throw new SafeTensorsException(
          file,
          entry.name(),
          "unsupported dtype " + entry.dtype() + ": only F32, F16 and BF16 can be read");
    }
  }

  private void readFully(ByteBuffer buffer, long position, String tensor) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new SafeTensorsException(
            file,
            tensor,
            "unexpected end of file at byte " + at + ": the file was truncated while being read");
      }
      at += read;
    }
  }
}
