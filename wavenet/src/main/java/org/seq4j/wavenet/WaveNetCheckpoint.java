package org.seq4j.wavenet;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.seq4j.io.Checkpoint;

/**
 * A trained WaveNet read back from a checkpoint of {@code wavenet train}: the network with its
 * weights, and the sample rate it was trained at. The checkpoint's config says {@code "model":
 * "wavenet"}, holds the {@link WaveNetConfig} under {@code "wavenet"} and the rate under {@code
 * "sample_rate"}.
 *
 * @param net the initialized network
 * @param sampleRate the sample rate of the training audio, in Hz
 * @param config the checkpoint's whole run config
 */
public record WaveNetCheckpoint(WaveNet net, int sampleRate, JsonNode config) {
  /** The value of {@code "model"} in a WaveNet checkpoint's config. */
  public static final String MODEL = "wavenet";

  /** The run config's model fields: {@code model}, {@code wavenet} and {@code sample_rate}. */
  public static ObjectNode runConfig(WaveNetConfig config, int sampleRate) {
    ObjectNode node = new ObjectMapper().createObjectNode();
    node.put("model", MODEL);
    config.writeTo(node.putObject("wavenet"));
    node.put("sample_rate", sampleRate);
    return node;
  }

  /**
   * Reads {@code file}; the weights are created in {@code manager}.
   *
   * @throws IllegalArgumentException naming the file if it does not exist or is not a WaveNet
   *     checkpoint (another model's checkpoint, a bare state dict), or if its weights do not fit
   *     its config
   * @throws IOException if the file cannot be read or is not a safetensors file
   */
  public static WaveNetCheckpoint load(Path file, NDManager manager) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such checkpoint: " + file);
    }
    Checkpoint ckpt = Checkpoint.load(file, manager);
    JsonNode config = ckpt.config();
    String model = config == null ? "" : config.path("model").asText("");
    if (!MODEL.equals(model)) {
      throw new IllegalArgumentException(
          file
              + " is not a WaveNet checkpoint: "
              + (model.isEmpty()
                  ? "it has no seq4j model config"
                  : "it holds a '" + model + "' model")
              + "; use a checkpoint written by `seq4j wavenet train`");
    }
    try {
      WaveNetConfig netConfig = WaveNetConfig.readFrom(config.path("wavenet"));
      int rate = config.path("sample_rate").asInt(0);
      if (rate <= 0) {
        throw new IllegalArgumentException("the config has no positive 'sample_rate'");
      }
      WaveNet net = new WaveNet(netConfig);
      net.initialize(manager);
      net.loadStateDict(ckpt.weights());
      return new WaveNetCheckpoint(net, rate, config);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
