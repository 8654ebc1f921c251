package org.seq4j.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place where seq4j sets DJL up: offline mode, libtorch's intra-op and inter-op thread
 * counts, and a clear error when the native library cannot be loaded.
 *
 * <p>Thread counts come from, in order: {@link #configure(int, int)} called before the first use,
 * the system properties {@code seq4j.threads} and {@code seq4j.interop.threads}, the environment
 * variables {@code SEQ4J_THREADS} and {@code SEQ4J_INTEROP_THREADS}, and finally the measured
 * defaults: intra-op threads = available cores, one inter-op thread (see BENCHMARKS.md).
 */
public final class Seq4jEngine {

  /** Name of the DJL engine seq4j runs on. */
  public static final String ENGINE_NAME = "PyTorch";

  private static volatile Engine engine;
  private static int requestedThreads = -1;
  private static int requestedInteropThreads = -1;

  private Seq4jEngine() {}

  /**
   * Sets the thread counts to use when the engine starts; {@code <= 0} keeps the default. If the
   * engine already runs, the intra-op count is changed immediately.
   */
  public static synchronized void configure(int threads, int interopThreads) {
    requestedThreads = threads;
    requestedInteropThreads = interopThreads;
    if (engine != null && threads > 0) {
      JniUtils.setNumThreads(threads);
    }
  }

  /** Returns the started engine, starting it on first use. */
  public static Engine get() {
    Engine e = engine;
    if (e == null) {
      synchronized (Seq4jEngine.class) {
        if (engine == null) {
          engine = start();
        }
        e = engine;
      }
    }
    return e;
  }

  /** The intra-op thread count libtorch uses now. */
  public static int threads() {
    get();
    return JniUtils.getNumThreads();
  }

  /** The inter-op thread count libtorch uses now. */
  public static int interopThreads() {
    get();
    return JniUtils.getNumInteropThreads();
  }

  /** The intra-op thread count that will be (or was) requested at start. */
  static int resolveThreads() {
    return resolve(requestedThreads, "seq4j.threads", "SEQ4J_THREADS", defaultThreads());
  }

  static int resolveInteropThreads() {
    return resolve(requestedInteropThreads, "seq4j.interop.threads", "SEQ4J_INTEROP_THREADS", 1);
  }

  /** Measured default: one intra-op thread per available core. */
  static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  private static int resolve(int requested, String property, String env, int fallback) {
    if (requested > 0) {
      return requested;
    }
    String value = System.getProperty(property);
    String source = "system property " + property;
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
      source = "environment variable " + env;
    }
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(
          source + " must be a positive integer, got '" + value + "'", ex);
    }
  }

  private static Engine start() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    int threads = resolveThreads();
    int interop = resolveInteropThreads();
    // DJL's PyTorch engine reads these two properties when it starts.
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(interop));
    Engine e;
    try {
      e = Engine.getEngine(ENGINE_NAME);
    } catch (RuntimeException | LinkageError ex) {
      throw new EngineUnavailableException(
          "Could not load libtorch through DJL's PyTorch engine: "
              + rootMessage(ex)
              + ". seq4j needs ai.djl.pytorch:pytorch-native-cpu:2.7.1 (classifier linux-x86_64)"
              + " and pytorch-jni:2.7.1-0.36.0 on the class path, and -Dai.djl.offline=true;"
              + " on another platform, remove the native jar and let DJL pick its build.",
          ex);
    }
    JniUtils.setNumThreads(threads);
    return e;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
