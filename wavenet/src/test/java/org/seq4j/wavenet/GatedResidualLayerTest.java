package org.seq4j.wavenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;

/** The unpadded variant of {@link GatedResidualLayer} and its argument checks. */
class GatedResidualLayerTest {
  private Engine engine;
  private NDManager manager;

  @BeforeEach
  void newManager() {
    engine = Seq4jEngine.get();
    engine.setRandomSeed(4);
    manager = engine.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private NDArray normal(long... shape) {
    return manager.randomNormal(0, 1, new Shape(shape), DataType.FLOAT64);
  }

  @Test
  void unpaddedLayerIsThePaddedOneWithoutItsFirstSteps() {
    GatedResidualLayer layer = new GatedResidualLayer(4, 5, 6, 3, 2, 3, 2);
    layer.initialize(manager, DataType.FLOAT64);
    NDArray h = normal(2, 4, 11);
    NDArray global = normal(2, 3);
    NDArray local = normal(2, 2, 11);
    GatedResidualLayer.Output padded = layer.forward(h, global, local);
    GatedResidualLayer.Output valid = layer.forwardValid(h, global, local);
    assertEquals(4, layer.leftContext());
    assertEquals(new Shape(2, 4, 7), valid.residual().getShape());
    assertEquals(new Shape(2, 6, 7), valid.skip().getShape());
    NDIndex tail = new NDIndex(":, :, 4:");
    assertArrayEquals(
        padded.residual().get(tail).toDoubleArray(), valid.residual().toDoubleArray(), 1e-12);
    assertArrayEquals(padded.skip().get(tail).toDoubleArray(), valid.skip().toDoubleArray(), 1e-12);
  }

  @Test
  void badArgumentsAreNamed() {
    GatedResidualLayer layer = new GatedResidualLayer(4, 5, 6, 2, 2, 3, 2);
    layer.initialize(manager, DataType.FLOAT64);
    NDArray h = normal(2, 4, 8);
    NDArray global = normal(2, 3);
    NDArray local = normal(2, 2, 8);
    expect("h", () -> layer.forward(normal(2, 5, 8), global, local));
    expect("h", () -> layer.forward(h.toType(DataType.FLOAT32, false), global, local));
    expect("h", () -> layer.forwardValid(normal(2, 4, 2), global, normal(2, 2, 2)));
    expect("global", () -> layer.forward(h, null, local));
    expect("global", () -> layer.forward(h, normal(2, 4), local));
    expect("local", () -> layer.forward(h, global, null));
    expect("local", () -> layer.forward(h, global, normal(2, 2, 7)));
    GatedResidualLayer plain = new GatedResidualLayer(4, 5, 6, 2, 1, 0, 0);
    plain.initialize(manager, DataType.FLOAT64);
    expect("global", () -> plain.forward(h, global, null));
    expect("local", () -> plain.forward(h, null, local));
  }

  private static void expect(String name, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().startsWith(name), name + ": " + e.getMessage());
  }
}
