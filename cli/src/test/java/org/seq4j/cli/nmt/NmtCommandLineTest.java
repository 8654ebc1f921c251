package org.seq4j.cli.nmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.Checkpoint;
import org.seq4j.io.SafeTensors;
import org.seq4j.nmt.TranslationData;

/**
 * The {@code nmt} commands end to end on a toy language pair written here: 400 sentences of 3 to 7
 * words from a 20-word vocabulary, translated word for word. One tiny GNMT is trained once (200
 * steps, seconds) and shared by the tests of the other commands.
 */
class NmtCommandLineTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @TempDir static Path dir;
  static Path corpus;
  static Path run;
  static String trainOut;
  static int trainCode;
  static String trainErr;

  static Path corpus(Path where) throws IOException {
    return ToyLanguage.write(where);
  }

  static List<String> tiny(Path data, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "nmt",
                "train",
                "--data",
                data.toString(),
                "--vocab",
                "330",
                "--init",
                "0.3",
                "--lr",
                "1e-2",
                "--dropout",
                "0",
                "--max-tokens",
                "600",
                "--out",
                out.toString(),
                "--quiet"));
    args.addAll(List.of(more));
    return args;
  }

  @BeforeAll
  static void train() throws IOException {
    corpus = corpus(dir);
    run = dir.resolve("run");
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      trainCode =
          Seq4j.execute(
              tiny(
                      corpus,
                      run,
                      "--hidden",
                      "64",
                      "--embedding",
                      "64",
                      "--steps",
                      "200",
                      "--validate-every",
                      "100",
                      "--keep-checkpoints",
                      "2")
                  .toArray(new String[0]));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    trainOut = out.toString(StandardCharsets.UTF_8);
    trainErr = err.toString(StandardCharsets.UTF_8);
  }

  private static String[] args(Object... parts) {
    String[] out = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = parts[i].toString();
    }
    return out;
  }

  /** Runs the command line with {@code input} as standard input. */
  private static int withInput(byte[] input, String... args) {
    InputStream old = System.in;
    System.setIn(new ByteArrayInputStream(input));
    try {
      return Seq4j.execute(args);
    } finally {
      System.setIn(old);
    }
  }

  @Test
  void trainWritesCheckpointsLogsAndTheTokenizerAndLearns() throws IOException {
    assertEquals(0, trainCode, trainErr);
    for (String f :
        List.of(
            "best.safetensors",
            "last.safetensors",
            "tokenizer.model",
            "train.csv",
            "valid.csv",
            "loss.png",
            "step-0000100.safetensors",
            "step-0000200.safetensors")) {
      assertTrue(Files.size(run.resolve(f)) > 0, f + " written");
    }
    assertTrue(trainOut.contains("kept for training"), trainOut);
    assertTrue(trainOut.contains("tokenizer 330 pieces"), trainOut);
    List<String> valid = Files.readAllLines(run.resolve("valid.csv"));
    assertEquals("step,loss,nll,ppl,bleu", valid.get(0));
    assertEquals(3, valid.size(), valid.toString());
    double nll = Double.parseDouble(valid.get(2).split(",")[2]);
    // A uniform guess over 330 pieces is 5.8 nats; the model reads the source by now.
    assertTrue(nll < 1.5, "dev nll " + nll);

    JsonNode config =
        new ObjectMapper()
            .readTree(SafeTensors.readMetadata(run.resolve("best.safetensors")).get("config"));
    assertEquals("gnmt", config.get("model").asText());
    assertEquals("tokenizer.model", config.get("tokenizer").asText());
    assertEquals(64, config.get("tokenizer_sha256").asText().length());
    assertEquals(330, config.get("vocabulary_size").asInt());
    assertEquals(corpus.toAbsolutePath().toString(), config.get("data").get(0).asText());
    JsonNode progress =
        new ObjectMapper()
            .readTree(SafeTensors.readMetadata(run.resolve("best.safetensors")).get("progress"));
    assertEquals("bleu", progress.get("best_metric").asText());
  }

  @Test
  void translateStreamsLineForLineAndSurvivesBadInput() throws IOException {
    assertEquals(0, trainCode, trainErr);
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    String longLine = "the big red house ".repeat(400).strip();
    input.write(
        ("the cat sees a dog.\n\nsmall bird.\n" + longLine + "\n日本語 🙂 ünïcödé\n")
            .getBytes(StandardCharsets.UTF_8));
    input.write(new byte[] {'a', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, '\n'});
    input.write("the woman eats bread.".getBytes(StandardCharsets.UTF_8)); // no final newline
    int code =
        withInput(
            input.toByteArray(),
            args(
                "nmt",
                "translate",
                "--checkpoint",
                run.resolve("best.safetensors"),
                "--beam",
                "2",
                "--chunk",
                "3"));
    assertEquals(0, code, console.err());
    String out = console.out();
    assertTrue(out.endsWith("\n"), out);
    String[] lines = out.split("\n", -1);
    assertEquals(8, lines.length, out); // 7 translations and the empty rest after the last newline
    assertEquals("", lines[1], "an empty line gives an empty line");
    for (int i : new int[] {0, 2, 6}) {
      assertTrue(!lines[i].isEmpty(), "line " + i + ": " + out);
    }
    assertTrue(
        console.err().contains("1 line(s) longer than 256 subword tokens were cut"), console.err());
    assertTrue(console.err().contains("7 lines"), console.err());
  }

  @Test
  void evalTranslatesTheTestSplitAndPrintsSacreBleusLines() throws IOException {
    assertEquals(0, trainCode, trainErr);
    Path hyp = dir.resolve("hyp").resolve("test.txt");
    int code =
        Seq4j.execute(
            args(
                "nmt",
                "eval",
                "--checkpoint",
                run.resolve("best.safetensors"),
                "--split",
                "test",
                "--out",
                hyp));
    assertEquals(0, code, console.err());
    String[] out = console.out().split("\n");
    assertEquals(2, out.length, console.out());
    assertTrue(out[0].startsWith("BLEU = "), out[0]);
    assertEquals("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp", out[1]);
    int test = TranslationData.load(List.of(corpus.toString()), dir, null).splits().test().size();
    assertEquals(test, Files.readAllLines(hyp).size());
    assertTrue(console.err().contains("test split: " + test + " pairs"), console.err());

    console.resetErr();
    assertEquals(
        1,
        Seq4j.execute(
            args("nmt", "eval", "--checkpoint", run.resolve("best.safetensors"), "--split", "x")));
    assertTrue(console.err().contains("--split must be test or dev, got x"), console.err());
  }

  @Test
  void attentionDrawsAHeatmapOfTheBestTranslation() throws IOException {
    assertEquals(0, trainCode, trainErr);
    Path png = dir.resolve("attention.png");
    int code =
        Seq4j.execute(
            args(
                "nmt",
                "attention",
                "--checkpoint",
                run.resolve("best.safetensors"),
                "the old man likes the red house.",
                "--png",
                png));
    assertEquals(0, code, console.err());
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image.getWidth() >= 400 && image.getHeight() >= 200);
    assertEquals(1, console.out().strip().split("\n").length, console.out());
    assertTrue(console.err().contains("wrote " + png), console.err());

    console.resetErr();
    assertEquals(
        1,
        Seq4j.execute(
            args(
                "nmt",
                "attention",
                "--checkpoint",
                run.resolve("best.safetensors"),
                "",
                "--png",
                png)));
    assertTrue(console.err().contains("the sentence is empty"), console.err());
  }

  @Test
  void averageMakesACheckpointTheOtherCommandsRead() throws IOException {
    assertEquals(0, trainCode, trainErr);
    Path avg = dir.resolve("averaged").resolve("avg.safetensors");
    int code =
        Seq4j.execute(
            args(
                "nmt",
                "average",
                run.resolve("step-0000100.safetensors"),
                run.resolve("step-0000200.safetensors"),
                "--out",
                avg));
    assertEquals(0, code, console.err());
    assertTrue(console.out().contains("averaged 2 checkpoints"), console.out());
    assertTrue(Files.exists(avg.resolveSibling("tokenizer.model")));
    console.resetOut();
    assertEquals(
        0,
        withInput(
            "the cat eats.\n".getBytes(StandardCharsets.UTF_8),
            args("nmt", "translate", "--checkpoint", avg, "--quiet")),
        console.err());
    assertEquals(1, console.out().split("\n").length);

    // A checkpoint of another shape cannot join the average.
    Path other = dir.resolve("other");
    assertEquals(
        0,
        Seq4j.execute(
            tiny(corpus, other, "--hidden", "32", "--embedding", "32", "--steps", "2")
                .toArray(new String[0])),
        console.err());
    console.resetErr();
    assertEquals(
        1,
        Seq4j.execute(
            args(
                "nmt",
                "average",
                run.resolve("best.safetensors"),
                other.resolve("last.safetensors"),
                "--out",
                dir.resolve("bad.safetensors"))));
    assertTrue(console.err().contains("different models"), console.err());
  }

  @Test
  void checkpointsOfOtherModelsAndMissingTokenizersAreClearErrors() throws IOException {
    assertEquals(0, trainCode, trainErr);
    Path lm = dir.resolve("lm").resolve("best.safetensors");
    Files.createDirectories(lm.getParent());
    ObjectNode lmConfig = new ObjectMapper().createObjectNode();
    lmConfig.put("model", "lstm");
    try (NDManager m = Seq4jEngine.get().newBaseManager()) {
      new Checkpoint(Map.of("w", m.zeros(new Shape(2))), Map.of(), null, null, lmConfig).save(lm);
    }
    for (String command : List.of("translate", "eval")) {
      console.resetErr();
      assertEquals(1, withInput(new byte[0], args("nmt", command, "--checkpoint", lm)));
      assertTrue(
          console.err().contains("is not a translation checkpoint: it holds a 'lstm' model"),
          console.err());
    }

    Path alone = dir.resolve("alone").resolve("best.safetensors");
    Files.createDirectories(alone.getParent());
    Files.copy(run.resolve("best.safetensors"), alone);
    console.resetErr();
    assertEquals(
        1, Seq4j.execute(args("nmt", "attention", "--checkpoint", alone, "x", "--png", "x.png")));
    assertTrue(console.err().contains("its tokenizer tokenizer.model is missing"), console.err());

    console.resetErr();
    assertEquals(
        1,
        withInput(
            new byte[0],
            args("nmt", "translate", "--checkpoint", dir.resolve("none.safetensors"))));
    assertTrue(console.err().contains("no such checkpoint"), console.err());

    console.resetErr();
    assertEquals(
        2,
        Seq4j.execute(
            args("nmt", "translate", "--checkpoint", run.resolve("best.safetensors"), "--bogus")));
    assertTrue(console.err().contains("Unknown option: '--bogus'"), console.err());
  }

  @Test
  void badDataIsAClearError() throws IOException {
    console.resetErr();
    assertEquals(
        1, Seq4j.execute(tiny(Path.of("no-such-corpus"), dir.resolve("x")).toArray(new String[0])));
    assertTrue(console.err().contains("unknown data 'no-such-corpus'"), console.err());

    Path src = dir.resolve("a.txt");
    Path tgt = dir.resolve("b.txt");
    Files.writeString(src, "one\ntwo\nthree\n");
    Files.writeString(tgt, "uno\ndos\n");
    List<String> aligned = tiny(src, dir.resolve("x"), "--hidden", "32");
    aligned.add(aligned.indexOf(src.toString()) + 1, tgt.toString());
    console.resetErr();
    assertEquals(1, Seq4j.execute(aligned.toArray(new String[0])));
    assertTrue(console.err().contains("line counts differ"), console.err());

    console.resetErr();
    List<String> notFetched = tiny(Path.of("ding-de-en"), dir.resolve("x"));
    notFetched.addAll(List.of("--data-dir", dir.resolve("empty").toString()));
    assertEquals(1, Seq4j.execute(notFetched.toArray(new String[0])));
    assertTrue(console.err().contains("seq4j data fetch ding-de-en"), console.err());
  }

  @Test
  void anInterruptedRunResumesAndAChangedOneIsRefused() throws IOException {
    Path data = corpus;
    Path out = dir.resolve("resume");
    assertEquals(
        0,
        Seq4j.execute(
            tiny(
                    data,
                    out,
                    "--hidden",
                    "32",
                    "--embedding",
                    "32",
                    "--steps",
                    "40",
                    "--max-minutes",
                    "0.003")
                .toArray(new String[0])),
        console.err());
    long stopped = progressStep(out);
    assertTrue(stopped < 40, "stopped at " + stopped);
    console.resetOut();
    assertEquals(
        0,
        Seq4j.execute(
            tiny(data, out, "--hidden", "32", "--embedding", "32", "--steps", "40", "--resume")
                .toArray(new String[0])),
        console.err());
    assertEquals(40, progressStep(out));
    assertTrue(console.out().contains("steps " + stopped + " to 40"), console.out());
    assertTrue(console.out().contains("read from"), "the tokenizer is reused: " + console.out());

    console.resetErr();
    assertEquals(
        1,
        Seq4j.execute(
            tiny(data, out, "--hidden", "48", "--embedding", "32", "--steps", "40", "--resume")
                .toArray(new String[0])));
    assertTrue(
        console.err().contains("was trained with hidden = 32, this run has 48"), console.err());
  }

  @Test
  void theOtherModelAndOptimizerOptionsReachTheCheckpoint() throws IOException {
    Path out = dir.resolve("sgd");
    List<String> args =
        tiny(
            corpus,
            out,
            "--hidden",
            "32",
            "--embedding",
            "16",
            "--layers",
            "3",
            "--attention",
            "bahdanau",
            "--query",
            "gnmt",
            "--optimizer",
            "sgd-halving",
            "--label-smoothing",
            "0",
            "--epochs",
            "1",
            "--beam",
            "1");
    args.remove("--lr");
    args.remove("1e-2");
    assertEquals(0, Seq4j.execute(args.toArray(new String[0])), console.err());
    JsonNode config =
        new ObjectMapper()
            .readTree(SafeTensors.readMetadata(out.resolve("last.safetensors")).get("config"));
    assertEquals("sgd-halving", config.get("optimizer").asText());
    assertEquals(1.0, config.get("lr").asDouble());
    assertEquals("normalized_bahdanau", config.get("attention").asText());
    assertEquals("gnmt", config.get("attention_query").asText());
    assertEquals(3, config.get("encoder_layers").asInt());
    assertEquals(3, config.get("residual_from").asInt());
    assertEquals(16, config.get("embedding").asInt());
    assertTrue(!config.get("tied_projection").asBoolean(), "embedding != hidden: not tied");
    JsonNode opt =
        new ObjectMapper()
            .readTree(SafeTensors.readMetadata(out.resolve("last.safetensors")).get("optimizer"));
    assertEquals("sgd", opt.get("kind").asText());
    String progress = SafeTensors.readMetadata(out.resolve("last.safetensors")).get("progress");
    assertEquals(1, new ObjectMapper().readTree(progress).get("epoch").asInt(), progress);

    console.resetErr();
    assertEquals(1, Seq4j.execute(tiny(corpus, out, "--attention", "dot").toArray(new String[0])));
    assertTrue(console.err().contains("--attention must be bahdanau or luong"), console.err());
  }

  private static long progressStep(Path out) throws IOException {
    String progress = SafeTensors.readMetadata(out.resolve("last.safetensors")).get("progress");
    return new ObjectMapper().readTree(progress).get("step").asLong();
  }

  /** Unused files in the run folder would show a leak of kept checkpoints. */
  @Test
  void onlyTheLastKeptCheckpointsRemain() throws IOException {
    assertEquals(0, trainCode, trainErr);
    try (Stream<Path> files = Files.list(run)) {
      assertEquals(2, files.filter(p -> p.getFileName().toString().startsWith("step-")).count());
    }
  }
}
