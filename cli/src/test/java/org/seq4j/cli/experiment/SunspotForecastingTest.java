package org.seq4j.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick sunspot study on the real yearly series: {@code src/test/resources/sunspots/}, the CSV
 * of Debian's python3-statsmodels 0.13.5+dfsg-7 (NGDC, public domain).
 */
class SunspotForecastingTest {

  private static SunspotForecasting.Result quick(Path dir, ByteArrayOutputStream console)
      throws Exception {
    Path csv = Path.of(SunspotForecastingTest.class.getResource("/sunspots/sunspots.csv").toURI());
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    ExperimentRun run = new ExperimentRun(true, 1, dir, csv.getParent(), out);
    Report report = new Report(dir, out, "Sunspots");
    SunspotForecasting.Result result = SunspotForecasting.run(run, csv, report);
    report.write();
    return result;
  }

  @Test
  void aLearnedForecasterBeatsSeasonalNaiveAndTheRunRepeats(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    SunspotForecasting.Result r = quick(dir.resolve("a"), console);
    assertEquals(
        List.of("seasonal naive", "naive", "window MLP", "LSTM", "TCN"),
        List.copyOf(r.testMae().keySet()));
    // Seasonal naive and naive on the test years 1956-2008, checked against a Python script.
    assertEquals(28.95, r.seasonalNaiveMae(), 0.005);
    assertEquals(r.seasonalNaiveMae(), r.testMae().get("seasonal naive"));
    assertEquals(25.24, r.testMae().get("naive"), 0.005);
    assertTrue(List.of("window MLP", "LSTM", "TCN").contains(r.bestLearned()), r.bestLearned());
    double learned = r.testMae().get(r.bestLearned());
    assertTrue(
        learned < r.seasonalNaiveMae(),
        r.bestLearned() + " " + learned + " against seasonal naive " + r.seasonalNaiveMae());
    for (double mae : r.testMae().values()) {
      assertTrue(Double.isFinite(mae) && mae > 0, r.testMae().toString());
    }
    String report = Files.readString(dir.resolve("a/report.md"));
    assertTrue(report.contains("| forecaster | parameters |"), report);
    assertTrue(report.contains("yearly, not monthly"), report);
    assertTrue(Files.size(dir.resolve("a/sunspots-test.png")) > 0);
    String text = console.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("trained the LSTM"), text);

    // The same seed gives the same forecasts.
    SunspotForecasting.Result again = quick(dir.resolve("b"), new ByteArrayOutputStream());
    assertEquals(r.testMae(), again.testMae());
    assertEquals(r.bestLearned(), again.bestLearned());
  }
}
