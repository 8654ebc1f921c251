package org.seq4j.bench;

/**
 * The Python peer is not installed (no virtual environment, or no peer script), so a benchmark can
 * only report seq4j's side.
 */
public class PeerUnavailableException extends PeerException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is a one-line notice for the user. */
  public PeerUnavailableException(String message) {
    super(message);
  }
}
