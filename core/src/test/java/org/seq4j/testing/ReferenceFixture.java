package org.seq4j.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.io.SafeTensors;

/**
 * A reference fixture ({@code fixtures/<file>}, a safetensors file with its metadata) for a parity
 * test class, registered as a static {@code @RegisterExtension} field: it loads the tensors and the
 * metadata before the class's tests and frees them after, and gives each test a fresh manager of
 * its own ({@link #manager()}), closed after the test.
 */
public final class ReferenceFixture
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final String file;
  private Engine engine;
  private NDManager fixtureManager;
  private Map<String, NDArray> tensors;
  private Map<String, String> metadata;
  private NDManager manager;

  /** The fixture {@code fixtures/<file>} on the test class path. */
  public ReferenceFixture(String file) {
    this.file = file;
  }

  /**
   * The comma-separated list under metadata {@code key} of {@code fixtures/<file>}, for a
   * {@code @MethodSource} (which runs before the fixture is loaded).
   */
  public static Stream<String> list(String file, String key) throws IOException {
    return Arrays.stream(SafeTensors.readMetadata(Parity.fixture(file)).get(key).split(","));
  }

  /** The fixture cases of {@code fixtures/<file>}: its metadata {@code cases}, split at commas. */
  public static Stream<String> cases(String file) throws IOException {
    return list(file, "cases");
  }

  /** The fixture's file name, under {@code fixtures/}. */
  public String file() {
    return file;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    engine = Seq4jEngine.get();
    fixtureManager = engine.newBaseManager();
    Path path = Parity.fixture(file);
    tensors = SafeTensors.load(path, fixtureManager);
    metadata = SafeTensors.readMetadata(path);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    fixtureManager.close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    manager = engine.newBaseManager();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    manager.close();
  }

  /** The engine the fixture was loaded with. */
  public Engine engine() {
    return engine;
  }

  /** The current test's manager, closed after the test. */
  public NDManager manager() {
    return manager;
  }

  /** All the fixture's tensors by name. */
  public Map<String, NDArray> tensors() {
    return tensors;
  }

  /** The fixture's metadata. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The fixture tensor {@code key}, or null if there is none. */
  public NDArray get(String key) {
    return tensors.get(key);
  }

  /** Whether the fixture holds a tensor {@code key}. */
  public boolean has(String key) {
    return tensors.containsKey(key);
  }

  /** The metadata entry {@code key}, or null if there is none. */
  public String meta(String key) {
    return metadata.get(key);
  }

  /** The metadata entry {@code key} as an integer. */
  public int number(String key) {
    return Integer.parseInt(metadata.get(key));
  }

  /** The fixture tensors named {@code prefix + name}, keyed by {@code name}. */
  public Map<String, NDArray> withPrefix(String prefix) {
    return Tensors.withPrefix(tensors, prefix);
  }

  /** A float64 comparison of a result with its reference, returning the worst relative error. */
  @FunctionalInterface
  public interface Check {
    /** Asserts {@code actual} matches {@code expected}; returns the worst relative error. */
    double check(String what, NDArray actual, NDArray expected);
  }

  /**
   * Compares with PyTorch's result {@code key} of case {@code name}: in float64 ({@code f64}) with
   * its float64 result {@code <name>.f64.<key>} by {@code float64}; in float32 with its float32
   * result {@code <name>.<key>} ({@link Parity#assertFloat32Parity}).
   *
   * @return the worst relative error
   */
  public double compare(
      String what, NDArray actual, String name, String key, boolean f64, Check float64) {
    NDArray torch64 = tensors.get(name + ".f64." + key);
    if (f64) {
      return float64.check(what, actual, torch64);
    }
    return Parity.assertFloat32Parity(what, actual, tensors.get(name + "." + key), torch64);
  }
}
