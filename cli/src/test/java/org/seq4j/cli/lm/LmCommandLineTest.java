package org.seq4j.cli.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;
import org.seq4j.cli.TinyFortunes;
import org.seq4j.io.SafeTensors;

class LmCommandLineTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  private static Path fortunes(Path dir) throws IOException {
    return TinyFortunes.write(dir.resolve("fortunes.txt"));
  }

  private static List<String> tiny(Path text, Path run, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "lm",
                "train",
                "--text",
                text.toString(),
                "--out",
                run.toString(),
                "--embedding",
                "16",
                "--seq-len",
                "16",
                "--batch",
                "8",
                "--lr",
                "1e-2",
                "--quiet"));
    args.addAll(List.of(more));
    return args;
  }

  private static double column(List<String> csvLines, int row, int column) {
    return Double.parseDouble(csvLines.get(row).split(",")[column]);
  }

  @Test
  void trainLearnsWritesCheckpointsAndSampleReadsThemBack(@TempDir Path dir) throws Exception {
    Path text = fortunes(dir);
    Path run = dir.resolve("run");
    int code =
        Seq4j.execute(
            tiny(
                    text,
                    run,
                    "--hidden",
                    "48",
                    "--layers",
                    "1",
                    "--steps",
                    "60",
                    "--validate-every",
                    "20")
                .toArray(new String[0]));
    assertEquals(0, code, console.err());
    for (String f :
        List.of(
            "best.safetensors",
            "last.safetensors",
            "train.csv",
            "valid.csv",
            "loss.png",
            "sample.txt")) {
      assertTrue(Files.size(run.resolve(f)) > 0, f + " written");
    }
    assertTrue(console.out().contains("300 quotes"), console.out());

    // The training loss falls; validation (every 20th quote) improves and ends well below a
    // uniform guess over the ~35 characters (5.1 bits).
    List<String> train = Files.readAllLines(run.resolve("train.csv"));
    assertEquals(61, train.size());
    double first = column(train, 1, 2);
    double last = (column(train, 58, 2) + column(train, 59, 2) + column(train, 60, 2)) / 3;
    assertTrue(last < first - 1.0, "training loss " + first + " -> " + last);
    List<String> valid = Files.readAllLines(run.resolve("valid.csv"));
    assertEquals("step,loss,bpc", valid.get(0));
    assertEquals(4, valid.size());
    double bpc = column(valid, 3, 2);
    assertTrue(bpc < column(valid, 1, 2), "validation improves: " + valid);
    assertTrue(bpc < 3.0, "validation bits/char " + bpc);

    // The checkpoint holds PyTorch's names and the config sample needs.
    var metadata = SafeTensors.readMetadata(run.resolve("best.safetensors"));
    JsonNode config = new ObjectMapper().readTree(metadata.get("config"));
    assertEquals("lstm", config.get("model").asText());
    assertEquals("\n%\n", config.get("separator").asText());
    assertTrue(config.get("vocabulary").asText().contains("%"));

    console.resetOut();
    String[] sample = {
      "lm",
      "sample",
      "--checkpoint",
      run.resolve("best.safetensors").toString(),
      "--prime",
      "the cat",
      "--length",
      "80",
      "--temperature",
      "0.5",
      "--seed",
      "3"
    };
    assertEquals(0, Seq4j.execute(sample), console.err());
    String first80 = console.out();
    assertTrue(first80.startsWith("the cat"), first80);
    // The prime, 80 drawn characters, and the final newline.
    assertEquals("the cat".length() + 80 + 1, first80.codePoints().count(), first80);
    console.resetOut();
    assertEquals(0, Seq4j.execute(sample), console.err());
    assertEquals(first80, console.out(), "the same seed draws the same text");
  }

  @Test
  void gruAndRnnTrainToo(@TempDir Path dir) throws Exception {
    Path text = fortunes(dir);
    for (String model : List.of("gru", "rnn")) {
      Path run = dir.resolve(model);
      int code =
          Seq4j.execute(
              tiny(text, run, "--model", model, "--steps", "5", "--hidden", "32", "--layers", "2")
                  .toArray(new String[0]));
      assertEquals(0, code, console.err());
      String header = SafeTensors.readMetadata(run.resolve("last.safetensors")).get("config");
      assertTrue(header.contains("\"model\":\"" + model + "\""), header);
    }
  }

  @Test
  void anInterruptedRunResumesAndAChangedOneIsRefused(@TempDir Path dir) throws Exception {
    Path text = fortunes(dir);
    Path run = dir.resolve("run");
    // A tiny time budget stops the run early.
    assertEquals(
        0,
        Seq4j.execute(
            tiny(text, run, "--hidden", "48", "--steps", "30", "--max-minutes", "0.003")
                .toArray(new String[0])),
        console.err());
    long stoppedAt = progressStep(run);
    assertTrue(stoppedAt < 30, "stopped at " + stoppedAt);
    console.resetOut();
    assertEquals(
        0,
        Seq4j.execute(
            tiny(text, run, "--hidden", "48", "--steps", "30", "--resume").toArray(new String[0])),
        console.err());
    assertEquals(30, progressStep(run));
    assertTrue(console.out().contains("steps " + stoppedAt + " to 30"), console.out());

    console.resetErr();
    int code =
        Seq4j.execute(
            tiny(text, run, "--steps", "30", "--resume", "--hidden", "64").toArray(new String[0]));
    assertEquals(1, code);
    assertTrue(
        console.err().contains("was trained with hidden = 48, this run has 64"), console.err());
  }

  private static long progressStep(Path run) throws IOException {
    String progress = SafeTensors.readMetadata(run.resolve("last.safetensors")).get("progress");
    return new ObjectMapper().readTree(progress).get("step").asLong();
  }

  @Test
  void badInputIsAOneLineError(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "");
    Path latin1 = dir.resolve("latin1.txt");
    Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
    Path good = fortunes(dir);
    List<List<String>> cases =
        List.of(
            List.of("lm", "train", "--text", empty.toString()),
            List.of("lm", "train", "--text", latin1.toString()),
            List.of("lm", "train", "--text", dir.resolve("missing.txt").toString()),
            List.of("lm", "train", "--text", good.toString(), "--model", "transformer"),
            List.of("lm", "train", "--text", good.toString(), "--batch", "4096"),
            List.of("lm", "sample", "--checkpoint", dir.resolve("none.safetensors").toString()));
    List<String> expected =
        List.of(
            "error: " + empty + " is empty",
            "error: " + latin1 + " is not valid UTF-8 text (bad byte 0xe9 at offset 3)",
            "error: no such text file: " + dir.resolve("missing.txt"),
            "error: unknown model 'transformer': choose one of lstm, gru, rnn",
            "error: the training text (",
            "error: no such checkpoint: " + dir.resolve("none.safetensors"));
    for (int i = 0; i < cases.size(); i++) {
      console.resetErr();
      assertEquals(1, Seq4j.execute(cases.get(i).toArray(new String[0])), cases.get(i).toString());
      String first =
          console.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
      assertTrue(first.startsWith(expected.get(i)), first);
      assertFalse(console.err().contains("\tat "), "no stack trace: " + console.err());
    }
  }

  @Test
  void helpListsTheCommands() {
    assertEquals(0, Seq4j.execute("--help"));
    assertTrue(console.out().contains("lm"), console.out());
    assertTrue(console.out().contains("data"), console.out());
    console.resetOut();
    assertEquals(0, Seq4j.execute("data", "fetch", "--help"));
    assertTrue(console.out().contains("fortunes"), console.out());
    console.resetOut();
    assertEquals(0, Seq4j.execute("lm", "train", "--help"));
    assertTrue(console.out().contains("--seq-len"), console.out());
  }
}
