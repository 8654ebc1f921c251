package org.seq4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures {@code System.out} and {@code System.err} (UTF-8) for each test of a class that runs the
 * command line, registered as a {@code @RegisterExtension} field, and restores them after the test.
 */
public final class ConsoleCapture implements BeforeEachCallback, AfterEachCallback {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @Override
  public void beforeEach(ExtensionContext context) {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  /** What the test has printed to {@code System.out} since it began or {@link #resetOut}. */
  public String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** What the test has printed to {@code System.err} since it began or {@link #resetErr}. */
  public String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Forgets what has been printed to {@code System.out} so far. */
  public void resetOut() {
    out.reset();
  }

  /** Forgets what has been printed to {@code System.err} so far. */
  public void resetErr() {
    err.reset();
  }
}
