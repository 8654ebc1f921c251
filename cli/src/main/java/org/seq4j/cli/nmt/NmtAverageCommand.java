package org.seq4j.cli.nmt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.nmt.NmtCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seq4j nmt average}: the mean of the weights of checkpoints of the same model. */
@Command(
    name = "average",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Average the weights of checkpoints of the same GNMT (same config and tokenizer), for"
          + " example those kept with `nmt train --keep-checkpoints N`, into one checkpoint that"
          + " `nmt translate`, `eval` and `attention` read. The optimizer state is left out; the"
          + " tokenizer is copied beside the output when it is not there."
    })
public final class NmtAverageCommand implements Callable<Integer> {
  @Parameters(arity = "2..*", paramLabel = "CKPT", description = "The checkpoints to average.")
  List<Path> checkpoints;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "The averaged checkpoint (.safetensors).")
  Path out;

  @Override
  public Integer call() throws IOException {
    for (Path p : checkpoints) {
      if (p.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
        throw new IllegalArgumentException(
            "--out " + out + " is one of the checkpoints to average; write elsewhere");
      }
    }
    Engine engine = Seq4jEngine.get();
    try (NDManager manager = engine.newBaseManager()) {
      int tensors = NmtCheckpoint.average(checkpoints, out, manager);
      System.out.println(
          "averaged "
              + checkpoints.size()
              + " checkpoints ("
              + tensors
              + " tensors each) into "
              + out);
    }
    return 0;
  }
}
