package org.seq4j.engine;

/** Thrown when libtorch cannot be loaded; the message says what is missing. */
public class EngineUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
