package org.seq4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;

class GradClipTest {

  private NDManager manager;

  @BeforeEach
  void newManager() {
    manager = Seq4jEngine.get().newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void scalesToTheMaximumNorm() {
    NDArray a = manager.create(new float[] {3f, 0f});
    NDArray b = manager.create(new float[] {0f, 4f, 0f});
    double norm = GradClip.byGlobalNorm(List.of(a, b), 1.0);
    assertEquals(5.0, norm, 1e-6);
    float coef = (1f / (5f + 1e-6f));
    assertArrayEquals(new float[] {3f * coef, 0f}, a.toFloatArray());
    assertArrayEquals(new float[] {0f, 4f * coef, 0f}, b.toFloatArray());
  }

  @Test
  void leavesSmallGradientsUntouched() {
    NDArray a = manager.create(new float[] {0.3f, -0.4f});
    double norm = GradClip.byGlobalNorm(List.of(a), 1.0);
    assertEquals(0.5, norm, 1e-6);
    assertArrayEquals(new float[] {0.3f, -0.4f}, a.toFloatArray());
  }

  @Test
  void nonFiniteNormIsReturnedAndGradientsAreLeftAsIs() {
    NDArray a = manager.create(new float[] {Float.NaN, 1f});
    NDArray b = manager.create(new float[] {100f});
    assertTrue(Double.isNaN(GradClip.byGlobalNorm(List.of(a, b), 1.0)));
    assertArrayEquals(new float[] {100f}, b.toFloatArray());
    NDArray c = manager.create(new float[] {Float.POSITIVE_INFINITY, 1f});
    assertEquals(Double.POSITIVE_INFINITY, GradClip.byGlobalNorm(List.of(c, b), 1.0));
    assertArrayEquals(new float[] {100f}, b.toFloatArray());
  }

  @Test
  void emptyCollectionHasZeroNorm() {
    assertEquals(0.0, GradClip.byGlobalNorm(List.of(), 1.0));
    assertEquals(0.0, GradClip.globalNorm(List.of()));
  }

  @Test
  void globalNormDoesNotScale() {
    NDArray a = manager.create(new float[] {3f, 0f});
    NDArray b = manager.create(new float[] {0f, 4f, 0f});
    int before = manager.getManagedArrays().size();
    assertEquals(5.0, GradClip.globalNorm(List.of(a, b)), 1e-6);
    assertArrayEquals(new float[] {3f, 0f}, a.toFloatArray());
    assertArrayEquals(new float[] {0f, 4f, 0f}, b.toFloatArray());
    assertEquals(before, manager.getManagedArrays().size());
  }

  @Test
  void doesNotGrowTheManager() {
    NDArray a = manager.randomNormal(new Shape(4, 3)).mul(10f);
    int before = manager.getManagedArrays().size();
    GradClip.byGlobalNorm(List.of(a), 1.0);
    assertEquals(before, manager.getManagedArrays().size());
  }

  @Test
  void rejectsInvalidMaxNorm() {
    NDArray a = manager.create(new float[] {1f});
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> GradClip.byGlobalNorm(List.of(a), bad));
    }
  }
}
