package org.seq4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format:
 * an 8-byte little-endian header length, a JSON header describing each tensor's dtype, shape and
 * byte range, and the raw little-endian, row-major tensor data.
 *
 * <p>Tensors stored as F32, F16 or BF16 are read, and always returned as float32; other dtypes are
 * rejected. Files are written with F32 tensors only, in the order given, with the header padded to
 * a multiple of 8 bytes as the reference implementation does. Writes are atomic: a crash leaves
 * either the old file or the new one.
 *
 * <p>Malformed files raise a {@link SafeTensorsException} whose message names the file, the tensor
 * involved, and the problem.
 */
public final class SafeTensors {
  private SafeTensors() {}

  /**
   * A tensor read into plain Java: float32 data, row-major, and its shape. The arrays are not
   * copied; {@code shape} is empty for a scalar.
   *
   * @param shape the dimensions, each non-negative
   * @param data the values in row-major order; as many as the product of the dimensions
   */
  public record TensorData(long[] shape, float[] data) {
    /**
     * Checks that the shape and data agree.
     *
     * @throws IllegalArgumentException if a dimension is negative or the sizes disagree
     */
    public TensorData {
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(data, "data");
      long numel = 1;
      for (long dim : shape) {
        if (dim < 0) {
          throw new IllegalArgumentException(
              "negative dimension in shape " + Arrays.toString(shape));
        }
        numel = Math.multiplyExact(numel, dim);
      }
      if (numel != data.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " needs " + numel + " values, got " + data.length);
      }
    }

    /** Two tensors are equal when their shapes and values are ({@link Arrays#equals}). */
    @Override
    public boolean equals(Object o) {
      return o instanceof TensorData other
          && Arrays.equals(shape, other.shape)
          && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "TensorData[shape=" + Arrays.toString(shape) + ", " + data.length + " values]";
    }
  }

  /**
   * File contents in file order (LinkedHashMap), plus the __metadata__ map (empty if none).
   *
   * @param tensors the tensors, by name, in the order of the file's header
   * @param metadata the header's {@code __metadata__} entries; empty if there are none
   */
  public record Contents(Map<String, TensorData> tensors, Map<String, String> metadata) {}

  /**
   * Reads a whole file into plain Java arrays, converting F16 and BF16 to float32. No engine is
   * needed.
   *
   * @throws SafeTensorsException if the file is malformed or holds an unsupported dtype
   */
  public static Contents read(Path file) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      in.requireReadable();
      Map<String, TensorData> tensors = new LinkedHashMap<>();
      for (TensorEntry entry : in.entries()) {
        tensors.put(entry.name(), new TensorData(entry.shape(), in.readFloats(entry)));
      }
      return new Contents(tensors, new LinkedHashMap<>(in.metadata()));
    }
  }

  /**
   * Reads a whole file into float32 arrays created in {@code manager}, converting F16 and BF16.
   * Each array is named after its tensor.
   *
   * @return the arrays by name, in file order (a {@link LinkedHashMap})
   * @throws SafeTensorsException if the file is malformed or holds an unsupported dtype
   */
  public static Map<String, NDArray> load(Path file, NDManager manager) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      in.requireReadable();
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      try {
        for (TensorEntry entry : in.entries()) {
          in.requireAtMost(
              entry, Integer.MAX_VALUE / Float.BYTES, "more than one DJL buffer can hold");
          // Decode straight into the native-order direct buffer that the array will wrap.
          ByteBuffer buffer = manager.allocateDirect((int) entry.numel() * Float.BYTES);
          in.readFloats(entry, buffer.asFloatBuffer());
          NDArray array = manager.create(buffer, new Shape(entry.shape()), DataType.FLOAT32);
          array.setName(entry.name());
          arrays.put(entry.name(), array);
        }
      } catch (IOException | RuntimeException e) {
        arrays.values().forEach(NDArray::close);
        throw e;
      }
      return arrays;
    }
  }

  /**
   * Reads the {@code __metadata__} map from the header, without reading any tensor data.
   *
   * @return the metadata in header order; empty if there is none
   * @throws SafeTensorsException if the header is malformed
   */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      return new LinkedHashMap<>(in.metadata());
    }
  }

  /**
   * Writes F32 tensors atomically: temp file in the same directory, fsync (FileChannel.force),
   * atomic rename (ATOMIC_MOVE, fall back to REPLACE_EXISTING), then fsync of the directory where
   * possible.
   *
   * <p>Arrays of other numeric types are converted to float32 one at a time, and the converted
   * copies closed, so the native memory held at once is about one tensor.
   *
   * @param tensors the arrays by name, written in iteration order
   * @param metadata string entries for the header's {@code __metadata__}; may be null or empty
   */
  public static void save(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
      throws IOException {
    List<SafeTensorsWriter.Tensor> list = new ArrayList<>(tensors.size());
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      NDArray array = e.getValue();
      if (array == null) {
        throw new IllegalArgumentException("tensor '" + e.getKey() + "' is null");
      }
      if (array.getDataType() == DataType.STRING) {
        throw new IllegalArgumentException(
            "tensor '" + e.getKey() + "' holds strings, which safetensors cannot store");
      }
      list.add(
          new SafeTensorsWriter.Tensor(
              e.getKey(), array.getShape().getShape(), () -> toFloats(array)));
    }
    SafeTensorsWriter.write(file, list, metadata == null ? Map.of() : metadata);
  }

  /**
   * Writes plain-Java tensors as F32, atomically, like {@link #save}.
   *
   * @param tensors the tensors by name, written in iteration order
   * @param metadata string entries for the header's {@code __metadata__}; may be null or empty
   */
  public static void saveData(
      Path file, Map<String, TensorData> tensors, Map<String, String> metadata) throws IOException {
    List<SafeTensorsWriter.Tensor> list = new ArrayList<>(tensors.size());
    for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
      TensorData tensor = e.getValue();
      if (tensor == null) {
        throw new IllegalArgumentException("tensor '" + e.getKey() + "' is null");
      }
      list.add(new SafeTensorsWriter.Tensor(e.getKey(), tensor.shape(), tensor::data));
    }
    SafeTensorsWriter.write(file, list, metadata == null ? Map.of() : metadata);
  }

  /**
   * Strict load into existing arrays (same names, same shapes), copying values in place with
   * NDArray.set(FloatBuffer) or similar. Missing tensor, extra tensor, or wrong shape -> error.
   *
   * <p>The whole header is checked against {@code targets} before any array is changed, so a file
   * that does not fit leaves every target untouched. Targets that are not float32 receive the
   * values converted to their own type. Each target keeps its identity, device and gradient flag;
   * its storage is replaced by the loaded values.
   *
   * @param targets the arrays to fill, by tensor name
   * @throws SafeTensorsException if the file is malformed, a target has no tensor in the file, the
   *     file has a tensor with no target, or the shapes differ
   */
  public static void loadInto(Path file, Map<String, NDArray> targets) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      Map<String, TensorEntry> entries = new LinkedHashMap<>();
      for (TensorEntry entry : in.entries()) {
        entries.put(entry.name(), entry);
      }
      checkNames(file, entries, targets);
      for (Map.Entry<String, NDArray> target : targets.entrySet()) {
        TensorEntry entry = entries.get(target.getKey());
        long[] expected = target.getValue().getShape().getShape();
        if (!Arrays.equals(expected, entry.shape())) {
          throw new SafeTensorsException(
              file,
              entry.name(),
              "shape mismatch: expected "
                  + Arrays.toString(expected)
                  + " but the file has "
                  + entry.shapeText());
        }
      }
      in.requireReadable();
      for (Map.Entry<String, NDArray> target : targets.entrySet()) {
        TensorEntry entry = entries.get(target.getKey());
        copyInto(target.getValue(), in.readFloats(entry));
      }
    }
  }

  private static void checkNames(
      Path file, Map<String, TensorEntry> entries, Map<String, NDArray> targets)
      throws SafeTensorsException {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, NDArray> target : targets.entrySet()) {
      if (target.getValue() == null) {
        throw new IllegalArgumentException("target '" + target.getKey() + "' is null");
      }
      if (!entries.containsKey(target.getKey())) {
        missing.add(target.getKey());
      }
    }
    if (!missing.isEmpty()) {
      throw new SafeTensorsException(
          file,
          missing.get(0),
          "missing tensor: expected but not in the file" + alsoListed(missing));
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : entries.keySet()) {
      if (!targets.containsKey(name)) {
        unexpected.add(name);
      }
    }
    if (!unexpected.isEmpty()) {
      throw new SafeTensorsException(
          file,
          unexpected.get(0),
          "unexpected tensor: in the file but not among the targets" + alsoListed(unexpected));
    }
  }

  private static String alsoListed(List<String> names) {
    return names.size() == 1 ? "" : " (" + names.size() + " in all: " + names + ")";
  }

  /** Replaces the values of {@code target}, whose shape matches, with {@code values}. */
  private static void copyInto(NDArray target, float[] values) {
    if (target.getDataType() == DataType.FLOAT32) {
      target.set(FloatBuffer.wrap(values));
      return;
    }
    try (NDManager scratch = target.getManager().newSubManager()) {
      NDArray loaded = scratch.create(values, target.getShape());
      NDArray converted = loaded.toType(target.getDataType(), false);
      target.set(converted.toByteBuffer());
    }
  }

  /** The array's values as float32; a converted copy, if one is needed, is closed at once. */
  private static float[] toFloats(NDArray array) {
    if (array.getDataType() == DataType.FLOAT32) {
      return array.toFloatArray();
    }
    try (NDArray converted = array.toType(DataType.FLOAT32, true)) {
      return converted.toFloatArray();
    }
  }
}
