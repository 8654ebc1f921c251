package org.seq4j.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SunspotSeriesTest {
  @TempDir Path dir;

  /** A well-formed file of {@code years} rows from 1700, the values 0, 1.5, 3, ... */
  private static String csv(int years) {
    StringBuilder s = new StringBuilder(SunspotSeries.HEADER).append('\n');
    for (int i = 0; i < years; i++) {
      s.append(1700 + i).append(',').append(i % 2 == 0 ? Integer.toString(i * 3 / 2) : i * 1.5);
      s.append('\n');
    }
    return s.toString();
  }

  private static String parseError(String text) {
    return assertThrows(IOException.class, () -> SunspotSeries.parse(text, "f.csv")).getMessage();
  }

  @Test
  void aWellFormedFileIsRead() throws IOException {
    SunspotSeries s = SunspotSeries.parse(csv(60), "f.csv");
    assertEquals(1700, s.firstYear());
    assertEquals(1759, s.lastYear());
    assertEquals(60, s.size());
    assertEquals(0.0, s.value(1700));
    assertEquals(1.5, s.value(1701));
    assertEquals(88.5, s.value(1759));
    // CRLF line ends and a missing final line end are accepted.
    String crlf = csv(60).replace("\n", "\r\n").stripTrailing();
    assertEquals(88.5, SunspotSeries.parse(crlf, "f.csv").value(1759));
  }

  @Test
  void everyBrokenRuleIsNamedWithItsLine() {
    assertTrue(
        parseError("YEAR,SUNACTIVITY\n1700,5\n").contains("line 1 must be the header"),
        "bad header");
    assertTrue(parseError("").contains("found an empty file"));
    assertTrue(parseError(csv(49)).contains("49 rows of data; a sunspot series needs at least 50"));
    String m = parseError(csv(60).replace("1705,7.5", "1705,seven"));
    assertTrue(m.contains("f.csv: line 7: the value 'seven' for 1705 is not a finite"), m);
    m = parseError(csv(60).replace("1705,7.5", "1705,-7.5"));
    assertTrue(m.contains("line 7: the value '-7.5'"), m);
    m = parseError(csv(60).replace("1705,7.5", "1705,NaN"));
    assertTrue(m.contains("line 7: the value 'NaN'"), m);
    m = parseError(csv(60).replace("1705,7.5", "17x5,7.5"));
    assertTrue(m.contains("line 7: the year '17x5' is not an integer"), m);
    m = parseError(csv(60).replace("1705,7.5\n", ""));
    assertTrue(m.contains("line 7: year 1706 follows 1704; the series must hold consecutive"), m);
    m = parseError(csv(60).replace("1705,7.5", "1705,7.5,1"));
    assertTrue(m.contains("line 7 must be YEAR,SUNACTIVITY (2 fields)"), m);
    m = parseError(csv(60).replace("1705,7.5\n", "1705,7.5\n\n"));
    assertTrue(m.contains("line 8 must be YEAR,SUNACTIVITY (2 fields), found ''"), m);
  }

  @Test
  void aMissingFileTellsHowToFetchIt() {
    IOException e =
        assertThrows(IOException.class, () -> SunspotSeries.read(dir.resolve("sunspots.csv")));
    assertTrue(e.getMessage().contains("run `seq4j data fetch sunspots` first"), e.getMessage());
  }

  @Test
  void fetchChecksAndCopiesTheCsvOfThePackage() throws Exception {
    assumeTrue(hasDpkgDeb());
    Path root = dir.resolve("pkg-root");
    Path inPackage = root.resolve(SunspotSeries.CSV_IN_PACKAGE);
    Files.createDirectories(inPackage.getParent());
    Files.writeString(inPackage, csv(60));
    Path debs = dir.resolve("debs");
    dpkgBuild(root, SunspotSeries.PACKAGE, debs);
    Path data = dir.resolve("data");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      FetchSunspotsCommand command = new FetchSunspotsCommand(fakeDebian(debs));
      assertEquals(0, new CommandLine(command).execute("--dir", data.toString()));
    } finally {
      System.setOut(old);
    }
    Path csv = data.resolve("sunspots/sunspots.csv");
    assertEquals(csv(60), Files.readString(csv));
    assertEquals(60, SunspotSeries.read(csv).size());
    List<String> sources = Files.readAllLines(data.resolve("sunspots/sources.txt"));
    assertEquals(
        "source\tDebian package python3-statsmodels 1.0-test,"
            + " /usr/lib/python3/dist-packages/statsmodels/datasets/sunspots/sunspots.csv"
            + " (NGDC, public domain)",
        sources.get(1));
    assertTrue(sources.get(2).contains("yearly, not monthly"), sources.get(2));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("60 years, 1700-1759"), text);

    // A broken file in the package is refused, and nothing is written.
    Files.writeString(inPackage, csv(60).replace("1705,7.5", "1705,x"));
    dpkgBuild(root, SunspotSeries.PACKAGE, debs);
    Path other = dir.resolve("other");
    int code =
        new CommandLine(new FetchSunspotsCommand(fakeDebian(debs)))
            .setErr(new java.io.PrintWriter(new ByteArrayOutputStream()))
            .execute("--dir", other.toString());
    assertTrue(code != 0);
    assertTrue(!Files.exists(other.resolve("sunspots/sunspots.csv")));
  }

  private static boolean hasDpkgDeb() {
    try {
      return new ProcessBuilder("dpkg-deb", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException ex) {
      return false;
    }
  }

  /** A stand-in for apt-get that copies the prebuilt package into the working directory. */
  private DebianPackage fakeDebian(Path debs) throws IOException {
    Path aptGet = dir.resolve("apt-get");
    Files.writeString(aptGet, "#!/bin/sh\ncp \"" + debs + "\"/\"$2\"_*.deb .\n");
    Files.setPosixFilePermissions(aptGet, PosixFilePermissions.fromString("rwx------"));
    return new DebianPackage(aptGet.toString(), "dpkg-deb");
  }

  private static void dpkgBuild(Path root, String name, Path debs) throws Exception {
    Files.createDirectories(root.resolve("DEBIAN"));
    Files.writeString(
        root.resolve("DEBIAN/control"),
        "Package: "
            + name
            + "\nVersion: 1.0-test\nArchitecture: all\nMaintainer: seq4j <test@example.org>\n"
            + "Description: test package\n");
    Files.createDirectories(debs);
    Process p =
        new ProcessBuilder(
                "dpkg-deb",
                "--root-owner-group",
                "--build",
                root.toString(),
                debs.resolve(name + "_1.0-test_all.deb").toString())
            .redirectErrorStream(true)
            .start();
    byte[] log = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), new String(log, StandardCharsets.UTF_8));
  }
}
