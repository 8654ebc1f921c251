package org.seq4j.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;
import org.seq4j.engine.Seq4jEngine;

class ExperimentWhyNotFeedforwardTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @Test
  void theMlpGrowsWithItsWindowAndTheLstmDoesNot() {
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      for (WhyNotFeedforward.Settings s :
          List.of(WhyNotFeedforward.QUICK, WhyNotFeedforward.FULL)) {
        WhyNotFeedforward.Sizes sizes = WhyNotFeedforward.sizes(manager, s);
        for (int i = 1; i < sizes.lengths().length; i++) {
          assertTrue(sizes.lengths()[i] > sizes.lengths()[i - 1]);
          assertTrue(sizes.mlp()[i] > sizes.mlp()[i - 1], "the MLP grows with its window");
          assertEquals(sizes.lstm()[0], sizes.lstm()[i], "the LSTM's size is the same");
        }
        // Linear growth: the first layer holds window x 2 inputs x hidden weights.
        int last = sizes.lengths().length - 1;
        assertEquals(
            2L * s.mlpHidden() * (sizes.lengths()[last] - sizes.lengths()[0]),
            sizes.mlp()[last] - sizes.mlp()[0]);
      }
    }
  }

  @Test
  void quickRunWritesTheReportAndIsReproducible(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    String[] args = {
      "experiment", "why-not-feedforward", "--quick", "--seed", "1", "--out", out.toString()
    };
    assertEquals(0, Seq4j.execute(args), console.err());
    for (String file : List.of("report.md", "parameters.png", "accuracy.png", "training.png")) {
      assertTrue(Files.size(out.resolve(file)) > 0, file + " written");
    }
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("![parameters against the longest sequence]"), report);
    String text = console.out();
    assertTrue(text.contains("cannot read"), "the MLP cannot take a longer sequence: " + text);

    // The LSTM learns the task inside the training lengths and still reads longer sequences
    // (seeds 1 to 3: 97-99% inside, 80-94% on up to four times the longest training length).
    Matcher rows = Pattern.compile("(?m)^\\s+(\\d+)–(\\d+).*?(\\d+\\.\\d)%$").matcher(text);
    int checked = 0;
    while (rows.find()) {
      double lstm = Double.parseDouble(rows.group(3));
      boolean trained = Integer.parseInt(rows.group(2)) <= WhyNotFeedforward.QUICK.maxLength();
      assertTrue(lstm > (trained ? 90 : 60), "LSTM accuracy " + lstm + "% on " + rows.group());
      checked++;
    }
    assertEquals(WhyNotFeedforward.QUICK.bins().length, checked, text);

    // The same seed gives the same report.
    Path again = dir.resolve("again");
    args[args.length - 1] = again.toString();
    assertEquals(0, Seq4j.execute(args), console.err());
    assertEquals(report, Files.readString(again.resolve("report.md")));
  }
}
