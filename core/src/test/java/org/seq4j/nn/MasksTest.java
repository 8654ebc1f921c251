package org.seq4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seq4j.engine.Seq4jEngine;

class MasksTest {

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
  void lengthMaskIsTrueBeforeEachLength() {
    for (DataType type : new DataType[] {DataType.INT32, DataType.INT64}) {
      NDArray lengths = manager.create(new int[] {3, 0, 5, 1}).toType(type, false);
      NDArray mask = Masks.lengthMask(lengths, 4);
      assertEquals(DataType.BOOLEAN, mask.getDataType());
      assertEquals(new Shape(4, 4), mask.getShape());
      assertArrayEquals(
          new boolean[] {
            true, true, true, false,
            false, false, false, false,
            true, true, true, true,
            true, false, false, false
          },
          mask.toBooleanArray());
    }
  }

  @Test
  void lengthMaskWithZeroSteps() {
    NDArray mask = Masks.lengthMask(manager.create(new long[] {2, 1}), 0);
    assertEquals(new Shape(2, 0), mask.getShape());
  }

  @Test
  void lengthMaskRejectsInvalidArguments() {
    NDArray lengths = manager.create(new long[] {2, 1});
    assertThrows(IllegalArgumentException.class, () -> Masks.lengthMask(lengths, -1));
    assertThrows(
        IllegalArgumentException.class, () -> Masks.lengthMask(lengths, 1L + Integer.MAX_VALUE));
    NDArray matrix = manager.create(new long[] {2, 1}, new Shape(1, 2));
    assertThrows(IllegalArgumentException.class, () -> Masks.lengthMask(matrix, 3));
  }

  @Test
  void lengthMaskLeavesOnlyItsResultInTheManager() {
    NDArray lengths = manager.create(new long[] {2, 1});
    int before = manager.getManagedArrays().size();
    Masks.lengthMask(lengths, 3);
    assertEquals(before + 1, manager.getManagedArrays().size());
  }

  @Test
  void notEqualMasksOutTheValue() {
    NDArray targets = manager.create(new int[] {4, 0, 2, 0}, new Shape(2, 2));
    NDArray mask = Masks.notEqual(targets, 0);
    assertEquals(new Shape(2, 2), mask.getShape());
    assertArrayEquals(new boolean[] {true, false, true, false}, mask.toBooleanArray());
  }
}
