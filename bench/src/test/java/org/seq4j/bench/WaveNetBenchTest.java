package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seq4j.wavenet.WaveNetConfig;

/**
 * {@code seq4j bench wavenet} end to end on a tiny network, one short round per case: the JSON
 * lines carry the contract fields, the table lists the targets, and the cross-checks run (with the
 * PyTorch peer where its virtual environment exists).
 */
class WaveNetBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** 5 layers (receptive field 12), 256 classes, narrow; a few samples per timed call. */
  static WaveNetWorkload tiny() {
    WaveNetConfig config =
        new WaveNetConfig(256, 8, 8, 16, 2, 2, new int[] {1, 2, 4, 1, 2}, 0, 0, 0, 0, null);
    return new WaveNetWorkload("t", config, 2, 40, 40, 8, 1, 1);
  }

  private static final class Output {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    int code;
  }

  private static Output run(boolean json, boolean peer) {
    WaveNetBench.Run run =
        new WaveNetBench.Run(
            List.of(tiny()), true, List.of(1, 2), List.of(1, 2), List.of(1), 1, 0.01, json, peer);
    Output o = new Output();
    o.code = run.execute(new PrintWriter(o.out, true), new PrintWriter(o.err, true));
    return o;
  }

  private static List<JsonNode> lines(String out) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.strip().split("\n")) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  @Test
  void jsonLinesCarryTheContractFields() throws Exception {
    Output o = run(true, false);
    assertEquals(0, o.code, o.err.toString());
    List<JsonNode> nodes = lines(o.out.toString());
    // training: seq4j; generation: 3 Java implementations at batch 1 and 2
    assertEquals(7, nodes.size(), o.out.toString());
    List<String> fields = List.of("op", "model", "impl", "batch", "threads", "samples_per_s");
    for (JsonNode n : nodes) {
      Iterator<String> names = n.fieldNames();
      for (String f : fields) {
        assertEquals(f, names.next(), "field order of " + n);
      }
      assertEquals("t", n.get("model").asText());
      assertEquals(1, n.get("threads").asInt());
      assertTrue(n.get("samples_per_s").asDouble() > 0, n.toString());
      assertEquals(n.get("samples_per_s").asDouble() / 8000, n.get("rtf_8khz").asDouble(), 1e-3);
    }
    JsonNode train = nodes.get(0);
    assertEquals("wavenet-train", train.get("op").asText());
    assertEquals("seq4j", train.get("impl").asText());
    assertEquals(2, train.get("batch").asInt());
    assertEquals(2 * (40 - 12), train.get("samples_per_call").asInt());
    List<String> impls = new ArrayList<>();
    for (JsonNode n : nodes.subList(1, 7)) {
      assertEquals("wavenet-generate", n.get("op").asText());
      impls.add(n.get("impl").asText() + "/" + n.get("batch").asInt());
    }
    assertEquals(
        List.of(
            "seq4j-fast/1",
            "seq4j-naive/1",
            "djl-fast/1",
            "seq4j-fast/2",
            "seq4j-naive/2",
            "djl-fast/2"),
        impls);
    JsonNode fast = nodes.get(1);
    assertTrue(fast.has("samples_per_s_ratio_vs_djl-fast"), fast.toString());
    assertTrue(fast.has("samples_per_s_ratio_vs_seq4j-naive"), fast.toString());
    JsonNode djl = nodes.get(3);
    assertTrue(djl.get("logits_max_abs_diff_vs_seq4j_fast").asDouble() <= 1e-4, djl.toString());
    assertEquals(50, djl.get("greedy_samples_equal_to_seq4j_fast").asInt(), djl.toString());
  }

  @Test
  void tableShowsRealTimeFactorsChecksAndTargets() {
    Output o = run(false, false);
    assertEquals(0, o.code, o.err.toString());
    String table = o.out.toString();
    assertTrue(table.contains("x real time 8 kHz"), table);
    assertTrue(table.contains("check: model t: greedy from silence"), table);
    assertTrue(table.contains("targets:"), table);
    assertTrue(table.contains("[not measured] seq4j / pytorch, training >= 0.7x"), table);
  }

  @Test
  void withoutPeerEnvironmentTheJavaImplementationsStillRun() {
    assumeTrue(
        !Files.isExecutable(PythonPeer.python(PythonPeer.repoRoot())),
        "the peer's environment exists here");
    Output o = run(true, true);
    assertEquals(0, o.code);
    assertEquals(PythonPeer.UNAVAILABLE_NOTICE, o.err.toString().strip());
    assertTrue(o.out.toString().contains("\"impl\":\"seq4j-fast\""));
  }

  /** With the real peer ({@code bench/peers/setup.sh}): skipped where it is not installed. */
  @Test
  void pytorchPeerComputesTheSameNetwork() throws Exception {
    assumeTrue(
        Files.isExecutable(PythonPeer.python(PythonPeer.repoRoot())),
        "PyTorch peer not installed (bench/peers/setup.sh)");
    Output o = run(true, true);
    assertEquals(0, o.code, o.err.toString());
    List<JsonNode> nodes = lines(o.out.toString());
    Map<String, JsonNode> byImpl = new java.util.HashMap<>();
    for (JsonNode n : nodes) {
      byImpl.put(n.get("impl").asText() + "/" + n.get("batch").asInt(), n);
    }
    JsonNode train = byImpl.get("pytorch/2");
    assertTrue(train.get("samples_per_s").asDouble() > 0, train.toString());
    assertTrue(train.get("loss_abs_diff_vs_seq4j").asDouble() <= 1e-4, train.toString());
    assertTrue(byImpl.get("seq4j/2").has("samples_per_s_ratio_vs_pytorch"));
    for (int batch : new int[] {1, 2}) {
      JsonNode fast = byImpl.get("pytorch-fast/" + batch);
      assertTrue(fast.get("samples_per_s").asDouble() > 0, fast.toString());
      assertTrue(fast.get("logits_max_abs_diff_vs_seq4j_fast").asDouble() <= 1e-4, fast.toString());
    }
  }

  @Test
  void trainingWarmsUpForSecondsOnBothSides() {
    assertEquals(WaveNetBench.TRAIN_WARM_UP_S, WaveNetBench.trainWarmUpS(0.2), 1e-12);
    assertEquals(0.15, WaveNetBench.trainWarmUpS(0.01), 1e-12);
    assertEquals(5.0, WaveNetBench.trainWarmUpS(5.0), 1e-12);
    Map<String, Object> request =
        tiny().trainRequest(java.nio.file.Path.of("w.safetensors"), 1, 0.2, 3.0);
    assertEquals(3.0, request.get("warm_up_s"));
    assertEquals(0.2, request.get("min_time_s"));
  }
}
