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

  /**
   * How much less accurate than PyTorch's own float32 result a float32 result may be where the two
   * round differently; see {@link #assertFloat32Parity}.
   */
  public static final double ACCURACY_FACTOR = 2;

  /**
   * The error against the exact (float64) result that float32 rounding alone can reach on the
   * fixtures: sums whose terms cancel lose digits, and PyTorch's own float32 results are up to
   * 3.2e-4 (relative, with the floor {@link #FLOOR}) from its float64 results on the WaveNet
   * fixtures. A wrong equation or kernel misses by orders of magnitude more.
   */
  public static final double FLOAT32_ROUNDING = 1e-4;

  /**
   * Asserts a float32 result equals PyTorch's float32 result within {@link #TOLERANCE}, or, where
   * the two sum in different orders and round differently, that it is about as accurate as
   * PyTorch's: its worst error against PyTorch's float64 result is at most {@link #ACCURACY_FACTOR}
   * times PyTorch's own float32 worst error, or {@link #FLOAT32_ROUNDING}. Reports the figures.
   *
   * @return the worst relative error against PyTorch's float32 result
   */
  public static double assertFloat32Parity(
      String what, NDArray actual, NDArray torch32, NDArray torch64) {
    if (torch32.size() != 1 || actual.size() != 1) {
      assertEquals(torch32.getShape(), actual.getShape(), what + ": shape");
    }
    double worst = maxRelativeError(actual, torch32);
    if (worst <= TOLERANCE) {
      System.out.printf("parity %-44s worst relative error %.3e%n", what, worst);
      return worst;
    }
    double ours = maxRelativeError(actual, torch64);
    double theirs = maxRelativeError(torch32, torch64);
    System.out.printf(
        "parity %-44s worst relative error %.3e (against float64: %.3e, PyTorch's float32 %.3e)%n",
        what, worst, ours, theirs);
    assertTrue(
        ours <= Math.max(FLOAT32_ROUNDING, ACCURACY_FACTOR * theirs),
        what
            + ": worst relative error "
            + worst
            + " against PyTorch's float32 result, and "
            + ours
            + " against its float64 result, where PyTorch's float32 result has "
            + theirs);
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
