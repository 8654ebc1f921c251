package org.seq4j.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;
import org.seq4j.cli.TinyFortunes;

class ExperimentConvVsRecurrentTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  private static Path dataDir(Path dir) throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("sunspots"));
    TinyFortunes.write(data.resolve("fortunes/fortunes.txt"));
    // The yearly series as the fetch writes it (a copy of statsmodels' file, public domain).
    Files.copy(
        Path.of(ExperimentConvVsRecurrentTest.class.getResource("/sunspots/sunspots.csv").toURI()),
        data.resolve("sunspots/sunspots.csv"));
    return data;
  }

  private static int quickRun(Path out, Path data) {
    return Seq4j.execute(
        "experiment",
        "conv-vs-recurrent",
        "--quick",
        "--out",
        out.toString(),
        "--data-dir",
        data.toString());
  }

  @Test
  void quickRunTrainsModelsOfEqualSizeThatBeatAUniformGuess(@TempDir Path dir) throws Exception {
    Path data = dataDir(dir);
    Path out = dir.resolve("run");
    assertEquals(0, quickRun(out, data), console.err());
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
    String text = Files.readString(data.resolve("fortunes/fortunes.txt"));
    double uniform = Math.log(text.codePoints().distinct().count()) / Math.log(2);
    bpc.forEach(
        (model, value) ->
            assertTrue(value < uniform, model + ": " + value + " bits/char, uniform " + uniform));
    assertTrue(console.out().contains("generation"), console.out());
  }

  @Test
  void missingDataNamesTheFetchCommand(@TempDir Path dir) {
    assertEquals(1, quickRun(dir.resolve("run"), dir.resolve("empty")));
    assertTrue(console.err().contains("seq4j data fetch fortunes"), console.err());
  }
}
