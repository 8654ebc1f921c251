package org.seq4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A block whose own parameters carry PyTorch's names, in PyTorch's order, each drawn from {@code
 * U(-bound, bound)} as PyTorch's {@code reset_parameters()} does: declaring them, drawing them,
 * listing them as a state dict and loading PyTorch state dicts into them. Shared by {@link
 * CausalConv1d}, the recurrent cells and {@link RecurrentLayer}.
 */
public abstract class NamedParameterBlock extends ForwardBlock {
  /** Parameters by PyTorch name, in PyTorch's order (which is also the order of initialization). */
  private final Map<String, Parameter> named = new LinkedHashMap<>();

  private final String owner;
  private final String notInitialized;

  /**
   * @param owner what the block is called in messages ("convolution", "cell", "layer")
   * @param initializeCall how to initialize it, for the message when it is not initialized
   */
  NamedParameterBlock(String owner, String initializeCall) {
    this.owner = owner;
    this.notInitialized = "the " + owner + " is not initialized: call " + initializeCall;
  }

  /**
   * {@code value}, checked.
   *
   * @throws IllegalArgumentException naming {@code name} when {@code value} is not positive
   */
  static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  /** Declares the parameter {@code name}, drawn from {@code U(-bound, bound)}, after the others. */
  final void add(String name, Parameter.Type type, Shape shape, float bound) {
    named.put(name, addParameter(StateDicts.uniform(name, type, shape, bound)));
  }

  /** The parameter called {@code name}, or null when there is none by that name. */
  final Parameter parameter(String name) {
    return named.get(name);
  }

  /** The parameters in PyTorch's order. */
  final Collection<Parameter> namedParameters() {
    return Collections.unmodifiableCollection(named.values());
  }

  /**
   * The live array of the parameter {@code name}.
   *
   * @throws IllegalStateException when the block is not initialized
   */
  final NDArray initializedArray(String name) {
    return StateDicts.array(named.get(name), notInitialized);
  }

  /**
   * Checks that every parameter is initialized.
   *
   * @throws IllegalStateException when one is not
   */
  final void checkInitialized() {
    for (Parameter p : named.values()) {
      StateDicts.array(p, notInitialized);
    }
  }

  /**
   * Draws fresh float32 parameters with PyTorch's scheme from libtorch's generator, in PyTorch's
   * parameter order, so that after the same seed ({@code Engine.setRandomSeed} here, {@code
   * torch.manual_seed} there) they equal those of the matching new {@code torch.nn} module.
   */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32);
  }

  /** Like {@link #initialize(NDManager)}, in {@code type} (FLOAT32, or FLOAT64 for checks). */
  public void initialize(NDManager manager, DataType type) {
    StateDicts.initialize(manager, type, named.values());
  }

  /**
   * The parameters by PyTorch name, in PyTorch's order; the live arrays.
   *
   * @throws IllegalStateException when the block is not initialized
   */
  public Map<String, NDArray> stateDict() {
    return StateDicts.arrays(named, notInitialized);
  }

  /**
   * Copies {@code weights} (the state dict of the matching {@code torch.nn} module) into the
   * parameters, converting to their data type.
   *
   * @throws IllegalArgumentException naming a missing, unexpected or misshapen tensor
   */
  public void loadStateDict(Map<String, NDArray> weights) {
    StateDicts.copy(weights, stateDict(), owner);
  }
}
