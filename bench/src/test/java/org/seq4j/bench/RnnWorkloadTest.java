package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RnnWorkloadTest {
  @Test
  void lengthsAreSeededAndWithinBounds() {
    int[] a = RnnWorkload.uniformLengths(1, 64, 25, 50);
    assertArrayEquals(a, RnnWorkload.uniformLengths(1, 64, 25, 50));
    assertFalse(Arrays.equals(a, RnnWorkload.uniformLengths(2, 64, 25, 50)));
    assertEquals(64, a.length);
    assertTrue(Arrays.stream(a).allMatch(n -> n >= 25 && n <= 50), Arrays.toString(a));
    // Uniform over 26 values: a batch of 64 is far from constant.
    assertTrue(Arrays.stream(a).distinct().count() > 10);
  }

  @Test
  void lengthsCoverBothBounds() {
    int[] many = RnnWorkload.uniformLengths(7, 10_000, 25, 50);
    assertEquals(25, Arrays.stream(many).min().orElseThrow());
    assertEquals(50, Arrays.stream(many).max().orElseThrow());
  }

  @Test
  void tokensAreBatchTimesStepsOrTheSumOfLengths() {
    assertEquals(64 * 50, RnnWorkload.standard("lstm", RnnLayout.FIXED, 1).tokensPerStep());
    assertEquals(64 * 50, RnnWorkload.standard("gru", RnnLayout.BIDIR, 1).tokensPerStep());
    RnnWorkload varlen = RnnWorkload.standard("lstm", RnnLayout.VARLEN, 1);
    int[] lengths = RnnWorkload.uniformLengths(1, 64, 25, 50);
    assertArrayEquals(lengths, varlen.lengths());
    assertEquals(Arrays.stream(lengths).sum(), varlen.tokensPerStep());
    assertTrue(varlen.tokensPerStep() < 64 * 50);
  }

  @Test
  void standardWorkloadShape() {
    RnnWorkload bidir = RnnWorkload.standard("gru", RnnLayout.BIDIR, 3);
    assertEquals(2, bidir.layers());
    assertEquals(256, bidir.hiddenSize());
    assertEquals(256, bidir.inputSize());
    assertEquals(50, bidir.steps());
    assertEquals(64, bidir.batch());
    assertEquals(2, bidir.directions());
    assertEquals(512, bidir.outputSize());
    assertNull(bidir.lengths());
    assertEquals("gru, 2 layers, 256 hidden, input 256, T=50, B=64, float32", bidir.describe());
  }

  @Test
  void peerRequestCarriesTheWholeCase() {
    RnnWorkload varlen = RnnWorkload.standard("lstm", RnnLayout.VARLEN, 5);
    Map<String, Object> request = varlen.peerRequest(RnnBenchMode.TRAIN, 2, 0.3);
    assertEquals(
        List.of(
            "op",
            "cell",
            "threads",
            "min_time_s",
            "batch",
            "steps",
            "input_size",
            "hidden_size",
            "layers",
            "bidirectional",
            "lengths",
            "seed"),
        List.copyOf(request.keySet()));
    assertEquals("rnn-train", request.get("op"));
    assertEquals(2, request.get("threads"));
    assertEquals(false, request.get("bidirectional"));
    assertEquals(Arrays.stream(varlen.lengths()).boxed().toList(), request.get("lengths"));
    Map<String, Object> fixed =
        RnnWorkload.standard("gru", RnnLayout.BIDIR, 5).peerRequest(RnnBenchMode.INFER, 1, 0.2);
    assertEquals("rnn-infer", fixed.get("op"));
    assertEquals(true, fixed.get("bidirectional"));
    assertTrue(fixed.containsKey("lengths"));
    assertNull(fixed.get("lengths"));
  }

  @Test
  void rejectsInconsistentWorkloads() {
    assertThrows(
        IllegalArgumentException.class, () -> RnnWorkload.standard("rnn", RnnLayout.FIXED, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RnnWorkload("lstm", RnnLayout.VARLEN, 2, 5, 4, 4, 1, null, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RnnWorkload("lstm", RnnLayout.FIXED, 2, 5, 4, 4, 1, new int[] {5, 5}, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RnnWorkload("lstm", RnnLayout.VARLEN, 2, 5, 4, 4, 1, new int[] {5, 6}, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RnnWorkload("lstm", RnnLayout.VARLEN, 2, 5, 4, 4, 1, new int[] {5}, 1));
  }

  @Test
  void layoutsAndModesParseByCliName() {
    assertEquals(List.of("fixed", "varlen", "bidir"), RnnLayout.names());
    assertEquals(RnnLayout.VARLEN, RnnLayout.of("varlen"));
    assertEquals(List.of("train", "infer"), RnnBenchMode.names());
    assertEquals("rnn-infer", RnnBenchMode.of("infer").op());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RnnLayout.of("packed"));
    assertEquals("unknown layout 'packed'; known: fixed, varlen, bidir", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RnnBenchMode.of("eval"));
  }
}
