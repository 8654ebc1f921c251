package org.seq4j.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;

class ExperimentConvVsRecurrentTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  /** A few hundred short quotes from a small grammar, separated by '%' lines. */
  private static String quotes() {
    String[] who = {"an owl", "the compiler", "our cook", "a sailor", "nobody"};
    String[] does = {"forgets", "writes", "bakes", "finds", "hides"};
    String[] what = {"the bread.", "a poem.", "old maps.", "the key.", "every error."};
    Random random = new Random(11);
    StringBuilder text = new StringBuilder();
    for (int q = 0; q < 400; q++) {
      int sentences = 1 + random.nextInt(2);
      for (int s = 0; s < sentences; s++) {
        text.append(s > 0 ? " " : "").append(who[random.nextInt(5)]).append(' ');
        text.append(does[random.nextInt(5)]).append(' ').append(what[random.nextInt(5)]);
      }
      text.append("\n%\n");
    }
    return text.toString();
  }

  private static Path dataDir(Path dir) throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("fortunes"));
    Files.createDirectories(data.resolve("sunspots"));
    Files.writeString(data.resolve("fortunes/fortunes.txt"), quotes(), StandardCharsets.UTF_8);
    // The yearly series as the fetch writes it (a copy of statsmodels' file, public domain).
    Files.copy(
        Path.of(ExperimentConvVsRecurrentTest.class.getResource("/sunspots/sunspots.csv").toURI()),
        data.resolve("sunspots/sunspots.csv"));
    return data;
  }

  @Test
  void quickRunTrainsModelsOfEqualSizeThatBeatAUniformGuess(@TempDir Path dir) throws Exception {
    Path data = dataDir(dir);
    Path out = dir.resolve("run");
    assertEquals(
        0,
        Seq4j.execute(
            "experiment",
            "conv-vs-recurrent",
            "--quick",
            "--out",
            out.toString(),
            "--data-dir",
            data.toString()),
        console.err());
    for (String file : List.of("report.md", "char-lm-curve.png", "sunspots-test.png")) {
      assertTrue(Files.size(out.resolve(file)) > 0, file + " written");
    }
    String report = Files.readString(out.resolve("report.md"));
    // | model | network | parameters | best validation bits/char | ...
    Matcher row =
        Pattern.compile("(?m)^\\| (LSTM|GRU|TCN) \\| [^|]+ \\| ([\\d,]+) \\| ([\\d.]+) \\|")
            .matcher(report);
    Map<String, long[]> parameters = new LinkedHashMap<>();
    Map<String, Double> bpc = new LinkedHashMap<>();
    while (row.find()) {
      parameters.put(row.group(1), new long[] {Long.parseLong(row.group(2).replace(",", ""))});
      bpc.put(row.group(1), Double.parseDouble(row.group(3)));
    }
    assertEquals(List.of("LSTM", "GRU", "TCN"), List.copyOf(parameters.keySet()), report);

    // Equal sizes: within 3% of each other.
    long min = parameters.values().stream().mapToLong(p -> p[0]).min().orElseThrow();
    long max = parameters.values().stream().mapToLong(p -> p[0]).max().orElseThrow();
    assertTrue(max <= min * 1.03, "parameter counts " + min + " to " + max);

    // Every model learned something: below a uniform guess over the text's characters.
    double uniform = Math.log(quotes().codePoints().distinct().count()) / Math.log(2);
    bpc.forEach(
        (model, value) ->
            assertTrue(value < uniform, model + ": " + value + " bits/char, uniform " + uniform));
    assertTrue(console.out().contains("generation"), console.out());
  }

  @Test
  void missingDataNamesTheFetchCommand(@TempDir Path dir) {
    assertEquals(
        1,
        Seq4j.execute(
            "experiment",
            "conv-vs-recurrent",
            "--quick",
            "--out",
            dir.resolve("run").toString(),
            "--data-dir",
            dir.resolve("empty").toString()));
    assertTrue(console.err().contains("seq4j data fetch fortunes"), console.err());
  }
}
