package org.seq4j.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A repository root for peer tests, registered with {@code @RegisterExtension}: each test gets a
 * fresh temporary one, at which {@code seq4j.home} points, with an empty {@code bench/peers/}.
 * {@link #install} puts a small Python script there together with a venv interpreter that runs
 * {@code /usr/bin/python3}.
 */
final class FakePeerHome implements BeforeEachCallback, AfterEachCallback {
  /** The peer script that {@link #install} writes. */
  static final String SCRIPT = "fake.py";

  /**
   * A peer that answers {@code hello} with torch 9.9 and every measurement with {@code threads *
   * 1.5} microseconds per call.
   */
  static final String ECHO_PEER =
      "import json, sys\n"
          + "for line in sys.stdin:\n"
          + "    req = json.loads(line)\n"
          + "    if req.get('cmd') == 'hello':\n"
          + "        print(json.dumps({'torch': '9.9', 'python': '3.x'}), flush=True)\n"
          + "    elif req.get('cmd') == 'quit':\n"
          + "        break\n"
          + "    else:\n"
          + "        print(json.dumps({'us_per_op': req['threads'] * 1.5}), flush=True)\n";

  /** A peer that answers {@code hello}, then dies with code 1 on its first measurement. */
  static final String DIES_AFTER_HELLO =
      "import json, sys\n"
          + "sys.stdin.readline()\n"
          + "print(json.dumps({'torch': '9.9'}), flush=True)\n"
          + "sys.stdin.readline()\n"
          + "sys.stderr.write('RuntimeError: out of memory\\n')\n"
          + "sys.exit(1)\n";

  /** A peer that dies with code 3 before answering anything. */
  static final String DIES_AT_START =
      "import sys\nsys.stderr.write('ModuleNotFoundError: no torch\\n')\nsys.exit(3)\n";

  private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");

  private Path root;
  private String savedHome;

  /** Creates the repository root and points {@code seq4j.home} at it. */
  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    root = Files.createTempDirectory("seq4j-peer-home");
    Files.createDirectories(root.resolve("bench/peers"));
    savedHome = System.getProperty(PythonPeer.HOME_PROPERTY);
    System.setProperty(PythonPeer.HOME_PROPERTY, root.toString());
  }

  /**
   * Installs {@code source} as {@link #SCRIPT} and the venv interpreter; skips the test where
   * {@code /usr/bin/python3} is missing or {@code SEQ4J_PYTHON} names another interpreter.
   */
  void install(String source) throws IOException {
    assumeTrue(
        System.getenv(PythonPeer.PYTHON_ENV) == null && Files.isExecutable(SYSTEM_PYTHON),
        "needs /usr/bin/python3");
    Path bin = Files.createDirectories(root.resolve("bench/peers/.venv/bin"));
    Path python = bin.resolve("python");
    Files.writeString(python, "#!/bin/sh\nexec " + SYSTEM_PYTHON + " \"$@\"\n");
    assumeTrue(python.toFile().setExecutable(true), "cannot make a script executable");
    Files.writeString(root.resolve("bench/peers").resolve(SCRIPT), source);
  }

  /** Restores {@code seq4j.home} and deletes the repository root. */
  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (savedHome == null) {
      System.clearProperty(PythonPeer.HOME_PROPERTY);
    } else {
      System.setProperty(PythonPeer.HOME_PROPERTY, savedHome);
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      Files.delete(p);
    }
  }
}
