package org.seq4j.cli.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seq4j lm sample}: rebuilds a character model from a checkpoint of {@code lm train} (its
 * config holds the model's settings and vocabulary) and generates text from it.
 */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = {
      "Generate text from a checkpoint of `lm train`.",
      "The model first reads the document separator of its training text (a '%%' line for"
          + " quotes), as if a new document started, then the prime; it then draws one character"
          + " at a time."
    })
public final class LmSampleCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint written by `lm train` (best.safetensors, last.safetensors).")
  Path checkpoint;

  @Option(names = "--prime", description = "The text to continue (default: none).")
  String prime = "";

  @Option(
      names = "--temperature",
      description = "Softmax temperature; lower is more conservative (default: ${DEFAULT-VALUE}).")
  double temperature = 0.8;

  @Option(names = "--length", description = "Characters to draw (default: ${DEFAULT-VALUE}).")
  int length = 500;

  @Option(names = "--seed", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(checkpoint)) {
      throw new IllegalArgumentException("no such checkpoint: " + checkpoint);
    }
    if (length < 0) {
      throw new IllegalArgumentException("--length must be >= 0, got " + length);
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("--temperature must be > 0, got " + temperature);
    }
    Engine engine = Seq4jEngine.get();
    try (NDManager manager = engine.newBaseManager()) {
      Checkpoint ckpt = Checkpoint.load(checkpoint, manager);
      JsonNode config = ckpt.config();
      CharRnnLanguageModel model;
      try {
        model = new CharRnnLanguageModel(manager, CharRnnConfig.readFrom(config));
        ckpt.copyWeightsInto(model.parameters());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(checkpoint + ": " + ex.getMessage(), ex);
      }
      String separator = config.path("separator").asText("\n");
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      out.print(prime);
      new CharSampler(model, manager)
          .sample(
              separator + prime,
              length,
              temperature,
              seed,
              cp -> {
                out.print(Character.toString(cp));
                if (cp == '\n') {
                  out.flush();
                }
              });
      out.println();
      out.flush();
    }
    return 0;
  }
}
