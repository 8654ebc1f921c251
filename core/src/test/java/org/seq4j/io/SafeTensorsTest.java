package org.seq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors.Contents;
import org.seq4j.io.SafeTensors.TensorData;

/**
 * Tests for {@link SafeTensors}. The fixtures in {@code fixtures/safetensors} are cross-checked
 * with Python's safetensors by {@code tools/fixtures_safetensors.py}: it writes {@code
 * python_written.safetensors} (read here) and verifies {@code seq4j_written.safetensors} (written
 * here). Run with {@code -Dseq4j.updateFixtures=true} to rewrite {@code seq4j_written} after a
 * deliberate change to the writer.
 */
class SafeTensorsTest {
  private static final String FIXTURES = "/fixtures/safetensors/";
  private static final Path FIXTURE_SOURCES = Path.of("src/test/resources/fixtures/safetensors");

  /** Must match SEQ4J_METADATA in tools/fixtures_safetensors.py. */
  private static final Map<String, String> METADATA =
      orderedMap("format", "pt", "producer", "seq4j", "note", "unicode: \u00e9 \u2713");

  private static NDManager manager;

  @TempDir Path dir;

  @BeforeAll
  static void startEngine() {
    manager = Seq4jEngine.get().newBaseManager();
  }

  @AfterAll
  static void closeManager() {
    manager.close();
  }

  /**
   * The tensors of {@code seq4j_written.safetensors}, in write order; must match seq4j_expected()
   * in tools/fixtures_safetensors.py.
   */
  private static Map<String, TensorData> fixtureData() {
    float[] embedding = new float[12];
    float[] conv = new float[12];
    for (int i = 0; i < 12; i++) {
      embedding[i] = i * 0.25f - 1f;
      conv[i] = ((i * 37) % 11 - 5) / 4f;
    }
    float[] bias = {
      -0f,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      Float.MIN_VALUE,
      Float.MAX_VALUE,
      0.1f,
      -1f / 3f
    };
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    tensors.put("embedding.weight", new TensorData(new long[] {4, 3}, embedding));
    tensors.put("encoder.bias", new TensorData(new long[] {8}, bias));
    tensors.put("conv.weight", new TensorData(new long[] {2, 2, 3}, conv));
    tensors.put("scale", new TensorData(new long[0], new float[] {0.5f}));
    tensors.put("empty", new TensorData(new long[] {0, 3}, new float[0]));
    return tensors;
  }

  private static Map<String, NDArray> toArrays(Map<String, TensorData> tensors, NDManager m) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    tensors.forEach((name, t) -> arrays.put(name, m.create(t.data(), new Shape(t.shape()))));
    return arrays;
  }

  // ---------------------------------------------------------------- round trips and fixtures

  @Test
  void roundTripThroughReadAndLoad() throws IOException {
    Map<String, TensorData> expected = fixtureData();
    Path file = dir.resolve("model.safetensors");
    try (NDManager m = manager.newSubManager()) {
      SafeTensors.save(file, toArrays(expected, m), METADATA);
    }

    Contents contents = SafeTensors.read(file);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(contents.tensors().keySet()));
    assertEquals(expected, contents.tensors());
    assertEquals(METADATA, contents.metadata());
    assertEquals(List.copyOf(METADATA.keySet()), List.copyOf(contents.metadata().keySet()));

    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> loaded = SafeTensors.load(file, m);
      assertEquals(List.copyOf(expected.keySet()), List.copyOf(loaded.keySet()));
      for (Map.Entry<String, TensorData> e : expected.entrySet()) {
        NDArray array = loaded.get(e.getKey());
        assertEquals(DataType.FLOAT32, array.getDataType());
        assertArrayEquals(e.getValue().shape(), array.getShape().getShape(), e.getKey());
        assertBitsEqual(e.getValue().data(), array.toFloatArray(), e.getKey());
        assertSame(m, array.getManager());
      }
    }
  }

  @Test
  void saveMatchesCommittedFixture() throws IOException, URISyntaxException {
    Path file = dir.resolve("seq4j_written.safetensors");
    try (NDManager m = manager.newSubManager()) {
      SafeTensors.save(file, toArrays(fixtureData(), m), METADATA);
    }
    byte[] written = Files.readAllBytes(file);
    Path committedFile;
    if (Boolean.getBoolean("seq4j.updateFixtures")) {
      committedFile = FIXTURE_SOURCES.resolve("seq4j_written.safetensors");
      Files.copy(file, committedFile, StandardCopyOption.REPLACE_EXISTING);
    } else {
      committedFile = fixture("seq4j_written.safetensors");
    }
    byte[] committed = Files.readAllBytes(committedFile);
    assertArrayEquals(committed, written, "save output differs from the committed fixture");

    long headerLength = ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8, "header is padded to a multiple of 8 bytes");
    String header = new String(written, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"__metadata__\":"), header);
    assertTrue(header.stripTrailing().endsWith("}"), header);
  }

  @Test
  void saveDataWritesTheSameBytesAsSave() throws IOException {
    Path fromArrays = dir.resolve("arrays.safetensors");
    Path fromData = dir.resolve("data.safetensors");
    try (NDManager m = manager.newSubManager()) {
      SafeTensors.save(fromArrays, toArrays(fixtureData(), m), METADATA);
    }
    SafeTensors.saveData(fromData, fixtureData(), METADATA);
    assertArrayEquals(Files.readAllBytes(fromArrays), Files.readAllBytes(fromData));
  }

  @Test
  void readsFileWrittenByPython() throws IOException, URISyntaxException {
    Contents written = SafeTensors.read(fixture("python_written.safetensors"));
    Contents expected = SafeTensors.read(fixture("python_expected.safetensors"));

    assertEquals(Map.of("format", "pt"), written.metadata());
    assertEquals(expected.tensors().keySet(), written.tensors().keySet());
    for (Map.Entry<String, TensorData> e : expected.tensors().entrySet()) {
      TensorData actual = written.tensors().get(e.getKey());
      assertArrayEquals(e.getValue().shape(), actual.shape(), e.getKey());
      assertBitsEqual(e.getValue().data(), actual.data(), e.getKey());
    }

    // Spot checks against known constants, independent of the expected-values file.
    Map<String, TensorData> t = written.tensors();
    assertArrayEquals(new long[0], t.get("scalar").shape());
    assertEquals(3.25f, t.get("scalar").data()[0]);
    assertArrayEquals(new long[] {2, 0}, t.get("empty").shape());
    assertArrayEquals(new long[] {2, 3, 2}, t.get("cube").shape());
    assertArrayEquals(new long[0], t.get("half_scalar").shape());
    assertEquals(-0.0999755859375f, t.get("half_scalar").data()[0]);
    float[] half = t.get("half").data();
    assertBitsEqual(
        new float[] {
          0f,
          -0f,
          1f,
          -2f,
          65504f,
          0x1p-14f,
          0x1p-24f,
          1023 * 0x1p-24f,
          -0x1p-24f,
          Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY,
          Float.NaN,
          0.333251953125f,
          0x1p-15f
        },
        Arrays.copyOf(half, 14),
        "half specials");
    float[] brain = t.get("brain").data();
    assertBitsEqual(
        new float[] {
          0f,
          -0f,
          1f,
          -2f,
          Float.intBitsToFloat(0x7f7f0000),
          0x1p-126f,
          0x1p-133f,
          Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY,
          Float.NaN,
          0.333984375f
        },
        Arrays.copyOf(brain, 11),
        "bfloat16 specials");
  }

  @Test
  void loadConvertsHalfPrecisionToFloat32() throws IOException, URISyntaxException {
    Contents expected = SafeTensors.read(fixture("python_expected.safetensors"));
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> loaded = SafeTensors.load(fixture("python_written.safetensors"), m);
      for (String name : List.of("half", "half_scalar", "brain", "matrix", "empty")) {
        NDArray array = loaded.get(name);
        assertEquals(DataType.FLOAT32, array.getDataType(), name);
        assertEquals(name, array.getName());
        assertArrayEquals(expected.tensors().get(name).shape(), array.getShape().getShape());
        assertBitsEqual(expected.tensors().get(name).data(), array.toFloatArray(), name);
      }
    }
  }

  @Test
  void readMetadataReadsTheHeader() throws IOException, URISyntaxException {
    assertEquals(METADATA, SafeTensors.readMetadata(fixture("seq4j_written.safetensors")));
    assertEquals(
        Map.of("format", "pt"), SafeTensors.readMetadata(fixture("python_written.safetensors")));
    assertEquals(Map.of(), SafeTensors.readMetadata(fixture("python_expected.safetensors")));

    Path noMetadata = dir.resolve("plain.safetensors");
    SafeTensors.saveData(noMetadata, Map.of("x", scalar(1f)), null);
    assertEquals(Map.of(), SafeTensors.readMetadata(noMetadata));
    String header = headerOf(noMetadata);
    assertFalse(header.contains("__metadata__"), header);
  }

  // ---------------------------------------------------------------- half-float conversion

  @Test
  void halfToFloatMatchesTheDefinitionForEveryValue() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float actual = HalfFloats.halfToFloat((short) bits);
      int sign = bits >>> 15;
      int exponent = (bits >>> 10) & 0x1f;
      int mantissa = bits & 0x3ff;
      if (exponent == 0x1f) {
        if (mantissa == 0) {
          assertEquals(sign == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY, actual);
        } else {
          assertTrue(Float.isNaN(actual), Integer.toHexString(bits));
          int floatBits = Float.floatToRawIntBits(actual);
          assertEquals(sign, floatBits >>> 31, "NaN sign of " + Integer.toHexString(bits));
          assertEquals(mantissa, (floatBits >>> 13) & 0x3ff, "NaN payload");
        }
        continue;
      }
      // (-1)^sign * 2^(e - 15) * (1 + m / 1024) for normals, 2^-14 * (m / 1024) for subnormals.
      double magnitude =
          exponent == 0
              ? Math.scalb((double) mantissa, -24)
              : Math.scalb(1024.0 + mantissa, exponent - 25);
      double expected = sign == 0 ? magnitude : -magnitude;
      assertEquals(
          Double.doubleToRawLongBits(expected),
          Double.doubleToRawLongBits(actual),
          "half 0x" + Integer.toHexString(bits));
    }
  }

  @Test
  void bfloat16IsTheTopHalfOfAFloat() {
    assertEquals(1f, HalfFloats.bfloat16ToFloat((short) 0x3f80));
    assertEquals(-2f, HalfFloats.bfloat16ToFloat((short) 0xc000));
    assertEquals(0x1p-133f, HalfFloats.bfloat16ToFloat((short) 0x0001));
    assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.bfloat16ToFloat((short) 0xff80));
    assertTrue(Float.isNaN(HalfFloats.bfloat16ToFloat((short) 0x7fc1)));
    assertEquals(0x8000_0000, Float.floatToRawIntBits(HalfFloats.bfloat16ToFloat((short) 0x8000)));
  }

  // ---------------------------------------------------------------- writing

  @Test
  void saveConvertsOtherTypesWithoutLeakingArrays() throws IOException {
    Path file = dir.resolve("converted.safetensors");
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      arrays.put("doubles", m.create(new double[] {0.5, -1.25, 3}, new Shape(3)));
      arrays.put("ints", m.create(new int[] {1, -2, 3, 4}, new Shape(2, 2)));
      arrays.put("floats", m.create(new float[] {7f}, new Shape()));
      int before = m.getManagedArrays().size();
      SafeTensors.save(file, arrays, Map.of());
      assertEquals(before, m.getManagedArrays().size(), "save must close its temporary arrays");
      assertEquals(DataType.FLOAT64, arrays.get("doubles").getDataType());
    }
    Contents contents = SafeTensors.read(file);
    assertEquals(
        new TensorData(new long[] {3}, new float[] {0.5f, -1.25f, 3f}),
        contents.tensors().get("doubles"));
    assertEquals(
        new TensorData(new long[] {2, 2}, new float[] {1, -2, 3, 4}),
        contents.tensors().get("ints"));
    assertEquals(scalar(7f), contents.tensors().get("floats"));
    assertTrue(headerOf(file).contains("\"dtype\":\"F32\""));
    assertFalse(headerOf(file).contains("F64"));
  }

  @Test
  void saveReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("checkpoint.safetensors");
    SafeTensors.saveData(
        file, Map.of("w", new TensorData(new long[] {2}, new float[] {1, 2})), null);
    SafeTensors.saveData(file, Map.of("w", new TensorData(new long[] {1}, new float[] {9})), null);
    assertEquals(
        new TensorData(new long[] {1}, new float[] {9}), SafeTensors.read(file).tensors().get("w"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void saveRejectsReservedNameAndBadMetadataWithoutWriting() {
    Path file = dir.resolve("bad.safetensors");
    assertThrows(
        IllegalArgumentException.class,
        () -> SafeTensors.saveData(file, Map.of("__metadata__", scalar(1f)), null));
    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("k", null);
    assertThrows(
        IllegalArgumentException.class,
        () -> SafeTensors.saveData(file, Map.of("x", scalar(1f)), nullValue));
    assertFalse(Files.exists(file));
  }

  @Test
  void tensorDataChecksShapeAgainstData() {
    assertThrows(
        IllegalArgumentException.class, () -> new TensorData(new long[] {2}, new float[3]));
    assertThrows(
        IllegalArgumentException.class, () -> new TensorData(new long[] {-1}, new float[0]));
  }

  // ---------------------------------------------------------------- loadInto

  @Test
  void loadIntoCopiesValuesIntoExistingArrays() throws IOException {
    Path file = dir.resolve("weights.safetensors");
    Map<String, TensorData> data = fixtureData();
    SafeTensors.saveData(file, data, METADATA);
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> targets = new LinkedHashMap<>();
      data.forEach((name, t) -> targets.put(name, m.zeros(new Shape(t.shape()))));
      NDArray embedding = targets.get("embedding.weight");
      embedding.setRequiresGradient(true);

      SafeTensors.loadInto(file, targets);

      assertSame(embedding, targets.get("embedding.weight"));
      assertTrue(embedding.hasGradient(), "gradient flag is kept");
      for (Map.Entry<String, TensorData> e : data.entrySet()) {
        assertBitsEqual(e.getValue().data(), targets.get(e.getKey()).toFloatArray(), e.getKey());
      }
    }
  }

  @Test
  void loadIntoConvertsToTheTargetType() throws IOException {
    Path file = dir.resolve("weights.safetensors");
    SafeTensors.saveData(
        file, Map.of("w", new TensorData(new long[] {3}, new float[] {1, 2.5f, -4})), null);
    try (NDManager m = manager.newSubManager()) {
      NDArray target = m.zeros(new Shape(3), DataType.FLOAT64);
      SafeTensors.loadInto(file, Map.of("w", target));
      assertEquals(DataType.FLOAT64, target.getDataType());
      assertArrayEquals(new double[] {1, 2.5, -4}, target.toDoubleArray());
    }
  }

  @Test
  void loadIntoRejectsMissingTensor() throws IOException {
    Path file = dir.resolve("small.safetensors");
    SafeTensors.saveData(file, Map.of("a", scalar(1f)), null);
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.zeros(new Shape());
      Map<String, NDArray> targets = orderedMap("a", a, "decoder.bias", m.zeros(new Shape(2)));
      SafeTensorsException e =
          assertThrows(SafeTensorsException.class, () -> SafeTensors.loadInto(file, targets));
      assertMessage(e, file, "decoder.bias", "missing");
      assertEquals(0f, a.getFloat(), "no target changes when the file does not fit");
    }
  }

  @Test
  void loadIntoRejectsUnexpectedTensor() throws IOException {
    Path file = dir.resolve("big.safetensors");
    SafeTensors.saveData(file, orderedMap("a", scalar(1f), "extra.weight", scalar(2f)), null);
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.zeros(new Shape());
      SafeTensorsException e =
          assertThrows(
              SafeTensorsException.class, () -> SafeTensors.loadInto(file, Map.of("a", a)));
      assertMessage(e, file, "extra.weight", "unexpected");
      assertEquals(0f, a.getFloat());
    }
  }

  @Test
  void loadIntoRejectsWrongShape() throws IOException {
    Path file = dir.resolve("shaped.safetensors");
    SafeTensors.saveData(file, Map.of("w", new TensorData(new long[] {3, 2}, new float[6])), null);
    try (NDManager m = manager.newSubManager()) {
      NDArray w = m.ones(new Shape(2, 3));
      SafeTensorsException e =
          assertThrows(
              SafeTensorsException.class, () -> SafeTensors.loadInto(file, Map.of("w", w)));
      assertMessage(e, file, "w", "shape mismatch", "expected [2, 3]", "[3, 2]");
      assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, w.toFloatArray());
    }
  }

  // ---------------------------------------------------------------- malformed files

  /** A good file with two tensors, as the base for corrupted copies. */
  private Path goodFile() throws IOException {
    Path file = dir.resolve("good.safetensors");
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    tensors.put("weight", new TensorData(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    tensors.put("bias", new TensorData(new long[] {3}, new float[] {7, 8, 9}));
    SafeTensors.saveData(file, tensors, Map.of("format", "pt"));
    return file;
  }

  /** The good file with its header text edited; the header length is updated to match. */
  private Path withHeader(String name, UnaryOperator<String> edit) throws IOException {
    byte[] good = Files.readAllBytes(goodFile());
    int headerLength = (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(good, 8, headerLength, StandardCharsets.UTF_8);
    String edited = edit.apply(header);
    assertFalse(edited.equals(header), "the edit must change the header: " + header);
    byte[] json = edited.getBytes(StandardCharsets.UTF_8);
    byte[] data = Arrays.copyOfRange(good, 8 + headerLength, good.length);
    return writeRaw(name, json, data);
  }

  private Path writeRaw(String name, byte[] json, byte[] data) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length);
    out.order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json).put(data);
    Path file = dir.resolve(name);
    Files.write(file, out.array());
    return file;
  }

  private Path truncated(String name, int length) throws IOException {
    byte[] good = Files.readAllBytes(goodFile());
    Path file = dir.resolve(name);
    Files.write(file, Arrays.copyOf(good, length));
    return file;
  }

  /** Asserts that read and load both reject the file with the same message, leaving no arrays. */
  private static SafeTensorsException assertBad(Path file, String tensor, String... words) {
    SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));
    assertMessage(e, file, tensor, words);
    try (NDManager m = manager.newSubManager()) {
      SafeTensorsException fromLoad =
          assertThrows(SafeTensorsException.class, () -> SafeTensors.load(file, m));
      assertEquals(e.getMessage(), fromLoad.getMessage());
      assertEquals(0, m.getManagedArrays().size(), "nothing is left behind");
    }
    return e;
  }

  private static void assertMessage(
      SafeTensorsException e, Path file, String tensor, String... words) {
    String message = e.getMessage();
    assertTrue(message.contains(file.getFileName().toString()), "file name in: " + message);
    if (tensor != null) {
      assertTrue(message.contains("'" + tensor + "'"), "tensor name in: " + message);
      assertEquals(tensor, e.tensor());
    }
    for (String word : words) {
      assertTrue(message.contains(word), "'" + word + "' in: " + message);
    }
  }

  @Test
  void rejectsFileShorterThanEightBytes() throws IOException {
    Path file = truncated("short.safetensors", 5);
    SafeTensorsException e = assertBad(file, null, "too short", "5 bytes");
    assertNull(e.tensor());
    assertBad(Files.write(dir.resolve("empty.safetensors"), new byte[0]), null, "too short");
  }

  @Test
  void rejectsHeaderLongerThanFile() throws IOException {
    Path file = truncated("cut-header.safetensors", 40);
    assertBad(file, null, "header length", "truncated");
    SafeTensorsException e =
        assertThrows(SafeTensorsException.class, () -> SafeTensors.readMetadata(file));
    assertMessage(e, file, null, "truncated");

    byte[] huge = new byte[16];
    Arrays.fill(huge, (byte) 0xff); // 2^64 - 1 as an unsigned length
    Path hugeFile = Files.write(dir.resolve("huge-length.safetensors"), huge);
    assertBad(hugeFile, null, "header length 18446744073709551615", "truncated");
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    long size = Files.size(goodFile());
    Path file = truncated("cut-data.safetensors", (int) size - 4);
    assertBad(file, "bias", "data_offsets [24, 36]", "past the end", "truncated");
    // The header is checked against the file size even when only the metadata is wanted.
    assertThrows(SafeTensorsException.class, () -> SafeTensors.readMetadata(file));
  }

  @Test
  void rejectsHeaderThatIsNotJson() throws IOException {
    Path file = withHeader("not-json.safetensors", h -> h.replace("\"weight\":{", "\"weight\":"));
    assertBad(file, null, "not valid JSON");
    Path garbage = writeRaw("garbage.safetensors", new byte[] {(byte) 0xc3, 0x28}, new byte[0]);
    assertBad(garbage, null, "not valid JSON");
  }

  @Test
  void rejectsHeaderThatIsNotAnObject() throws IOException {
    Path file =
        writeRaw("array.safetensors", "[1, 2]".getBytes(StandardCharsets.UTF_8), new byte[0]);
    assertBad(file, null, "not a JSON object");
    Path entry =
        withHeader(
            "entry.safetensors",
            h -> h.replace("{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[24,36]}", "7"));
    assertBad(entry, "bias", "not a JSON object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dtype", "shape", "data_offsets"})
  void rejectsEntryWithMissingField(String field) throws IOException {
    Map<String, String> removals =
        Map.of(
            "dtype", "\"bias\":{\"dtype\":\"F32\",",
            "shape", "\"shape\":[3],",
            "data_offsets", ",\"data_offsets\":[24,36]");
    String removed = removals.get(field);
    String kept = field.equals("dtype") ? "\"bias\":{" : "";
    Path file = withHeader("missing-" + field + ".safetensors", h -> h.replace(removed, kept));
    assertBad(file, "bias", "missing '" + field + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"F64", "I64", "BOOL"})
  void rejectsUnsupportedDtype(String dtype) throws IOException {
    int size = dtype.equals("BOOL") ? 1 : 8;
    String json =
        "{\"counts\":{\"dtype\":\""
            + dtype
            + "\",\"shape\":[2],\"data_offsets\":[0,"
            + 2 * size
            + "]}}";
    Path file =
        writeRaw(dtype + ".safetensors", json.getBytes(StandardCharsets.UTF_8), new byte[2 * size]);
    assertBad(file, "counts", "unsupported dtype " + dtype);
    // The header itself is valid, so its metadata can still be read.
    assertEquals(Map.of(), SafeTensors.readMetadata(file));
  }

  @Test
  void rejectsUnknownDtype() throws IOException {
    Path file =
        withHeader(
            "unknown.safetensors",
            h -> h.replace("\"F32\",\"shape\":[3]", "\"float32\",\"shape\":[3]"));
    assertBad(file, "bias", "unknown dtype \"float32\"");
  }

  @Test
  void rejectsOffsetsThatDisagreeWithShape() throws IOException {
    Path file = withHeader("size.safetensors", h -> h.replace("\"shape\":[3]", "\"shape\":[4]"));
    assertBad(file, "bias", "data_offsets [24, 36]", "span 12 bytes", "[4]", "needs 16 bytes");
  }

  @Test
  void rejectsNegativeDimension() throws IOException {
    Path file =
        withHeader("negative.safetensors", h -> h.replace("\"shape\":[2,3]", "\"shape\":[-2,3]"));
    assertBad(file, "weight", "negative dimension -2");
  }

  @Test
  void rejectsNonIntegerShape() throws IOException {
    Path file =
        withHeader("fraction.safetensors", h -> h.replace("\"shape\":[3]", "\"shape\":[3.5]"));
    assertBad(file, "bias", "'shape' must be an array of integers");
  }

  @Test
  void rejectsOverlappingOffsets() throws IOException {
    // Both tensors claim bytes [12, 24).
    Path file = withHeader("overlap.safetensors", h -> h.replace("[24,36]", "[12,24]"));
    assertBad(file, "bias", "overlap", "'weight'");
  }

  @Test
  void rejectsGapInData() throws IOException {
    Path file =
        withHeader(
            "gap.safetensors",
            h ->
                h.replace("\"shape\":[2,3]", "\"shape\":[1,3]")
                    .replace("\"data_offsets\":[0,24]", "\"data_offsets\":[0,12]"));
    assertBad(file, "bias", "gap", "[12, 24)");
  }

  @Test
  void rejectsTrailingBytes() throws IOException {
    byte[] good = Files.readAllBytes(goodFile());
    Path file =
        Files.write(dir.resolve("trailing.safetensors"), Arrays.copyOf(good, good.length + 4));
    assertBad(file, null, "trailing bytes");
  }

  @Test
  void rejectsOffsetsOutOfRange() throws IOException {
    Path reversed = withHeader("reversed.safetensors", h -> h.replace("[24,36]", "[36,24]"));
    assertBad(reversed, "bias", "end before they begin");
    Path negative = withHeader("neg-offset.safetensors", h -> h.replace("[24,36]", "[-24,36]"));
    assertBad(negative, "bias", "'data_offsets' must be [begin, end]");
  }

  @Test
  void rejectsBadMetadata() throws IOException {
    Path file =
        withHeader("metadata.safetensors", h -> h.replace("{\"format\":\"pt\"}", "{\"format\":3}"));
    assertBad(file, null, "__metadata__", "'format'", "must be a string");
  }

  @Test
  void rejectsDuplicateTensorNames() throws IOException {
    Path file = withHeader("duplicate.safetensors", h -> h.replace("\"bias\"", "\"weight\""));
    assertBad(file, null, "not valid JSON", "weight");
  }

  @Test
  void missingFileIsAnIoException() {
    assertThrows(IOException.class, () -> SafeTensors.read(dir.resolve("absent.safetensors")));
  }

  // ---------------------------------------------------------------- helpers

  private static Path fixture(String name) throws URISyntaxException {
    URL url = SafeTensorsTest.class.getResource(FIXTURES + name);
    assertNotNull(url, "missing fixture " + name + " (see tools/fixtures_safetensors.py)");
    return Path.of(url.toURI());
  }

  private static TensorData scalar(float value) {
    return new TensorData(new long[0], new float[] {value});
  }

  private static String headerOf(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int length = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return new String(bytes, 8, length, StandardCharsets.UTF_8);
  }

  /** Compares bit patterns, so that -0 differs from 0; any NaN matches any NaN of the same sign. */
  private static void assertBitsEqual(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < expected.length; i++) {
      boolean same =
          Float.isNaN(expected[i]) && Float.isNaN(actual[i])
              ? (Float.floatToRawIntBits(expected[i]) < 0)
                  == (Float.floatToRawIntBits(actual[i]) < 0)
              : Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]);
      if (!same) {
        differences.add("[" + i + "] " + expected[i] + " != " + actual[i]);
      }
    }
    assertTrue(differences.isEmpty(), what + ": " + differences);
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> orderedMap(Object... keysAndValues) {
    Map<String, V> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return map;
  }
}
