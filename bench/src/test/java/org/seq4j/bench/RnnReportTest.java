package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RnnReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double NAN = Double.NaN;

  private static RoundSeries series(String impl, double heap, double... us) {
    double[] heapBytes = new double[us.length];
    java.util.Arrays.fill(heapBytes, heap);
    return new RoundSeries(impl, us, heapBytes);
  }

  private static List<RnnResult> sample() {
    RnnWorkload fixed = RnnWorkload.standard("lstm", RnnLayout.FIXED, 1);
    RnnWorkload varlen = RnnWorkload.standard("lstm", RnnLayout.VARLEN, 1);
    List<RnnResult> results = new ArrayList<>();
    results.add(RnnResult.of(RnnBenchMode.TRAIN, fixed, 1, series("seq4j", 7000, 100_000)));
    results.add(RnnResult.of(RnnBenchMode.TRAIN, fixed, 1, series("djl-raw", 5000, 95_000)));
    results.add(RnnResult.of(RnnBenchMode.TRAIN, fixed, 1, series("pytorch", NAN, 80_000)));
    results.add(RnnResult.of(RnnBenchMode.TRAIN, varlen, 1, series("seq4j", 9000, 100_000)));
    results.add(RnnResult.of(RnnBenchMode.TRAIN, varlen, 1, series("pytorch", NAN, 200_000)));
    return RnnReport.withRatios(results);
  }

  @Test
  void jsonLineHasContractFieldsInOrder() {
    RnnWorkload fixed = RnnWorkload.standard("gru", RnnLayout.BIDIR, 1);
    RnnResult r =
        RnnResult.of(RnnBenchMode.INFER, fixed, 2, series("seq4j", 4321.4, 64_000, 32_000, 50_000));
    assertEquals(
        "{\"op\":\"rnn-infer\",\"cell\":\"gru\",\"layout\":\"bidir\",\"impl\":\"seq4j\","
            + "\"threads\":2,\"tokens_per_s\":64000.0,\"us_per_step\":50000.0,"
            + "\"tokens_per_step\":3200,\"heap_bytes_per_step\":4321,\"rounds\":3,"
            + "\"min_tokens_per_s\":50000.0,\"max_tokens_per_s\":100000.0}",
        RnnReport.jsonLine(r));
  }

  @Test
  void peerRowsHaveNoHeapFigure() throws Exception {
    JsonNode pytorch = JSON.readTree(RnnReport.jsonLine(sample().get(2)));
    assertEquals("pytorch", pytorch.get("impl").asText());
    assertEquals(40_000.0, pytorch.get("tokens_per_s").asDouble());
    assertFalse(pytorch.has("heap_bytes_per_step"));
    assertFalse(pytorch.has("tokens_per_s_ratio_vs_seq4j"));
  }

  @Test
  void ratiosComparePeersOfTheSameCase() throws Exception {
    List<RnnResult> results = sample();
    JsonNode fixed = JSON.readTree(RnnReport.jsonLine(results.get(0)));
    assertEquals(0.95, fixed.get("tokens_per_s_ratio_vs_djl-raw").asDouble());
    assertEquals(0.8, fixed.get("tokens_per_s_ratio_vs_pytorch").asDouble());
    JsonNode varlen = JSON.readTree(RnnReport.jsonLine(results.get(3)));
    assertEquals(2.0, varlen.get("tokens_per_s_ratio_vs_pytorch").asDouble());
    assertFalse(varlen.has("tokens_per_s_ratio_vs_djl-raw"));
    // Same token count for every implementation of a case.
    assertEquals(results.get(3).tokensPerStep(), results.get(4).tokensPerStep());
    assertNull(results.get(4).heapBytesPerStep());
  }

  @Test
  void tableHasOneRowPerCaseWithRatiosAndHeap() {
    List<String> lines = RnnReport.table(sample(), List.of("footer"));
    assertEquals(
        List.of(
            "op         cell  layout  threads  seq4j tok/s  djl-raw tok/s  pytorch tok/s"
                + "  seq4j/djl-raw  seq4j/pytorch  seq4j heap B/step  djl-raw heap B/step",
            "rnn-train  lstm   fixed        1        32000          33684          40000"
                + "           0.95           0.80               7000                 5000",
            "rnn-train  lstm  varlen        1        24520              -          12260"
                + "              -           2.00               9000                    -",
            "footer"),
        lines);
  }
}
