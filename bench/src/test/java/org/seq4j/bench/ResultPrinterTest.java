package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultPrinterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<BenchResult> sample() {
    return List.of(
        new BenchResult("tanh-1x1024", "seq4j", 1, 4.5, null, 7, Map.of()),
        new BenchResult("tanh-1x1024", "pytorch", 1, 3.0, null, 7, Map.of()),
        new BenchResult("gemm-1024", "seq4j", 2, 25000.0, 80.0, 7, Map.of()),
        new BenchResult("gemm-1024", "pytorch", 2, 20000.0, 100.0, 7, Map.of()));
  }

  @Test
  void jsonLineHasContractFieldsInOrder() {
    String line =
        ResultPrinter.jsonLine(
            new BenchResult("gemm-1024", "seq4j", 1, 26708.1234, 80.41234, 7, Map.of()));
    assertEquals(
        "{\"op\":\"gemm-1024\",\"impl\":\"seq4j\",\"threads\":1,\"us_per_op\":26708.123,"
            + "\"gflops\":80.412,\"rounds\":7}",
        line);
  }

  @Test
  void jsonLineOmitsUnknownGflops() throws Exception {
    JsonNode node =
        JSON.readTree(
            ResultPrinter.jsonLine(
                new BenchResult("tanh-1x1024", "pytorch", 2, 3.5, null, 5, Map.of())));
    assertEquals("tanh-1x1024", node.get("op").asText());
    assertEquals("pytorch", node.get("impl").asText());
    assertEquals(2, node.get("threads").asInt());
    assertEquals(3.5, node.get("us_per_op").asDouble());
    assertFalse(node.has("gflops"));
  }

  @Test
  void ratiosGoOnThePrimaryRowsOnly() throws Exception {
    List<BenchResult> results = ResultPrinter.withRatios(sample());
    JsonNode tanh = JSON.readTree(ResultPrinter.jsonLine(results.get(0)));
    assertEquals(1.5, tanh.get("time_ratio_vs_pytorch").asDouble());
    assertFalse(tanh.has("gflops_ratio_vs_pytorch"));
    JsonNode gemm = JSON.readTree(ResultPrinter.jsonLine(results.get(2)));
    assertEquals(1.25, gemm.get("time_ratio_vs_pytorch").asDouble());
    assertEquals(0.8, gemm.get("gflops_ratio_vs_pytorch").asDouble());
    assertFalse(JSON.readTree(ResultPrinter.jsonLine(results.get(1))).has("time_ratio_vs_pytorch"));
  }

  @Test
  void tableHasOneAlignedRowPerOpAndThreadsWithRatios() {
    List<String> lines = ResultPrinter.table(sample(), List.of("footer"));
    assertEquals(
        List.of(
            "op           threads  seq4j us/op  pytorch us/op  seq4j GFLOPS  pytorch GFLOPS"
                + "  seq4j/pytorch",
            "tanh-1x1024        1         4.50           3.00             -               -"
                + "    1.50 (time)",
            "gemm-1024          2        25000          20000          80.0           100.0"
                + "  0.80 (GFLOPS)",
            "footer"),
        lines);
  }

  @Test
  void tableWithoutPeerHasNoRatioColumn() {
    List<BenchResult> seq4jOnly = new ArrayList<>();
    for (BenchResult r : sample()) {
      if (r.impl().equals("seq4j")) {
        seq4jOnly.add(r);
      }
    }
    List<String> lines = ResultPrinter.table(seq4jOnly, List.of());
    assertEquals("op           threads  seq4j us/op  seq4j GFLOPS", lines.get(0));
    assertTrue(lines.get(1).startsWith("tanh-1x1024        1         4.50"));
  }

  @Test
  void microsecondsKeepUsefulPrecision() {
    assertEquals("3.62", ResultPrinter.formatMicros(3.6213));
    assertEquals("152.4", ResultPrinter.formatMicros(152.44));
    assertEquals("26708", ResultPrinter.formatMicros(26708.4));
  }
}
