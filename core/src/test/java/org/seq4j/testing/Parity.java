package org.seq4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locates reference fixtures and compares seq4j's results with them. */
public final class Parity {
  /** The largest relative error allowed against a PyTorch reference. */
  public static final double TOLERANCE = 1e-5;

  /**
   * Values below this magnitude are compared absolutely: relative error is {@code |a - b| /
   * max(|b|, FLOOR)}, so the bound is 1e-8 in absolute terms near zero.
   */
  public static final double FLOOR = 1e-3;

  private Parity() {}

  /** The path of {@code fixtures/<name>} on the test class path. */
  public static Path fixture(String name) {
    try {
      var url = Parity.class.getResource("/fixtures/" + name);
      if (url == null) {
        throw new IllegalArgumentException("no fixture " + name + "; see tools/make_fixtures.py");
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** The relative error of one value against its reference. */
  public static double relativeError(double actual, double expected) {
    double err = Math.abs(actual - expected) / Math.max(Math.abs(expected), FLOOR);
    return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
  }

  /** The worst element-wise relative error of {@code actual} against {@code expected}. */
  public static double maxRelativeError(NDArray actual, NDArray expected) {
    float[] a = actual.toFloatArray();
    float[] b = expected.toFloatArray();
    assertEquals(b.length, a.length, "element count");
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, relativeError(a[i], b[i]));
    }
    return worst;
  }

  /** Asserts {@code actual} is within {@link #TOLERANCE} of {@code expected}, and reports it. */
  public static void assertParity(String what, NDArray actual, NDArray expected) {
    if (expected.size() != 1 || actual.size() != 1) { // a scalar may be stored as shape (1)
      assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
    }
    double worst = maxRelativeError(actual, expected);
    System.out.printf("parity %-44s worst relative error %.3e%n", what, worst);
    assertTrue(worst <= TOLERANCE, what + ": worst relative error " + worst);
  }
}
