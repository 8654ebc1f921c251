package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PythonPeerTest {
  @RegisterExtension final FakePeerHome home = new FakePeerHome();

  @Test
  void requestIsOneJsonLine() {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("op", "gemm-1024");
    request.put("threads", 1);
    request.put("min_time_s", 0.2);
    assertEquals(
        "{\"op\":\"gemm-1024\",\"threads\":1,\"min_time_s\":0.2}", PythonPeer.requestLine(request));
  }

  @Test
  void parsesMeasurementAnswer() {
    JsonNode answer =
        PythonPeer.parseResponse(
            "{\"op\": \"tanh-1x1024\", \"threads\": 1, \"us_per_op\": 3.75, \"calls\": 65535}");
    assertEquals(3.75, PythonPeer.usPerOp(answer));
  }

  @Test
  void badAnswersGiveClearErrors() {
    PeerException invalid =
        assertThrows(PeerException.class, () -> PythonPeer.parseResponse("Traceback (most"));
    assertTrue(invalid.getMessage().startsWith("PyTorch peer sent invalid JSON"));
    PeerException error =
        assertThrows(
            PeerException.class,
            () -> PythonPeer.parseResponse("{\"error\": \"ValueError: unknown op: 'x'\"}"));
    assertEquals("PyTorch peer error: ValueError: unknown op: 'x'", error.getMessage());
    assertThrows(PeerException.class, () -> PythonPeer.parseResponse("[1, 2]"));
    assertThrows(
        PeerException.class, () -> PythonPeer.usPerOp(PythonPeer.parseResponse("{\"op\": 1}")));
    assertThrows(
        PeerException.class,
        () -> PythonPeer.usPerOp(PythonPeer.parseResponse("{\"us_per_op\": -1}")));
  }

  @Test
  void missingVenvIsReportedAsUnavailable() {
    assumeTrue(System.getenv(PythonPeer.PYTHON_ENV) == null);
    PeerUnavailableException e =
        assertThrows(PeerUnavailableException.class, () -> PythonPeer.start("ops.py"));
    assertEquals("PyTorch peer unavailable: run bench/peers/setup.sh", e.getMessage());
  }

  @Test
  void talksToAPeerProcess() throws IOException {
    home.install(FakePeerHome.ECHO_PEER);
    try (PythonPeer peer = PythonPeer.start(FakePeerHome.SCRIPT)) {
      assertEquals("torch 9.9 (Python 3.x)", peer.describe());
      assertEquals(3.0, peer.measureRound("tanh-1x1024", 2, 0.01));
      assertEquals(4.5, peer.contender("pytorch", "x", 3, 0.01).measureRound());
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("op", "rnn-train");
      request.put("threads", 4);
      request.put("min_time_s", 0.01);
      request.put("lengths", java.util.List.of(3, 2));
      assertEquals(6.0, peer.contender("pytorch", request).measureRound());
    }
  }

  @Test
  void peerThatDiesAtStartIsExplained() throws IOException {
    home.install(FakePeerHome.DIES_AT_START);
    PeerException e =
        assertThrows(PeerException.class, () -> PythonPeer.start(FakePeerHome.SCRIPT));
    assertTrue(e.getMessage().startsWith("PyTorch peer failed to start"), e.getMessage());
    assertTrue(e.getMessage().contains("code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("ModuleNotFoundError: no torch"), e.getMessage());
  }

  @Test
  void peerThatDiesMidRunIsExplained() throws IOException {
    home.install(FakePeerHome.DIES_AFTER_HELLO);
    try (PythonPeer peer = PythonPeer.start(FakePeerHome.SCRIPT)) {
      PeerException e =
          assertThrows(PeerException.class, () -> peer.measureRound("gemm-1024", 1, 0.01));
      assertEquals(
          "PyTorch peer fake.py exited with code 1 without answering: RuntimeError: out of memory",
          e.getMessage());
    }
  }
}
