package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seq4j.io.Checkpoint;
import org.seq4j.text.SubwordTokenizer;

/**
 * A trained GNMT read back from a checkpoint of {@code nmt train}: the model with its weights and
 * the subword tokenizer it was trained with.
 *
 * <p>The checkpoint's config holds {@link GnmtConfig}'s fields at the top level ({@link
 * GnmtConfig#writeTo}, so {@code "model": "gnmt"}), the tokenizer's file name under {@code
 * "tokenizer"} (a file beside the checkpoint, {@link #TOKENIZER_FILE} by default) and its SHA-256
 * under {@code "tokenizer_sha256"}, plus the run's settings. {@link #load} finds the tokenizer
 * beside the checkpoint and checks its hash, so a checkpoint is never read with another tokenizer's
 * ids.
 *
 * @param model the initialized model
 * @param tokenizer the shared subword tokenizer
 * @param config the checkpoint's whole run config
 * @param progress the checkpoint's progress (step, epoch, ...), empty if none
 */
public record NmtCheckpoint(
    Gnmt model, SubwordTokenizer tokenizer, JsonNode config, JsonNode progress) {
  /** The value of {@code "model"} in a GNMT checkpoint's config. */
  public static final String MODEL = "gnmt";

  /** The tokenizer file's default name, beside the checkpoints. */
  public static final String TOKENIZER_FILE = "tokenizer.model";

  /**
   * The run config's model fields: the GNMT config, {@code tokenizer} (a file name beside the
   * checkpoint) and {@code tokenizer_sha256}.
   */
  public static ObjectNode runConfig(GnmtConfig config, String tokenizerFile, String sha256) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    config.writeTo(node);
    node.put("tokenizer", tokenizerFile);
    node.put("tokenizer_sha256", sha256);
    return node;
  }

  /** The SHA-256 of a file, in lower-case hex. */
  public static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is not available", ex);
    }
  }

  /**
   * Reads {@code file}; the weights are created in {@code manager}.
   *
   * @throws IllegalArgumentException naming the file if it does not exist, is not a GNMT checkpoint
   *     (another model's, a bare state dict), its tokenizer file is missing or is not the one it
   *     was trained with, or its weights do not fit its config
   * @throws IOException if a file cannot be read or is malformed
   */
  public static NmtCheckpoint load(Path file, NDManager manager) throws IOException {
    Checkpoint ckpt = Checkpoint.load(checkFile(file), manager);
    JsonNode config = ckpt.config();
    GnmtConfig gnmtConfig = gnmtConfig(file, config);
    SubwordTokenizer tokenizer = tokenizer(file, config);
    if (tokenizer.size() != gnmtConfig.vocabularySize()) {
      throw new IllegalArgumentException(
          file
              + ": its tokenizer has "
              + tokenizer.size()
              + " pieces but the model a vocabulary of "
              + gnmtConfig.vocabularySize());
    }
    try {
      Gnmt model = new Gnmt(gnmtConfig);
      model.initialize(manager);
      model.loadStateDict(ckpt.weights());
      return new NmtCheckpoint(model, tokenizer, config, ckpt.progress());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static Path checkFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such checkpoint: " + file);
    }
    return file;
  }

  /**
   * The GNMT config of a checkpoint's run config.
   *
   * @throws IllegalArgumentException naming {@code file} when it is not a GNMT checkpoint
   */
  public static GnmtConfig gnmtConfig(Path file, JsonNode config) {
    String model = config == null ? "" : config.path("model").asText("");
    if (!MODEL.equals(model)) {
      throw new IllegalArgumentException(
          file
              + " is not a translation checkpoint: "
              + (model.isEmpty()
                  ? "it has no seq4j model config"
                  : "it holds a '" + model + "' model")
              + "; use a checkpoint written by `seq4j nmt train`");
    }
    try {
      return GnmtConfig.readFrom(config);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The tokenizer a checkpoint names, read from beside it and checked against its hash.
   *
   * @throws IllegalArgumentException when the config names none, the file is missing, or its hash
   *     differs
   */
  public static SubwordTokenizer tokenizer(Path file, JsonNode config) throws IOException {
    String name = config.path("tokenizer").asText("");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(file + ": the config names no tokenizer file");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path model = dir.resolve(name);
    if (!Files.isRegularFile(model)) {
      throw new IllegalArgumentException(
          file
              + ": its tokenizer "
              + name
              + " is missing (looked for "
              + model
              + "); copy it from the training run's folder next to the checkpoint");
    }
    String expected = config.path("tokenizer_sha256").asText("");
    String actual = sha256(model);
    if (!expected.isEmpty() && !expected.equals(actual)) {
      throw new IllegalArgumentException(
          model
              + " is not the tokenizer "
              + file
              + " was trained with (SHA-256 "
              + actual.substring(0, 12)
              + "..., expected "
              + expected.substring(0, Math.min(12, expected.length()))
              + "...)");
    }
    return SubwordTokenizer.load(model);
  }

  /**
   * Averages the weights of checkpoints of the same model (same GNMT config and tokenizer) into a
   * weights-only checkpoint at {@code out}, with the first one's run config and the list of
   * averaged files under {@code "averaged_from"}. The tokenizer is copied beside {@code out} when
   * it is not there yet.
   *
   * @return the number of tensors averaged
   * @throws IllegalArgumentException when fewer than one file is given, a file is not a GNMT
   *     checkpoint, or the configs or tokenizers differ
   */
  public static int average(List<Path> files, Path out, NDManager manager) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("average: at least one checkpoint is needed");
    }
    JsonNode first = null;
    GnmtConfig firstConfig = null;
    Path firstFile = null;
    Map<String, NDArray> sum = new LinkedHashMap<>();
    try (NDManager work = manager.newSubManager()) {
      for (Path f : files) {
        Checkpoint ckpt = Checkpoint.load(checkFile(f), work);
        GnmtConfig c = gnmtConfig(f, ckpt.config());
        tokenizer(f, ckpt.config()); // present and intact
        if (first == null) {
          first = ckpt.config();
          firstConfig = c;
          firstFile = f;
        } else {
          if (!c.equals(firstConfig)) {
            throw new IllegalArgumentException(
                "cannot average "
                    + f
                    + " with "
                    + firstFile
                    + ": different models ("
                    + c.describe()
                    + " vs "
                    + firstConfig.describe()
                    + ")");
          }
          String a = ckpt.config().path("tokenizer_sha256").asText("");
          String b = first.path("tokenizer_sha256").asText("");
          if (!a.equals(b)) {
            throw new IllegalArgumentException(
                "cannot average "
                    + f
                    + " with "
                    + firstFile
                    + ": they were trained with different tokenizers");
          }
        }
        Gnmt check = new Gnmt(c);
        check.initialize(work);
        try {
          check.loadStateDict(ckpt.weights()); // the names and shapes fit the config
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, NDArray> e : check.stateDict().entrySet()) {
          NDArray w = e.getValue().toType(DataType.FLOAT64, true);
          NDArray previous = sum.get(e.getKey());
          sum.put(e.getKey(), previous == null ? w : previous.add(w));
        }
      }
      Map<String, NDArray> mean = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : sum.entrySet()) {
        mean.put(
            e.getKey(), e.getValue().div((double) files.size()).toType(DataType.FLOAT32, false));
      }
      ObjectNode config = first.deepCopy();
      ArrayNode from = config.putArray("averaged_from");
      for (Path f : files) {
        from.add(f.toString());
      }
      Path outDir = out.toAbsolutePath().getParent();
      Files.createDirectories(outDir);
      String tokenizerName = first.path("tokenizer").asText();
      Path source = firstFile.toAbsolutePath().getParent().resolve(tokenizerName);
      Path target = outDir.resolve(tokenizerName);
      if (!Files.exists(target)) {
        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
      } else if (!sha256(target).equals(first.path("tokenizer_sha256").asText(""))) {
        throw new IllegalArgumentException(
            target + " exists and is another tokenizer; write the average into another folder");
      }
      new Checkpoint(mean, Map.of(), null, null, config).save(out);
      return mean.size();
    }
  }
}
