package org.seq4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.nmt.CorpusSplits;
import org.seq4j.text.ParallelCorpus;
import org.seq4j.text.SentencePair;

class CommandLineTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @Test
  void helpListsTheCommands() {
    assertEquals(0, Seq4j.execute("--help"));
    for (String command : List.of("info", "quickstart", "data", "plot", "nmt", "bleu", "bench")) {
      assertTrue(console.out().contains(command), console.out());
    }
  }

  @Test
  void dataFetchAndPlotListTheirSubcommands() {
    assertEquals(0, Seq4j.execute("data", "fetch", "--help"));
    for (String dataset : List.of("fortunes", "speech-en", "music-moh", "sunspots")) {
      assertTrue(console.out().contains(dataset), console.out());
    }
    assertEquals(0, Seq4j.execute("plot", "--help"));
    assertTrue(console.out().contains("wave"), console.out());
  }

  @Test
  void infoPrintsTheRuntime() {
    assertEquals(0, Seq4j.execute("info"));
    String text = console.out();
    assertTrue(text.contains("engine PyTorch 2.7.1"), text);
    assertTrue(text.contains("intra-op threads 1"), text); // tests run on one thread
    assertTrue(text.contains("vector api"), text);
    assertTrue(text.contains(Runtime.getRuntime().availableProcessors() + " cores"), text);
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertEquals(2, Seq4j.execute("quickstart", "--no-such-option"));
    assertTrue(console.err().contains("Unknown option: '--no-such-option'"), console.err());
  }

  @Test
  void missingTextFileIsAClearError(@TempDir Path dir) {
    assertEquals(
        1, Seq4j.execute("quickstart", "--text", dir.resolve("nope.txt").toString(), "--quiet"));
    assertTrue(console.err().contains("error: no such text file: "), console.err());
    assertFalse(
        console.err().contains("\tat "), "no stack trace without --debug: " + console.err());
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
            "--wavenet-minutes",
            "0",
            "--no-translation",
            "--quiet");
    assertEquals(0, code, console.err());
    String text = console.out();
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

  @Test
  void quickstartTranslationStepTrainsATinyGnmtAndScoresIt(@TempDir Path dir) throws Exception {
    // A stand-in for a fetched ding-de-en: short pairs of a toy language, so nothing is fetched.
    Path dataDir = dir.resolve("data");
    Path corpus = org.seq4j.cli.nmt.ToyLanguage.write(dir);
    List<SentencePair> pairs = ParallelCorpus.readTsv(corpus);
    new CorpusSplits(pairs.subList(40, pairs.size()), pairs.subList(0, 30), pairs.subList(30, 40))
        .write(dataDir.resolve("ding-de-en"));
    Path runDir = dir.resolve("run");
    int code =
        Seq4j.execute(
            "quickstart",
            "--steps",
            "20",
            "--hidden",
            "32",
            "--out",
            runDir.toString(),
            "--data-dir",
            dataDir.toString(),
            "--translation-minutes",
            "0.05",
            "--quiet");
    assertEquals(0, code, console.err());
    String text = console.out();
    assertTrue(text.contains("a tiny GNMT translator"), text);
    assertTrue(text.contains("360 training and 30 dev pairs"), text);
    assertTrue(text.contains("30 dev sentences translated (greedy)"), text);
    assertTrue(text.contains("BLEU"), text);
    assertTrue(text.contains("gnmt | "), text);
    assertTrue(Files.exists(runDir.resolve("nmt").resolve("last.safetensors")));
    assertTrue(Files.exists(runDir.resolve("nmt").resolve("tokenizer.model")));
  }
}
