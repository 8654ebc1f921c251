package org.seq4j.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;

class ExperimentVanishingGradientsTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @Test
  void quickRunWritesTheReportAndGatesBeatThePlainRnnOnAdding(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    assertEquals(
        0,
        Seq4j.execute("experiment", "vanishing-gradients", "--quick", "--out", out.toString()),
        console.err());
    for (String file :
        List.of(
            "report.md",
            "adding-loss.png",
            "adding-gradient.png",
            "copy-memory-loss.png",
            "copy-memory-gradient.png")) {
      assertTrue(Files.size(out.resolve(file)) > 0, file + " written");
    }
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("| Adding, T=600 | 0.164 | 5.3e-5 | 0.177 | 5.8e-5 | 0.1767 |"));
    assertTrue(report.contains("| Copy-memory, T=1000 | 0.0204 | 0.0197 | 0.0202 | 3.5e-5 |"));

    // Every network of both tasks and lengths reported a finite test loss.
    String text = console.out();
    Matcher line =
        Pattern.compile("(?m)^(adding|copy-memory)\\s+T=(\\d+)\\s+(\\w+)\\s.*test loss (\\S+)")
            .matcher(text);
    Map<String, Double> loss = new HashMap<>();
    while (line.find()) {
      double value = Double.parseDouble(line.group(4));
      assertTrue(Double.isFinite(value), line.group());
      loss.put(line.group(1) + " " + line.group(2) + " " + line.group(3), value);
    }
    VanishingGradients.Settings quick = VanishingGradients.QUICK;
    int runs = 4 * (quick.addingLengths().length + quick.copyLengths().length);
    assertEquals(runs, loss.size(), text);

    // On the adding problem at T=50 the LSTM and the GRU learn the sum while the plain RNN stays
    // near chance: with seeds 1 to 3 the LSTM and GRU ended below 5e-4 and the RNN at 0.15-0.17.
    // How long the LSTM sits on the chance plateau varies: with seed 6 it was still there after
    // 1500 steps, and below 0.002 after 2000.
    int t = quick.addingLengths()[quick.addingLengths().length - 1];
    double rnn = loss.get("adding " + t + " RNN");
    for (String gated : List.of("LSTM", "GRU")) {
      double value = loss.get("adding " + t + " " + gated);
      assertTrue(value < rnn / 10, gated + " " + value + " against the RNN's " + rnn);
    }
  }
}
