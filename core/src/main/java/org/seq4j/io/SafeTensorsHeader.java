package org.seq4j.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file: parsing with full validation against the size of the data
 * section, and encoding for writing.
 */
final class SafeTensorsHeader {
  /** Header key holding the string-to-string metadata. */
  static final String METADATA_KEY = "__metadata__";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Longest JSON excerpt quoted in an error message. */
  private static final int MAX_QUOTE = 80;

  private final List<TensorEntry> entries;
  private final Map<String, String> metadata;

  private SafeTensorsHeader(List<TensorEntry> entries, Map<String, String> metadata) {
    this.entries = entries;
    this.metadata = metadata;
  }

  /** The tensors in header order. */
  List<TensorEntry> entries() {
    return entries;
  }

  /** The {@code __metadata__} map in header order; empty if there is none. */
  Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Parses and validates a header. Every tensor's byte range must match its shape and dtype and lie
   * within the data section, and together the ranges must cover the data section exactly, without
   * overlaps or gaps.
   *
   * @param file the file, for error messages
   * @param json the header bytes (UTF-8 JSON, possibly padded with spaces)
   * @param dataLength the number of bytes after the header
   */
  static SafeTensorsHeader parse(Path file, byte[] json, long dataLength)
      throws SafeTensorsException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new SafeTensorsException(file, null, "header is not valid JSON: " + describe(e), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new SafeTensorsException(file, "header is empty, expected a JSON object");
    }
    if (!root.isObject()) {
      throw new SafeTensorsException(file, "header is not a JSON object: " + quote(root));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorEntry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (METADATA_KEY.equals(field.getKey())) {
        metadata = parseMetadata(file, field.getValue());
      } else {
        entries.add(parseEntry(file, field.getKey(), field.getValue(), dataLength));
      }
    }
    checkLayout(file, entries, dataLength);
    return new SafeTensorsHeader(entries, metadata);
  }

  /**
   * Encodes a header: {@code __metadata__} first (omitted when empty), then the tensors in the
   * given order, padded with spaces to a multiple of 8 bytes.
   */
  static byte[] encode(List<TensorEntry> entries, Map<String, String> metadata)
      throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(METADATA_KEY);
      metadata.forEach(meta::put);
    }
    for (TensorEntry entry : entries) {
      ObjectNode tensor = root.putObject(entry.name());
      tensor.put("dtype", entry.dtype().name());
      ArrayNode shape = tensor.putArray("shape");
      for (long dim : entry.shape()) {
        shape.add(dim);
      }
      tensor.putArray("data_offsets").add(entry.begin()).add(entry.end());
    }
    byte[] json = JSON.writeValueAsBytes(root);
    int padded = (json.length + 7) & ~7;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  private static Map<String, String> parseMetadata(Path file, JsonNode node)
      throws SafeTensorsException {
    if (!node.isObject()) {
      throw new SafeTensorsException(
          file, "'" + METADATA_KEY + "' must be an object of strings, found " + quote(node));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (!value.isTextual()) {
        throw new SafeTensorsException(
            file,
            "'"
                + METADATA_KEY
                + "' value of key '"
                + field.getKey()
                + "' must be a string, found "
                + quote(value));
      }
      metadata.put(field.getKey(), value.textValue());
    }
    return metadata;
  }

  private static TensorEntry parseEntry(Path file, String name, JsonNode node, long dataLength)
      throws SafeTensorsException {
    if (!node.isObject()) {
      throw new SafeTensorsException(
          file, name, "header entry is not a JSON object: " + quote(node));
    }
    JsonNode dtypeNode = require(file, name, node, "dtype");
    if (!dtypeNode.isTextual()) {
      throw new SafeTensorsException(
          file, name, "'dtype' must be a string, found " + quote(dtypeNode));
    }
    Dtype dtype = Dtype.fromHeaderName(dtypeNode.textValue());
    if (dtype == null) {
      throw new SafeTensorsException(file, name, "unknown dtype " + quote(dtypeNode));
    }

    JsonNode shapeNode = require(file, name, node, "shape");
    long[] shape = longs(shapeNode);
    if (shape == null) {
      throw new SafeTensorsException(
          file, name, "'shape' must be an array of integers, found " + quote(shapeNode));
    }
    for (long dim : shape) {
      if (dim < 0) {
        throw new SafeTensorsException(
            file, name, "shape " + quote(shapeNode) + " has a negative dimension " + dim);
      }
    }

    JsonNode offsetsNode = require(file, name, node, "data_offsets");
    long[] offsets = longs(offsetsNode);
    if (offsets == null || offsets.length != 2 || offsets[0] < 0 || offsets[1] < 0) {
      throw new SafeTensorsException(
          file,
          name,
          "'data_offsets' must be [begin, end] with non-negative integers, found "
              + quote(offsetsNode));
    }
    long begin = offsets[0];
    long end = offsets[1];

    long numel;
    long bytes;
    try {
      numel = 1;
      for (long dim : shape) {
        numel = Math.multiplyExact(numel, dim);
      }
      long bits = Math.multiplyExact(numel, dtype.bits());
      if (bits % 8 != 0) {
        throw new SafeTensorsException(
            file,
            name,
            "shape "
                + Arrays.toString(shape)
                + " of dtype "
                + dtype
                + " does not fill whole bytes");
      }
      bytes = bits / 8;
    } catch (ArithmeticException e) {
      throw new SafeTensorsException(
          file, name, "shape " + Arrays.toString(shape) + " has too many elements", e);
    }

    TensorEntry entry = new TensorEntry(name, dtype, shape, numel, begin, end);
    if (end < begin) {
      throw new SafeTensorsException(
          file, name, "data_offsets " + entry.offsetsText() + " end before they begin");
    }
    if (end - begin != bytes) {
      throw new SafeTensorsException(
          file,
          name,
          "data_offsets "
              + entry.offsetsText()
              + " span "
              + (end - begin)
              + " bytes, but shape "
              + entry.shapeText()
              + " of dtype "
              + dtype
              + " needs "
              + bytes
              + " bytes");
    }
    if (end > dataLength) {
      throw new SafeTensorsException(
          file,
          name,
          "data_offsets "
              + entry.offsetsText()
              + " run past the end of the data section ("
              + dataLength
              + " bytes): the file is truncated");
    }
    return entry;
  }

  /** Checks that the byte ranges, sorted, tile the data section exactly. */
  private static void checkLayout(Path file, List<TensorEntry> entries, long dataLength)
      throws SafeTensorsException {
    List<TensorEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
    long covered = 0;
    TensorEntry previous = null;
    for (TensorEntry entry : sorted) {
      if (entry.begin() < covered) {
        throw new SafeTensorsException(
            file,
            entry.name(),
            "data_offsets "
                + entry.offsetsText()
                + " overlap those of tensor '"
                + previous.name()
                + "' "
                + previous.offsetsText());
      }
      if (entry.begin() > covered) {
        throw new SafeTensorsException(
            file,
            entry.name(),
            "data_offsets "
                + entry.offsetsText()
                + " leave a gap: bytes ["
                + covered
                + ", "
                + entry.begin()
                + ") of the data section belong to no tensor");
      }
      covered = entry.end();
      previous = entry;
    }
    if (covered != dataLength) {
      throw new SafeTensorsException(
          file,
          "the data section has "
              + dataLength
              + " bytes but the tensors cover only "
              + covered
              + ": unexpected trailing bytes");
    }
  }

  private static JsonNode require(Path file, String name, JsonNode entry, String key)
      throws SafeTensorsException {
    JsonNode value = entry.get(key);
    if (value == null || value.isNull()) {
      throw new SafeTensorsException(file, name, "header entry is missing '" + key + "'");
    }
    return value;
  }

  /** The array's elements as longs, or null unless it is an array of integers that fit a long. */
  private static long[] longs(JsonNode node) {
    if (!node.isArray()) {
      return null;
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode element = node.get(i);
      if (!element.isIntegralNumber() || !element.canConvertToLong()) {
        return null;
      }
      values[i] = element.longValue();
    }
    return values;
  }

  private static String describe(IOException e) {
    if (!(e instanceof JsonProcessingException jpe)) {
      return String.valueOf(e.getMessage());
    }
    JsonLocation location = jpe.getLocation();
    long at = location == null ? -1 : location.getByteOffset();
    return jpe.getOriginalMessage() + (at < 0 ? "" : " (at byte " + at + " of the header)");
  }

  private static String quote(JsonNode node) {
    String text = node.toString();
    return text.length() <= MAX_QUOTE ? text : text.substring(0, MAX_QUOTE) + "...";
  }
}
