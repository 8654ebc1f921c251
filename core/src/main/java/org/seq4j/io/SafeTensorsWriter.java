package org.seq4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes float32 tensors as a safetensors file, atomically: the data goes to a temporary file in
 * the target's directory, is synced to disk, and the temporary file is renamed over the target.
 * Readers therefore see either the old file or the complete new one, never a partial write.
 */
final class SafeTensorsWriter {
  private static final int CHUNK_BYTES = 1 << 20;
  private static final int MAX_TEMP_ATTEMPTS = 100;

  private SafeTensorsWriter() {}

  /** Supplies a tensor's values when it is written, so that only one tensor is held at a time. */
  @FunctionalInterface
  interface FloatSource {
    float[] get() throws IOException;
  }

  /** A tensor to write: its name, shape, and a source of its row-major values. */
  record Tensor(String name, long[] shape, FloatSource data) {}

  /** Writes {@code tensors} in the given order, with {@code metadata} in the header. */
  static void write(Path file, List<Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    List<TensorEntry> entries = layout(tensors);
    checkMetadata(metadata);
    byte[] header = SafeTensorsHeader.encode(entries, metadata);

    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = createTemp(dir, target.getFileName().toString());
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        length.putLong(0, header.length);
        writeFully(channel, length);
        writeFully(channel, ByteBuffer.wrap(header));
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < tensors.size(); i++) {
          float[] values = tensors.get(i).data().get();
          TensorEntry entry = entries.get(i);
          if (values == null || values.length != entry.numel()) {
            throw new IllegalStateException(
                "tensor '"
                    + entry.name()
                    + "' of shape "
                    + entry.shapeText()
                    + " needs "
                    + entry.numel()
                    + " values, got "
                    + (values == null ? "null" : values.length));
          }
          writeFloats(channel, chunk, values);
        }
        channel.force(true);
      }
      moveIntoPlace(temp, target);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    syncDirectory(dir);
  }

  /** Validates names and shapes and assigns consecutive byte ranges in the given order. */
  private static List<TensorEntry> layout(List<Tensor> tensors) {
    List<TensorEntry> entries = new ArrayList<>(tensors.size());
    long offset = 0;
    for (Tensor tensor : tensors) {
      String name = tensor.name();
      if (name == null) {
        throw new IllegalArgumentException("tensor names must not be null");
      }
      if (SafeTensorsHeader.METADATA_KEY.equals(name)) {
        throw new IllegalArgumentException(
            "'" + SafeTensorsHeader.METADATA_KEY + "' is reserved and cannot name a tensor");
      }
      long[] shape = tensor.shape().clone();
      long numel = 1;
      for (long dim : shape) {
        if (dim < 0) {
          throw new IllegalArgumentException(
              "tensor '" + name + "' has a negative dimension in shape " + Arrays.toString(shape));
        }
        numel = Math.multiplyExact(numel, dim);
      }
      long end = Math.addExact(offset, Math.multiplyExact(numel, Float.BYTES));
      entries.add(new TensorEntry(name, Dtype.F32, shape, numel, offset, end));
      offset = end;
    }
    return entries;
  }

  private static void checkMetadata(Map<String, String> metadata) {
    metadata.forEach(
        (key, value) -> {
          if (key == null || value == null) {
            throw new IllegalArgumentException(
                "metadata keys and values must not be null, got " + key + " = " + value);
          }
        });
  }

  /**
   * Creates an empty temporary file next to the target. Unlike {@link Files#createTempFile}, this
   * keeps the default permissions, so the final file gets the same permissions as any new file.
   */
  private static Path createTemp(Path dir, String fileName) throws IOException {
    for (int attempt = 1; ; attempt++) {
      String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
      Path temp = dir.resolve("." + fileName + "." + suffix + ".tmp");
      try {
        return Files.createFile(temp);
      } catch (FileAlreadyExistsException e) {
        if (attempt == MAX_TEMP_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static void writeFloats(FileChannel channel, ByteBuffer chunk, float[] values)
      throws IOException {
    int perChunk = chunk.capacity() / Float.BYTES;
    for (int from = 0; from < values.length; from += perChunk) {
      int n = Math.min(perChunk, values.length - from);
      chunk.clear();
      chunk.asFloatBuffer().put(values, from, n);
      chunk.limit(n * Float.BYTES);
      writeFully(channel, chunk);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes the rename durable. Not every platform can open a directory (Windows cannot). */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The file itself is synced; only the durability of the rename is left to the OS.
    }
  }
}
