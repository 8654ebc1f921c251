package org.seq4j.cli.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches a Debian package's files without installing it: {@code apt-get download NAME} (no root
 * needed) into a work directory, then {@code dpkg-deb -x} to unpack it there.
 */
public final class DebianPackage {
  private final String aptGet;
  private final String dpkgDeb;

  /** Uses {@code apt-get} and {@code dpkg-deb} from the {@code PATH}. */
  public DebianPackage() {
    this("apt-get", "dpkg-deb");
  }

  /** Uses the given programs (for tests, or tools outside the {@code PATH}). */
  public DebianPackage(String aptGet, String dpkgDeb) {
    this.aptGet = aptGet;
    this.dpkgDeb = dpkgDeb;
  }

  /**
   * What {@link #fetch} unpacked.
   *
   * @param name the package name
   * @param version the package version, as {@code dpkg-deb} reports it
   * @param root the directory the package's files were unpacked into (holds {@code usr/...})
   */
  public record Unpacked(String name, String version, Path root) {}

  /**
   * Downloads package {@code name} into {@code workDir} and unpacks it into {@code workDir/root}.
   *
   * @throws IOException with a one-line reason when a tool is missing or fails
   */
  public Unpacked fetch(String name, Path workDir) throws IOException {
    Files.createDirectories(workDir);
    run(
        workDir,
        "(run `apt-get update` as root once, or check the network)",
        aptGet,
        "download",
        name);
    Path deb = findDeb(workDir, name);
    Path root = workDir.resolve("root");
    run(workDir, "", dpkgDeb, "-x", deb.toString(), root.toString());
    String version = run(workDir, "", dpkgDeb, "-f", deb.toString(), "Version").strip();
    return new Unpacked(name, version, root);
  }

  private static Path findDeb(Path dir, String name) throws IOException {
    List<Path> debs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, name + "_*.deb")) {
      files.forEach(debs::add);
    }
    if (debs.size() != 1) {
      throw new IOException(
          "apt-get download " + name + " left " + debs.size() + " .deb files in " + dir);
    }
    return debs.get(0);
  }

  /** Runs a program in {@code dir}; returns its standard output. */
  private static String run(Path dir, String hint, String... command) throws IOException {
    String what =
        command[0] + " " + command[1] + (command[1].equals("download") ? " " + command[2] : "");
    Path log = Files.createTempFile(dir, "cmd", ".log");
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectError(log.toFile()).start();
    } catch (IOException ex) {
      throw new IOException(
          command[0]
              + " is not available ("
              + ex.getMessage()
              + "); fetching data needs a Debian or Ubuntu system with apt-get and dpkg-deb",
          ex);
    }
    try {
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      int code = process.waitFor();
      String errors = Files.readString(log, StandardCharsets.UTF_8);
      if (code != 0) {
        throw new IOException(
            what
                + " failed (exit code "
                + code
                + "): "
                + lastMessage(errors + "\n" + new String(out, StandardCharsets.UTF_8))
                + (hint.isEmpty() ? "" : " " + hint));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException ex) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + " was interrupted");
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The most telling line of a tool's output: its last error ("E: ...") line, else its last. */
  static String lastMessage(String output) {
    String last = "no output";
    String error = null;
    for (String line : output.split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      last = l;
      if (l.startsWith("E:") || l.startsWith("dpkg-deb: error")) {
        error = l;
      }
    }
    return error != null ? error : last;
  }
}
