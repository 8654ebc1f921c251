package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Copying PyTorch state dicts into live parameters, for every block with PyTorch names. */
public final class StateDicts {
  private StateDicts() {}

  /**
   * Copies {@code weights} into {@code own} (same names, same shapes), converting to each
   * parameter's data type. Everything is checked before anything is copied.
   *
   * @param owner what the parameters belong to, for messages ("cell", "layer")
   * @throws IllegalArgumentException naming a missing, unexpected or misshapen tensor
   */
  public static void copy(Map<String, NDArray> weights, Map<String, NDArray> own, String owner) {
    for (String name : weights.keySet()) {
      if (!own.containsKey(name)) {
        throw new IllegalArgumentException("unexpected tensor '" + name + "' for this " + owner);
      }
    }
    for (Map.Entry<String, NDArray> e : own.entrySet()) {
      NDArray source = weights.get(e.getKey());
      if (source == null) {
        throw new IllegalArgumentException("missing tensor '" + e.getKey() + "'");
      }
      if (!source.getShape().equals(e.getValue().getShape())) {
        throw new IllegalArgumentException(
            "tensor '"
                + e.getKey()
                + "' has shape "
                + source.getShape()
                + ", expected "
                + e.getValue().getShape());
      }
    }
    for (Map.Entry<String, NDArray> e : own.entrySet()) {
      NDArray target = e.getValue();
      NDArray source = weights.get(e.getKey());
      if (source.getDataType() == target.getDataType()) {
        target.set(source.toByteBuffer());
      } else {
        try (NDArray converted = source.toType(target.getDataType(), false)) {
          target.set(converted.toByteBuffer());
        }
      }
    }
  }
}
