package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors;
import org.seq4j.nmt.BeamSearch;
import org.seq4j.nmt.Gnmt;
import org.seq4j.nmt.GnmtBatch;
import org.seq4j.nmt.GnmtConfig;
import org.seq4j.nn.Attention;
import org.seq4j.optim.Gradients;
import picocli.CommandLine;

/**
 * {@code bench nmt} on a tiny GNMT: the JSON lines of one round, the step-by-step decoder's loss
 * and gradients against the fused ones, and, where the Python environment exists, the PyTorch
 * peer's loss and translations against seq4j's.
 */
class BenchNmtTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tiny workload: vocabulary 40, layers of 8, 3 training pairs and 2 sources of 2 to 6. */
  private static final String[] TINY = {
    "--vocab",
    "40",
    "--hidden",
    "8",
    "--batch",
    "3",
    "--sentences",
    "2",
    "--lengths",
    "2..6",
    "--rounds",
    "1",
    "--min-time",
    "0.001",
    "--threads",
    "1",
    "--json"
  };

  private record Run(int exitCode, List<JsonNode> lines, String err) {}

  private static Run run(String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of(TINY));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new NmtBench());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args.toArray(new String[0]));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return new Run(code, lines, err.toString());
  }

  private static JsonNode find(List<JsonNode> lines, String op, String impl, Integer beam) {
    for (JsonNode n : lines) {
      if (n.path("op").asText().equals(op)
          && n.path("impl").asText().equals(impl)
          && (beam == null || n.path("beam").asInt() == beam)) {
        return n;
      }
    }
    return null;
  }

  @Test
  void oneRoundPrintsAJsonObjectPerImplementationAndCase() throws IOException {
    Run run = run("--no-peer");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(5, run.lines().size(), run.lines().toString());
    NmtWorkload workload = NmtWorkload.of(GnmtConfig.small(40).withSizes(8, 8), 3, 2, 2, 6, 1);
    for (String impl : List.of(NmtBench.SEQ4J, NmtBench.STEPWISE)) {
      JsonNode n = find(run.lines(), NmtBench.TRAIN, impl, null);
      assertNotNull(n, impl + " training row");
      assertFalse(n.has("beam"), n.toString());
      assertEquals(1, n.get("threads").asInt());
      assertEquals(workload.trainTokens(), n.get("tokens_per_call").asLong());
      assertEquals(3, n.get("sentences_per_call").asInt());
      assertTrue(n.get("tokens_per_s").asDouble() > 0, n.toString());
      assertEquals(
          n.get("tokens_per_s").asDouble() / workload.trainTokens() * 3,
          n.get("sentences_per_s").asDouble(),
          1e-2);
      assertTrue(n.get("us_per_call").asDouble() > 0);
      assertTrue(n.get("heap_bytes_per_call").asLong() > 0);
      assertEquals(1, n.get("rounds").asInt());
    }
    JsonNode fused = find(run.lines(), NmtBench.TRAIN, NmtBench.SEQ4J, null);
    assertTrue(fused.get(NmtReport.ratioField(NmtBench.STEPWISE)).asDouble() > 0);
    assertNull(find(run.lines(), NmtBench.TRAIN, NmtTrainer.SHARED_PART, null), "not a row");
    JsonNode bound =
        run.lines().stream()
            .filter(n -> n.path("op").asText().equals(TrainBound.OP))
            .findFirst()
            .orElseThrow();
    assertEquals(1, bound.get("threads").asInt());
    double shared = bound.get("shared_us_per_call").asDouble();
    double stepwise = bound.get("stepwise_us_per_call").asDouble();
    assertTrue(shared > 0 && stepwise > 0, bound.toString());
    assertEquals(
        stepwise / shared,
        bound.get("max_tokens_per_s_ratio_vs_" + NmtBench.STEPWISE).asDouble(),
        1e-9);
    for (int beam : new int[] {1, 5}) {
      JsonNode n = find(run.lines(), NmtBench.TRANSLATE, NmtBench.SEQ4J, beam);
      assertNotNull(n, "beam " + beam);
      assertEquals(beam, n.get("beam").asInt());
      assertEquals(2, n.get("sentences_per_call").asInt());
      // Each translation has at least EOS and at most 2 |X| + 10 tokens before it.
      long tokens = n.get("tokens_per_call").asLong();
      assertTrue(tokens >= 2 && tokens <= 2 * (2 * 6 + 11), n.toString());
      assertTrue(n.get("sentences_per_s").asDouble() > 0);
    }
  }

  @Test
  void stepByStepDecoderGivesTheFusedLossAndGradients() {
    Engine engine = Seq4jEngine.get();
    GnmtConfig small = GnmtConfig.small(23).withSizes(6, 6).withDropout(0f);
    List<GnmtConfig> configs =
        List.of(
            small,
            small.withQuery(GnmtConfig.Query.GNMT).withTying(false, false),
            small.withAttention(Attention.Kind.LUONG).withLayers(3, 2).withTying(false, true));
    for (GnmtConfig config : configs) {
      engine.setRandomSeed(3);
      NmtWorkload data = NmtWorkload.of(config, 4, 1, 1, 7, 5);
      try (NDManager m = engine.newBaseManager()) {
        Gnmt fused = new Gnmt(config);
        fused.initialize(m, DataType.FLOAT64, 0.5f);
        StepwiseGnmt stepwise = new StepwiseGnmt(config, fused.stateDict(), m);
        GnmtBatch batch = GnmtBatch.of(m, data.trainSources(), data.trainTargets(), config);
        NDArray expected;
        NDArray actual;
        try (GradientCollector collector = engine.newGradientCollector()) {
          expected = fused.loss(batch, 0.1f, false);
          actual = stepwise.loss(batch, 0.1f, false);
          collector.backward(expected.add(actual));
        }
        String what = config.describe();
        assertEquals(expected.getDouble(), actual.getDouble(), 1e-12, what);
        Map<String, NDArray> fusedGrads = Gradients.of(fused.stateDict(), m);
        Map<String, NDArray> stepGrads = Gradients.of(stepwise.parameters(), m);
        assertEquals(fusedGrads.keySet(), stepGrads.keySet(), what);
        for (String name : fusedGrads.keySet()) {
          double diff = fusedGrads.get(name).sub(stepGrads.get(name)).abs().max().getDouble();
          double scale = fusedGrads.get(name).abs().max().getDouble();
          assertTrue(
              diff <= 1e-10 * Math.max(scale, 1), what + " gradient of " + name + ": " + diff);
        }
      }
    }
  }

  @Test
  void stepByStepDecoderAgreesInFloat32Within1e5Relative() {
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(4);
    GnmtConfig config = GnmtConfig.small(40).withSizes(16, 16);
    NmtWorkload data = NmtWorkload.of(config, 5, 1, 3, 9, 2);
    try (NDManager m = engine.newBaseManager()) {
      Gnmt fused = new Gnmt(config);
      fused.initialize(m);
      StepwiseGnmt stepwise = new StepwiseGnmt(config, fused.stateDict(), m);
      GnmtBatch batch = GnmtBatch.of(m, data.trainSources(), data.trainTargets(), config);
      double a = fused.loss(batch, 0.1f, false).getFloat();
      double b = stepwise.loss(batch, 0.1f, false).getFloat();
      assertEquals(a, b, 1e-5 * Math.abs(a));
    }
  }

  private static boolean peerEnvironment() {
    return Files.isExecutable(PythonPeer.python(PythonPeer.repoRoot()))
        && Files.isRegularFile(
            PythonPeer.repoRoot().resolve("bench").resolve("peers").resolve(NmtBench.PEER_SCRIPT));
  }

  @Test
  void peerAgreesOnTheLossAndTheGreedyTranslationsAndIsTimed() throws IOException {
    assumeTrue(peerEnvironment(), "no Python environment for the peer (bench/peers/setup.sh)");
    Run run = run();
    assertEquals(0, run.exitCode(), run.err());
    JsonNode loss = null;
    JsonNode greedy = null;
    for (JsonNode n : run.lines()) {
      if (n.path("op").asText().equals(NmtCheck.OP)) {
        if (n.get("check").asText().equals("train-loss")) {
          loss = n;
        } else if (n.get("check").asText().equals("greedy-float64")) {
          greedy = n;
        }
      }
    }
    assertNotNull(loss, run.lines().toString());
    assertTrue(loss.get("ok").asBoolean(), loss.toString());
    assertTrue(loss.get("relative_difference").asDouble() <= NmtBench.LOSS_TOLERANCE);
    assertNotNull(greedy, run.lines().toString());
    assertTrue(greedy.get("ok").asBoolean(), greedy.toString());
    assertEquals(2, greedy.get("identical").asInt());
    JsonNode train = find(run.lines(), NmtBench.TRAIN, NmtBench.PYTORCH, null);
    assertNotNull(train, run.lines().toString());
    assertTrue(train.get("tokens_per_s").asDouble() > 0);
    JsonNode fused = find(run.lines(), NmtBench.TRAIN, NmtBench.SEQ4J, null);
    assertTrue(fused.has(NmtReport.ratioField(NmtBench.PYTORCH)), fused.toString());
    for (int beam : new int[] {1, 5}) {
      assertNotNull(find(run.lines(), NmtBench.TRANSLATE, NmtBench.PYTORCH, beam), "beam " + beam);
    }
  }

  /**
   * The peer's batched beam search against {@link BeamSearch} in float64, on weights drawn wide
   * enough that hypotheses end at different lengths and beams differ from greedy: the same
   * translations, at beam 1 and at beam 5 with GNMT's penalties.
   */
  @Test
  void peerBeamSearchGivesBeamSearchsTranslations(@TempDir Path dir) {
    assumeTrue(peerEnvironment(), "no Python environment for the peer (bench/peers/setup.sh)");
    Engine engine = Seq4jEngine.get();
    engine.setRandomSeed(11);
    GnmtConfig config = GnmtConfig.small(30).withSizes(8, 8).withLayers(2, 3);
    NmtWorkload workload = NmtWorkload.of(config, 1, 12, 1, 8, 3);
    try (NDManager m = engine.newBaseManager();
        PythonPeer peer = PythonPeer.start(NmtBench.PEER_SCRIPT)) {
      Gnmt model = new Gnmt(config);
      model.initialize(m, DataType.FLOAT64, 1.0f);
      Path weights = dir.resolve("gnmt.safetensors");
      SafeTensors.save(weights, model.stateDict(), null);
      int differentFromGreedy = 0;
      List<int[]> greedy = null;
      for (int beam : new int[] {1, 5}) {
        BeamSearch search = NmtWorkload.search(beam);
        List<int[]> ours = NmtBench.best(search.search(m, model, workload.translateSources()));
        JsonNode answer =
            peer.request(
                workload.peerTranslationsRequest(weights.toString(), search, "float64", 1),
                Duration.ofMinutes(2));
        List<int[]> theirs = NmtBench.translations(answer);
        assertEquals(ours.size(), theirs.size());
        for (int i = 0; i < ours.size(); i++) {
          assertArrayEquals(ours.get(i), theirs.get(i), "beam " + beam + ", source " + i);
        }
        assertEquals(NmtBench.tokens(ours), answer.get("tokens").asLong());
        if (greedy == null) {
          greedy = ours;
        } else {
          for (int i = 0; i < ours.size(); i++) {
            if (!java.util.Arrays.equals(ours.get(i), greedy.get(i))) {
              differentFromGreedy++;
            }
          }
        }
      }
      assertTrue(differentFromGreedy > 0, "beam 5 should differ from greedy somewhere");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
