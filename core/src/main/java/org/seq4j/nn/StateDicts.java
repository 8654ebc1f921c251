package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.UniformInitializer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter plumbing of every block with PyTorch names: declaring PyTorch-initialized
 * parameters, drawing them, listing them as a state dict and copying PyTorch state dicts into them.
 */
public final class StateDicts {
  private StateDicts() {}

  /**
   * A parameter drawn from {@code U(-bound, bound)}, the scheme of PyTorch's {@code
   * reset_parameters()} for linear, convolutional and recurrent layers; not yet added to a block.
   */
  public static Parameter uniform(String name, Parameter.Type type, Shape shape, float bound) {
    return Parameter.builder()
        .setName(name)
        .setType(type)
        .optShape(shape)
        .optInitializer(new UniformInitializer(bound))
        .build();
  }

  /**
   * Draws {@code parameters} afresh in {@code type}, in the given order (null entries skipped),
   * closing any earlier arrays, and marks them as requiring gradients.
   */
  public static void initialize(NDManager manager, DataType type, Iterable<Parameter> parameters) {
    for (Parameter p : parameters) {
      if (p == null) {
        continue;
      }
      if (p.isInitialized()) {
        p.close();
      }
      p.initialize(manager, type);
      p.getArray().setRequiresGradient(true);
    }
  }

  /**
   * The live array of {@code p}.
   *
   * @param notInitialized the message of the exception thrown when {@code p} is not initialized
   * @throws IllegalStateException when {@code p} is not initialized
   */
  public static NDArray array(Parameter p, String notInitialized) {
    if (!p.isInitialized()) {
      throw new IllegalStateException(notInitialized);
    }
    return p.getArray();
  }

  /**
   * The live arrays of {@code named}, in its order, as an unmodifiable state dict.
   *
   * @param notInitialized the message of the exception thrown when a parameter is not initialized
   * @throws IllegalStateException when a parameter is not initialized
   */
  public static Map<String, NDArray> arrays(Map<String, Parameter> named, String notInitialized) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : named.entrySet()) {
      out.put(e.getKey(), array(e.getValue(), notInitialized));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Adds the entries of {@code part} to {@code out}, each name prefixed with {@code prefix}. */
  public static void putAll(Map<String, NDArray> out, String prefix, Map<String, NDArray> part) {
    part.forEach((name, array) -> out.put(prefix + name, array));
  }

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
