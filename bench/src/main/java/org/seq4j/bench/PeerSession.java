package org.seq4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch peer of one benchmark run, if it has one. A benchmark runs without it when the user
 * asks so ({@code --no-peer}), when its Python environment is missing, and from the point where it
 * fails; each failure is reported on the error stream and makes the run's exit code 1, while a
 * missing environment is only noted.
 */
final class PeerSession implements AutoCloseable {
  /** The implementation name of the peer's rows. */
  static final String IMPL = "pytorch";

  private final PrintWriter err;
  private PythonPeer peer;
  private String description;
  private boolean measured;
  private boolean failed;

  private PeerSession(PrintWriter err) {
    this.err = err;
  }

  /**
   * Starts {@code bench/peers/<script>} unless {@code wanted} is false; a peer that cannot start is
   * reported on {@code err} and left out.
   */
  static PeerSession start(String script, boolean wanted, PrintWriter err) {
    PeerSession session = new PeerSession(err);
    if (wanted) {
      try {
        session.peer = PythonPeer.start(script);
        session.description = session.peer.describe();
      } catch (PeerUnavailableException e) {
        session.report(e.getMessage());
      } catch (PeerException e) {
        session.report(e.getMessage());
        session.failed = true;
      }
    }
    return session;
  }

  /**
   * Runs {@link InterleavedRounds} over {@code local} and, while there is a peer, a peer contender
   * that sends {@code peerRequest} (see {@link PythonPeer#measureRound(Map)}). If the peer fails,
   * it is reported and closed, and the rounds are run again over {@code local} alone.
   *
   * @return every contender's samples: those of {@code local} in order, then the peer's if it took
   *     part
   */
  List<RoundSeries> runRounds(int rounds, List<Contender> local, Map<String, ?> peerRequest) {
    return runRounds(rounds, local, peerRequest, IMPL);
  }

  /** Like {@link #runRounds(int, List, Map)}, naming the peer's series {@code peerImpl}. */
  List<RoundSeries> runRounds(
      int rounds, List<Contender> local, Map<String, ?> peerRequest, String peerImpl) {
    if (peer == null) {
      return InterleavedRounds.run(rounds, local);
    }
    List<Contender> contenders = new ArrayList<>(local);
    contenders.add(peer.contender(peerImpl, peerRequest));
    try {
      List<RoundSeries> series = InterleavedRounds.run(rounds, contenders);
      measured = true;
      return series;
    } catch (PeerException e) {
      drop(e.getMessage());
      return InterleavedRounds.run(rounds, local);
    }
  }

  /** Whether the peer is running. */
  boolean active() {
    return peer != null;
  }

  /**
   * Sends an untimed request (a cross-check, say) and returns the answer; {@code null} without a
   * peer, or if it fails, which is then reported and the peer dropped as in {@link #runRounds}.
   */
  JsonNode ask(Map<String, ?> request, Duration timeout) {
    if (peer == null) {
      return null;
    }
    try {
      return peer.request(request, timeout);
    } catch (PeerException e) {
      drop(e.getMessage());
      return null;
    }
  }

  /**
   * Reports {@code message}, stops the peer and leaves it out of the rest of the run, whose exit
   * code becomes 1: for a peer that failed a cross-check, whose timings would mean nothing.
   */
  void drop(String message) {
    report(message + "; continuing without the PyTorch peer");
    if (peer != null) {
      peer.close();
      peer = null;
    }
    failed = true;
  }

  /**
   * The peer's software (see {@link PythonPeer#describe()}) if it measured at least one case, else
   * {@code null}.
   */
  String measuredDescription() {
    return measured ? description : null;
  }

  /**
   * The run's exit code as far as the peer goes: 1 if it failed to start or failed later, else 0.
   */
  int exitCode() {
    return failed ? 1 : 0;
  }

  /** Stops the peer, if it is still running. */
  @Override
  public void close() {
    if (peer != null) {
      peer.close();
      peer = null;
    }
  }

  private void report(String message) {
    err.println(message);
    err.flush();
  }
}
