package org.seq4j.bench;

/** A Python peer failed: it could not start, died, timed out or sent an unusable answer. */
public class PeerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is meant to be shown to the user as is. */
  public PeerException(String message) {
    super(message);
  }

  /** Creates an exception whose message is meant to be shown to the user as is. */
  public PeerException(String message, Throwable cause) {
    super(message, cause);
  }
}
