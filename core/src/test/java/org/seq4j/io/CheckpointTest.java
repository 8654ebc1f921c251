package org.seq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.engine.Seq4jEngine;

class CheckpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = Seq4jEngine.get().newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private Map<String, NDArray> weights() {
    Map<String, NDArray> w = new LinkedHashMap<>();
    w.put("encoder.weight", manager.arange(12f).reshape(3, 4));
    w.put("encoder.bias", manager.create(new float[] {0.5f, -1f, 2f}));
    return w;
  }

  @Test
  void roundTripKeepsWeightsStateAndMetadata(@TempDir Path dir) throws IOException {
    Map<String, NDArray> state = new LinkedHashMap<>();
    state.put("exp_avg/encoder.weight", manager.ones(new Shape(3, 4)));
    ObjectNode optimizer = JSON.createObjectNode().put("kind", "adam").put("step", 7);
    ObjectNode progress = JSON.createObjectNode().put("step", 7).put("epoch", 1).put("batch", 2);
    ObjectNode config = JSON.createObjectNode().put("hidden", 512);
    Path file = dir.resolve("ckpt.safetensors");
    new Checkpoint(weights(), state, optimizer, progress, config).save(file);

    Checkpoint loaded = Checkpoint.load(file, manager);
    assertEquals(weights().keySet(), loaded.weights().keySet());
    assertArrayEquals(
        weights().get("encoder.weight").toFloatArray(),
        loaded.weights().get("encoder.weight").toFloatArray());
    assertEquals(state.keySet(), loaded.optimizerState().keySet());
    assertEquals(optimizer, loaded.optimizer());
    assertEquals(progress, loaded.progress());
    assertEquals(config, loaded.config());
    // A PyTorch reader sees the weights under their own names and the optimizer under a prefix.
    assertTrue(SafeTensors.read(file).tensors().containsKey("optimizer/exp_avg/encoder.weight"));
    assertEquals(Checkpoint.FORMAT, SafeTensors.readMetadata(file).get("format"));
  }

  @Test
  void plainStateDictLoadsWithEmptyTrainingState(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("state_dict.safetensors");
    SafeTensors.save(file, weights(), Map.of());
    Checkpoint loaded = Checkpoint.load(file, manager);
    assertEquals(2, loaded.weights().size());
    assertTrue(loaded.optimizerState().isEmpty());
    assertTrue(loaded.progress().isEmpty());
  }

  @Test
  void copyWeightsIntoChecksNamesAndShapes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ckpt.safetensors");
    new Checkpoint(weights(), Map.of(), null, null, null).save(file);
    Checkpoint loaded = Checkpoint.load(file, manager);

    Map<String, NDArray> target = new LinkedHashMap<>();
    target.put("encoder.weight", manager.zeros(new Shape(3, 4)));
    target.put("encoder.bias", manager.zeros(new Shape(3)));
    target.get("encoder.weight").setRequiresGradient(true);
    loaded.copyWeightsInto(target);
    assertArrayEquals(
        weights().get("encoder.bias").toFloatArray(), target.get("encoder.bias").toFloatArray());
    assertTrue(target.get("encoder.weight").hasGradient(), "still a trainable parameter");

    Map<String, NDArray> wrongShape = new LinkedHashMap<>(target);
    wrongShape.put("encoder.bias", manager.zeros(new Shape(4)));
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> loaded.copyWeightsInto(wrongShape));
    assertTrue(ex.getMessage().contains("encoder.bias"), ex.getMessage());
    assertTrue(ex.getMessage().contains("(3)") && ex.getMessage().contains("(4)"), ex.getMessage());

    Map<String, NDArray> missing = new LinkedHashMap<>(target);
    missing.put("decoder.weight", manager.zeros(new Shape(2)));
    ex = assertThrows(IllegalArgumentException.class, () -> loaded.copyWeightsInto(missing));
    assertTrue(ex.getMessage().contains("lacks tensor 'decoder.weight'"), ex.getMessage());

    Map<String, NDArray> extra = new LinkedHashMap<>(target);
    extra.remove("encoder.bias");
    ex = assertThrows(IllegalArgumentException.class, () -> loaded.copyWeightsInto(extra));
    assertTrue(ex.getMessage().contains("'encoder.bias' that the model does not have"));
  }

  @Test
  void rejectsReservedNamesForeignFormatsAndBadJson(@TempDir Path dir) throws IOException {
    Map<String, NDArray> bad = Map.of("optimizer/x", manager.zeros(new Shape(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Checkpoint(bad, Map.of(), null, null, null).save(dir.resolve("a.safetensors")));

    Path other = dir.resolve("other.safetensors");
    SafeTensors.save(other, weights(), Map.of("format", "someone-else/3"));
    IOException ex = assertThrows(IOException.class, () -> Checkpoint.load(other, manager));
    assertTrue(ex.getMessage().contains("unsupported checkpoint format"), ex.getMessage());

    Path badJson = dir.resolve("bad.safetensors");
    SafeTensors.save(badJson, weights(), Map.of("progress", "{not json"));
    ex = assertThrows(IOException.class, () -> Checkpoint.load(badJson, manager));
    assertTrue(ex.getMessage().contains("'progress' is not valid JSON"), ex.getMessage());
    assertTrue(ex.getMessage().contains("bad.safetensors"), ex.getMessage());
    assertTrue(Files.exists(badJson));
  }
}
