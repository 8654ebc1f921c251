package org.seq4j.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A long-running Python process that measures the PyTorch side of a benchmark on request, so that
 * its rounds can be interleaved with seq4j's.
 *
 * <p>The peer is a script in {@code bench/peers/} run with the Python of the virtual environment
 * that {@code bench/peers/setup.sh} creates ({@code bench/peers/.venv}), or with the interpreter
 * named by the environment variable {@code SEQ4J_PYTHON}. The repository root is the system
 * property {@code seq4j.home}, else the working directory or the nearest parent of it that has a
 * {@code bench/peers} folder.
 *
 * <p>Protocol: one JSON object per line each way. The client writes a request on the peer's stdin
 * and reads exactly one answer from its stdout; an answer with an {@code error} field reports a
 * request the peer could not serve. {@code {"cmd":"hello"}} answers with the peer's versions and
 * {@code {"cmd":"quit"}} ends it. Anything the peer writes to stderr is kept (the last lines) to
 * explain failures.
 */
public final class PythonPeer implements AutoCloseable {
  /** The environment variable that names the Python interpreter to use instead of the venv's. */
  public static final String PYTHON_ENV = "SEQ4J_PYTHON";

  /** The system property that names the repository root. */
  public static final String HOME_PROPERTY = "seq4j.home";

  /** The notice shown when the peer's Python environment is missing. */
  public static final String UNAVAILABLE_NOTICE =
      "PyTorch peer unavailable: run bench/peers/setup.sh";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final int STDERR_LINES_KEPT = 20;
  private static final String EOF = "\u0000EOF";

  private final String script;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Thread stderrPump;
  private final JsonNode hello;

  private PythonPeer(String script, Process process) {
    this.script = script;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    startPump(process.getInputStream(), script + "-stdout", stdoutLines::add, true);
    this.stderrPump =
        startPump(process.getErrorStream(), script + "-stderr", this::keepStderr, false);
    try {
      this.hello = request(Map.of("cmd", "hello"), STARTUP_TIMEOUT);
    } catch (PeerException e) {
      throw new PeerException(
          "PyTorch peer failed to start: " + e.getMessage() + " (run bench/peers/setup.sh)", e);
    }
  }

  /**
   * Starts {@code bench/peers/<script>} and waits for it to answer a {@code hello}.
   *
   * @throws PeerUnavailableException if the Python environment or the script is missing
   * @throws PeerException if the peer does not start or answer properly
   */
  public static PythonPeer start(String script) {
    Path root = repoRoot();
    Path scriptPath = root.resolve("bench").resolve("peers").resolve(script);
    Path python = python(root);
    if (!Files.isExecutable(python)) {
      String env = System.getenv(PYTHON_ENV);
      throw new PeerUnavailableException(
          env == null || env.isBlank()
              ? UNAVAILABLE_NOTICE
              : "PyTorch peer unavailable: " + PYTHON_ENV + "=" + env + " is not executable");
    }
    if (!Files.isRegularFile(scriptPath)) {
      throw new PeerUnavailableException(
          "PyTorch peer unavailable: "
              + scriptPath
              + " not found (set -D"
              + HOME_PROPERTY
              + " to the seq4j checkout)");
    }
    Process process;
    try {
      ProcessBuilder pb = new ProcessBuilder(python.toString(), "-u", scriptPath.toString());
      pb.directory(root.toFile());
      process = pb.start();
    } catch (IOException e) {
      throw new PeerException("cannot start PyTorch peer " + python + ": " + e.getMessage(), e);
    }
    try {
      return new PythonPeer(script, process);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** The repository root: {@code -Dseq4j.home}, else the working directory or a parent of it. */
  static Path repoRoot() {
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath().normalize();
    }
    Path cwd = Path.of("").toAbsolutePath().normalize();
    for (Path p = cwd; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("bench").resolve("peers"))) {
        return p;
      }
    }
    return cwd;
  }

  /** The interpreter to run: {@code $SEQ4J_PYTHON}, else the venv's python under {@code root}. */
  static Path python(Path root) {
    String env = System.getenv(PYTHON_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return root.resolve("bench").resolve("peers").resolve(".venv").resolve("bin").resolve("python");
  }

  /** The peer's answer to {@code hello}: its torch and Python versions, among others. */
  public JsonNode hello() {
    return hello;
  }

  /** A short description of the peer's software, e.g. {@code torch 2.7.1 (Python 3.11.7)}. */
  public String describe() {
    return "torch "
        + hello.path("torch").asText("?")
        + " (Python "
        + hello.path("python").asText("?")
        + ")";
  }

  /**
   * Sends one request and returns the peer's answer.
   *
   * @param timeout how long to wait for the answer
   * @throws PeerException if the peer died, timed out, answered with an error or with bad JSON
   */
  public JsonNode request(Map<String, ?> request, Duration timeout) {
    if (!process.isAlive()) {
      throw died("before the request");
    }
    try {
      stdin.write(requestLine(request));
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      throw died("while receiving a request (" + e.getMessage() + ")");
    }
    String line;
    try {
      line = stdoutLines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerException("interrupted while waiting for the " + script + " peer", e);
    }
    if (line == null) {
      throw new PeerException(
          "PyTorch peer " + script + " did not answer within " + timeout.toSeconds() + " s");
    }
    if (line.equals(EOF)) {
      throw died("without answering");
    }
    return parseResponse(line);
  }

  /**
   * Asks for one timed round of {@code op} and returns its microseconds per call.
   *
   * @throws PeerException as {@link #request}, or if the answer has no positive {@code us_per_op}
   */
  public double measureRound(String op, int threads, double minTimeS) {
    return measureRound(Map.of("op", op, "threads", threads, "min_time_s", minTimeS));
  }

  /**
   * Sends a measurement request that describes its case in its own fields (at least {@code op},
   * {@code threads} and {@code min_time_s}) and returns the answer's microseconds per call.
   *
   * @throws PeerException as {@link #request}, or if the answer has no positive {@code us_per_op}
   */
  public double measureRound(Map<String, ?> request) {
    Object minTime = request.get("min_time_s");
    double minTimeS = minTime instanceof Number n ? n.doubleValue() : 0;
    Duration timeout = Duration.ofSeconds(Math.max(120, (long) (minTimeS * 100)));
    return usPerOp(request(request, timeout));
  }

  /** A contender that measures {@code op} at {@code threads} threads in this peer. */
  public Contender contender(String impl, String op, int threads, double minTimeS) {
    return contender(impl, Map.of("op", op, "threads", threads, "min_time_s", minTimeS));
  }

  /**
   * A contender that sends {@code request} (see {@link #measureRound(Map)}) for each of its rounds.
   */
  public Contender contender(String impl, Map<String, ?> request) {
    return new Contender() {
      @Override
      public String impl() {
        return impl;
      }

      @Override
      public void warmUp() {
        // The peer runs an untimed round itself before its first answer for (op, threads).
      }

      @Override
      public double measureRound() {
        return PythonPeer.this.measureRound(request);
      }
    };
  }

  /** A request as the single line sent to the peer. */
  static String requestLine(Map<String, ?> request) {
    try {
      return JSON.writeValueAsString(request);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write request as JSON: " + request, e);
    }
  }

  /**
   * Parses one answer line.
   *
   * @throws PeerException if it is not a JSON object, or if it reports an error
   */
  static JsonNode parseResponse(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new PeerException("PyTorch peer sent invalid JSON: " + abbreviate(line));
    }
    if (node == null || !node.isObject()) {
      throw new PeerException(
          "PyTorch peer sent something other than a JSON object: " + abbreviate(line));
    }
    if (node.has("error")) {
      throw new PeerException("PyTorch peer error: " + node.get("error").asText());
    }
    return node;
  }

  /**
   * The {@code us_per_op} of a measurement answer.
   *
   * @throws PeerException if it is missing, not a number, or not positive
   */
  static double usPerOp(JsonNode answer) {
    JsonNode us = answer.get("us_per_op");
    if (us == null || !us.isNumber() || !(us.asDouble() > 0) || Double.isInfinite(us.asDouble())) {
      throw new PeerException("PyTorch peer answer lacks a positive us_per_op: " + answer);
    }
    return us.asDouble();
  }

  /** Asks the peer to quit, then makes sure it has. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        stdin.write(requestLine(Map.of("cmd", "quit")));
        stdin.write('\n');
        stdin.flush();
      }
      stdin.close();
    } catch (IOException e) {
      // The peer is gone already; nothing to tell it.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private PeerException died(String when) {
    Optional<Integer> code = Optional.empty();
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        code = Optional.of(process.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      stderrPump.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String last = lastStderrLine();
    return new PeerException(
        "PyTorch peer "
            + script
            + " exited"
            + code.map(c -> " with code " + c).orElse("")
            + " "
            + when
            + (last.isEmpty() ? "" : ": " + last));
  }

  private synchronized void keepStderr(String line) {
    if (line.equals(EOF) || line.isBlank()) {
      return;
    }
    if (stderrTail.size() == STDERR_LINES_KEPT) {
      stderrTail.removeFirst();
    }
    stderrTail.addLast(line.strip());
  }

  private synchronized String lastStderrLine() {
    return stderrTail.isEmpty() ? "" : stderrTail.getLast();
  }

  private static Thread startPump(
      InputStream in, String name, Consumer<String> sink, boolean markEof) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                // The stream closed with the process; end of output.
              }
              if (markEof) {
                sink.accept(EOF);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
