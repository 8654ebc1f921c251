package org.seq4j.bench;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Describes the machine a benchmark ran on, for report footers. */
public final class MachineInfo {
  private MachineInfo() {}

  /** The number of cores the JVM may use. */
  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * A one-line description, e.g. {@code 2 cores (Intel(R) Xeon(R) ...), Linux 6.1 amd64, Java
   * 17.0.15}.
   */
  public static String describe() {
    String cpu = cpuModel();
    return cores()
        + " cores"
        + (cpu.isEmpty() ? "" : " (" + cpu + ")")
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + " "
        + System.getProperty("os.arch")
        + ", Java "
        + System.getProperty("java.version");
  }

  /**
   * The footer line that names the machine and the software on each side, e.g. {@code machine: 2
   * cores (...), Linux 6.1 amd64, Java 17.0.15; seq4j: libtorch 2.7.1 (DJL 0.36.0); pytorch: torch
   * 2.7.1 (Python 3.11.7)}.
   *
   * @param peerDescription the PyTorch peer's {@link PythonPeer#describe()}, or {@code null} to
   *     leave the peer out
   */
  public static String footerLine(Engine seq4jEngine, String peerDescription) {
    return "machine: "
        + describe()
        + "; seq4j: libtorch "
        + seq4jEngine.getVersion()
        + " (DJL "
        + Engine.getDjlVersion()
        + ")"
        + (peerDescription == null ? "" : "; pytorch: " + peerDescription);
  }

  /** The CPU model name from {@code /proc/cpuinfo}, or the empty string where unknown. */
  static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return "";
    }
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip().replaceAll("\\s+", " "))
          .findFirst()
          .orElse("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
