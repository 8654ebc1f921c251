package org.seq4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MuLawTest {

  @Test
  void endpointsAndTheMiddle() {
    assertEquals(0, MuLaw.encode(-1f));
    assertEquals(255, MuLaw.encode(1f));
    assertEquals(0, MuLaw.encode(-3f)); // clipped
    assertEquals(255, MuLaw.encode(3f));
    assertEquals(MuLaw.MIDDLE, MuLaw.encode(0f));
    assertEquals(128, MuLaw.MIDDLE);
    assertEquals(-1f, MuLaw.decode(0), 1e-7f);
    assertEquals(1f, MuLaw.decode(255), 1e-7f);
    // Class 128 stands for (256^(1/255) - 1) / 255, the smallest positive level.
    assertEquals((Math.pow(256, 1.0 / 255) - 1) / 255, MuLaw.decode(128), 1e-9);
    assertEquals(-MuLaw.decode(128), MuLaw.decode(127), 1e-9);
  }

  @Test
  void matchesTheReferenceFormulaOnKnownValues() {
    // tensorflow-wavenet: floor((sign(x) ln(1 + 255|x|) / ln 256 + 1) / 2 * 255 + 0.5)
    assertEquals(239, MuLaw.encode(0.5f)); // F = 0.8757 -> 239.15
    assertEquals(16, MuLaw.encode(-0.5f));
    assertEquals(157, MuLaw.encode(0.01f)); // F = 0.2285 -> 157.13
  }

  @Test
  void encodeIsMonotoneAndDecodeIsStrictlyIncreasing() {
    int previous = 0;
    for (int i = -20000; i <= 20000; i++) {
      int c = MuLaw.encode(i / 20000f);
      assertTrue(c >= previous, "at " + i);
      previous = c;
    }
    for (int c = 1; c < MuLaw.CLASSES; c++) {
      assertTrue(MuLaw.decode(c) > MuLaw.decode(c - 1), "at class " + c);
    }
  }

  @Test
  void everyClassRoundTripsExactly() {
    for (int c = 0; c < MuLaw.CLASSES; c++) {
      assertEquals(c, MuLaw.encode(MuLaw.decode(c)), "class " + c);
    }
  }

  @Test
  void roundTripErrorIsWithinHalfAStep() {
    double slope = Math.log1p(255) / 255 * Math.pow(256, 1.0 / 255); // see MuLaw's Javadoc
    double worst = 0;
    for (int i = -100000; i <= 100000; i++) {
      float x = i / 100000f;
      double error = Math.abs(x - MuLaw.decode(MuLaw.encode(x)));
      double bound = slope * (Math.abs(x) + 1.0 / 255) + 1e-6;
      assertTrue(error <= bound, "x = " + x + ": error " + error + " > " + bound);
      worst = Math.max(worst, error / (Math.abs(x) + 1.0 / 255));
    }
    assertTrue(worst > 0.015, "the bound is not loose: " + worst);
  }

  @Test
  void arraysAndBadInput() {
    int[] classes = MuLaw.encode(new float[] {-1f, 0f, 1f});
    assertEquals(3, classes.length);
    assertEquals(255, classes[2]);
    assertEquals(3, MuLaw.decode(classes).length);
    assertThrows(IllegalArgumentException.class, () -> MuLaw.decode(256));
    assertThrows(IllegalArgumentException.class, () -> MuLaw.decode(-1));
    assertThrows(IllegalArgumentException.class, () -> MuLaw.encode(Float.NaN));
  }
}
