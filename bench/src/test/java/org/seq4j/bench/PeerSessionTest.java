package org.seq4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PeerSessionTest {
  private static final Map<String, Object> REQUEST =
      Map.of("op", "tanh-1x1024", "threads", 2, "min_time_s", 0.01);

  @RegisterExtension final FakePeerHome home = new FakePeerHome();
  private final StringWriter err = new StringWriter();

  /** The contenders in this JVM: one that takes 7 microseconds per call every round. */
  private static List<Contender> local() {
    return List.of(new ScriptedContender("seq4j", new ArrayList<>(), 7));
  }

  private PeerSession start(boolean wanted) {
    return PeerSession.start(FakePeerHome.SCRIPT, wanted, new PrintWriter(err, true));
  }

  @Test
  void withoutPeerOnlyLocalContendersRun() throws IOException {
    home.install(FakePeerHome.ECHO_PEER);
    try (PeerSession session = start(false)) {
      List<RoundSeries> series = session.runRounds(2, local(), REQUEST);
      assertEquals(1, series.size());
      assertEquals(7.0, series.get(0).medianUsPerOp());
      assertNull(session.measuredDescription());
      assertEquals(0, session.exitCode());
    }
    assertEquals("", err.toString());
  }

  @Test
  void missingEnvironmentIsNotedWithoutFailing() {
    assumeTrue(System.getenv(PythonPeer.PYTHON_ENV) == null);
    try (PeerSession session = start(true)) {
      assertEquals(1, session.runRounds(1, local(), REQUEST).size());
      assertEquals(0, session.exitCode());
    }
    assertEquals(PythonPeer.UNAVAILABLE_NOTICE, err.toString().strip());
  }

  @Test
  void peerThatFailsToStartIsReportedAndFailsTheRun() throws IOException {
    home.install(FakePeerHome.DIES_AT_START);
    try (PeerSession session = start(true)) {
      assertEquals(1, session.runRounds(1, local(), REQUEST).size());
      assertNull(session.measuredDescription());
      assertEquals(1, session.exitCode());
    }
    assertTrue(err.toString().startsWith("PyTorch peer failed to start"), err.toString());
  }

  @Test
  void peerJoinsTheRoundsAfterTheLocalContenders() throws IOException {
    home.install(FakePeerHome.ECHO_PEER);
    try (PeerSession session = start(true)) {
      List<RoundSeries> series = session.runRounds(3, local(), REQUEST);
      assertEquals(
          List.of("seq4j", PeerSession.IMPL), series.stream().map(RoundSeries::impl).toList());
      assertEquals(3.0, series.get(1).medianUsPerOp());
      assertEquals("torch 9.9 (Python 3.x)", session.measuredDescription());
      assertEquals(0, session.exitCode());
    }
    assertEquals("", err.toString());
  }

  @Test
  void peerThatFailsMidRunIsDroppedAndTheRoundsRerun() throws IOException {
    home.install(FakePeerHome.DIES_AFTER_HELLO);
    try (PeerSession session = start(true)) {
      List<RoundSeries> series = session.runRounds(2, local(), REQUEST);
      assertEquals(List.of("seq4j"), series.stream().map(RoundSeries::impl).toList());
      assertEquals(1, session.runRounds(2, local(), REQUEST).size());
      assertNull(session.measuredDescription());
      assertEquals(1, session.exitCode());
    }
    assertEquals(
        "PyTorch peer fake.py exited with code 1 without answering: RuntimeError: out of memory;"
            + " continuing without the PyTorch peer",
        err.toString().strip());
  }
}
