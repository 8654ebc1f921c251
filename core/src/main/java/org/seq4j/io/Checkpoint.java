package org.seq4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: model weights under their PyTorch names, optimizer state, the progress of
 * the run (step, data position, seed, best metric) and the run's configuration as JSON — all in one
 * safetensors file, written atomically.
 *
 * <p>Layout: weights are stored under their own names, so {@code safetensors.torch.load_file} gives
 * a state dict; optimizer tensors are stored as {@code optimizer/<slot>/<param>}, a prefix no
 * PyTorch parameter name can have. Keep only the weights in Python with {@code {k: v for k, v in
 * sd.items() if not k.startswith("optimizer/")}}. The header's metadata holds {@code format},
 * {@code config}, {@code optimizer} and {@code progress} as JSON strings.
 */
public final class Checkpoint {
  /** The value of the {@code format} metadata entry. */
  public static final String FORMAT = "seq4j-checkpoint/1";

  private static final String OPTIMIZER_PREFIX = "optimizer/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, NDArray> weights;
  private final Map<String, NDArray> optimizerState;
  private final JsonNode optimizer;
  private final JsonNode progress;
  private final JsonNode config;

  /**
   * @param weights model weights by PyTorch name
   * @param optimizerState optimizer tensors by {@code <slot>/<param>}
   * @param optimizer the optimizer's kind, hyper-parameters and step count
   * @param progress the run's position: step, epoch, batch, seed, best metric
   * @param config the run's configuration
   */
  public Checkpoint(
      Map<String, NDArray> weights,
      Map<String, NDArray> optimizerState,
      JsonNode optimizer,
      JsonNode progress,
      JsonNode config) {
    this.weights = weights;
    this.optimizerState = optimizerState;
    this.optimizer = nullToEmpty(optimizer);
    this.progress = nullToEmpty(progress);
    this.config = nullToEmpty(config);
  }

  public Map<String, NDArray> weights() {
    return weights;
  }

  public Map<String, NDArray> optimizerState() {
    return optimizerState;
  }

  public JsonNode optimizer() {
    return optimizer;
  }

  public JsonNode progress() {
    return progress;
  }

  public JsonNode config() {
    return config;
  }

  /** Writes the checkpoint atomically (temp file, fsync, rename) to {@code file}. */
  public void save(Path file) throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : weights.entrySet()) {
      if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
        throw new IllegalArgumentException(
            "weight name '" + e.getKey() + "' uses the reserved prefix " + OPTIMIZER_PREFIX);
      }
      tensors.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, NDArray> e : optimizerState.entrySet()) {
      tensors.put(OPTIMIZER_PREFIX + e.getKey(), e.getValue());
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", FORMAT);
    metadata.put("config", JSON.writeValueAsString(config));
    metadata.put("optimizer", JSON.writeValueAsString(optimizer));
    metadata.put("progress", JSON.writeValueAsString(progress));
    SafeTensors.save(file, tensors, metadata);
  }

  /**
   * Reads a checkpoint; its arrays are created in {@code manager}. A plain safetensors state dict
   * (from PyTorch, without seq4j metadata) loads too, with empty optimizer state and progress.
   */
  public static Checkpoint load(Path file, NDManager manager) throws IOException {
    Map<String, String> metadata = SafeTensors.readMetadata(file);
    String format = metadata.get("format");
    if (format != null && !format.equals(FORMAT)) {
      throw new IOException(
          file
              + ": unsupported checkpoint format '"
              + format
              + "' (this version reads "
              + FORMAT
              + ")");
    }
    Map<String, NDArray> weights = new LinkedHashMap<>();
    Map<String, NDArray> optimizerState = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : SafeTensors.load(file, manager).entrySet()) {
      if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
        optimizerState.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue());
      } else {
        weights.put(e.getKey(), e.getValue());
      }
    }
    return new Checkpoint(
        weights,
        optimizerState,
        parse(file, metadata, "optimizer"),
        parse(file, metadata, "progress"),
        parse(file, metadata, "config"));
  }

  /**
   * Copies the weights into {@code params}, which must have exactly the same names and shapes.
   *
   * @throws IllegalArgumentException naming the tensor that is missing, extra or of another shape
   */
  public void copyWeightsInto(Map<String, NDArray> params) {
    for (String name : weights.keySet()) {
      if (!params.containsKey(name)) {
        throw new IllegalArgumentException(
            "checkpoint has tensor '" + name + "' that the model does not have");
      }
    }
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray source = weights.get(e.getKey());
      if (source == null) {
        throw new IllegalArgumentException(
            "checkpoint lacks tensor '" + e.getKey() + "' that the model has");
      }
      NDArray target = e.getValue();
      if (!source.getShape().equals(target.getShape())) {
        throw new IllegalArgumentException(
            "tensor '"
                + e.getKey()
                + "' has shape "
                + source.getShape()
                + " in the checkpoint but "
                + target.getShape()
                + " in the model");
      }
      target.set(source.toType(target.getDataType(), false).toByteBuffer());
    }
  }

  private static JsonNode parse(Path file, Map<String, String> metadata, String key)
      throws IOException {
    String text = metadata.get(key);
    if (text == null) {
      return JsonNodeFactory.instance.objectNode();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException ex) {
      throw new IOException(
          file + ": metadata entry '" + key + "' is not valid JSON: " + ex.getOriginalMessage(),
          ex);
    }
  }

  private static JsonNode nullToEmpty(JsonNode node) {
    return node == null ? JsonNodeFactory.instance.objectNode() : node;
  }
}
