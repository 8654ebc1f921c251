package org.seq4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheCommands() {
    assertEquals(0, Seq4j.execute("--help"));
    for (String command : List.of("info", "quickstart", "data", "plot", "bench")) {
      assertTrue(out().contains(command), out());
    }
  }

  @Test
  void dataFetchAndPlotListTheirSubcommands() {
    assertEquals(0, Seq4j.execute("data", "fetch", "--help"));
    for (String dataset : List.of("fortunes", "speech-en", "music-moh")) {
      assertTrue(out().contains(dataset), out());
    }
    assertEquals(0, Seq4j.execute("plot", "--help"));
    assertTrue(out().contains("wave"), out());
  }

  @Test
  void infoPrintsTheRuntime() {
    assertEquals(0, Seq4j.execute("info"));
    String text = out();
    assertTrue(text.contains("engine PyTorch 2.7.1"), text);
    assertTrue(text.contains("intra-op threads 1"), text); // tests run on one thread
    assertTrue(text.contains("vector api"), text);
    assertTrue(text.contains(Runtime.getRuntime().availableProcessors() + " cores"), text);
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertEquals(2, Seq4j.execute("quickstart", "--no-such-option"));
    assertTrue(err().contains("Unknown option: '--no-such-option'"), err());
  }

  @Test
  void missingTextFileIsAClearError(@TempDir Path dir) {
    assertEquals(
        1, Seq4j.execute("quickstart", "--text", dir.resolve("nope.txt").toString(), "--quiet"));
    assertTrue(err().contains("error: no such text file: "), err());
    assertFalse(err().contains("\tat "), "no stack trace without --debug: " + err());
  }

  @Test
  void quickstartTrainsReloadsAndSamples(@TempDir Path dir) throws Exception {
    Path runDir = dir.resolve("run");
    int code =
        Seq4j.execute(
            "quickstart",
            "--steps",
            "300",
            "--hidden",
            "128",
            "--out",
            runDir.toString(),
            "--quiet");
    assertEquals(0, code, err());
    String text = out();
    for (String f :
        List.of(
            "best.safetensors",
            "last.safetensors",
            "train.csv",
            "valid.csv",
            "loss.png",
            "sample.txt")) {
      assertTrue(Files.size(runDir.resolve(f)) > 0, f + " written");
      assertTrue(text.contains(f), "summary lists " + f);
    }
    // Learned: validation bits/char far below a uniform guess over the alphabet (~6.4 bits).
    List<String> valid = Files.readAllLines(runDir.resolve("valid.csv"));
    assertEquals("step,loss,bpc", valid.get(0));
    double bpc = Double.parseDouble(valid.get(valid.size() - 1).split(",")[2]);
    assertTrue(bpc < 3.5, "validation bits/char " + bpc);
    // The reloaded best checkpoint scores what training measured.
    String reloaded = text.lines().filter(l -> l.contains("reloaded")).findFirst().orElseThrow();
    assertTrue(reloaded.contains("bits/char"), reloaded);
    assertTrue(Files.readString(runDir.resolve("sample.txt")).startsWith("This License"));
  }
}
