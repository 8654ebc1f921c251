package org.seq4j.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.nmt.CorpusSplits;
import org.seq4j.text.SentencePair;
import org.seq4j.text.Versification;
import picocli.CommandLine;

/**
 * The corpus fetchers end to end on small packages built here with {@code dpkg-deb --build} and
 * served by a stand-in for {@code apt-get download}. Skipped where {@code dpkg-deb} is missing.
 */
class FetchCorporaTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream oldOut;
  @TempDir Path dir;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
  }

  @Test
  void bibleVersesAreAlignedCleanedAndSplitByBook() throws Exception {
    assumeTrue(hasDpkgDeb());
    Path debs = dir.resolve("debs");
    buildDeb(
        debs,
        "sword-text-kjv",
        Map.of(
            "Gen.1.1", "In the <w lemma=\"strong:H7225\">beginning</w>.",
            "Gen.1.2", "And the earth.<note placement=\"foot\">Heb. x</note>",
            "Ruth.1.1", "Now it came to pass.",
            "John.3.16", "¶ For God so loved the world."),
        "engKJV2006eb");
    buildDeb(
        debs,
        "sword-text-sparv",
        Map.of(
            "Gen.1.1", "<w lemma=\"strong:H7225\">EN el principio</w>.",
            "Ruth.1.1", "Y aconteció.",
            "John.3.16", "Porque de tal manera amó Dios al mundo."),
        "spaRV1909eb");
    FetchBibleCommand command = new FetchBibleCommand(fakeDebian(debs));
    Path data = dir.resolve("data");
    assertEquals(0, new CommandLine(command).execute("--dir", data.toString()));
    CorpusSplits splits = CorpusSplits.read(data.resolve("bible-en-es"));
    assertEquals(
        List.of(new SentencePair("In the beginning.", "EN el principio.", "Gen.1.1")),
        splits.train());
    assertEquals(
        List.of(new SentencePair("Now it came to pass.", "Y aconteció.", "Ruth.1.1")),
        splits.dev());
    assertEquals(
        List.of(
            new SentencePair(
                "For God so loved the world.",
                "Porque de tal manera amó Dios al mundo.",
                "John.3.16")),
        splits.test());
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("31,102 in the KJV versification; 3 aligned pairs"), text);
    assertTrue(text.contains("dropped 31,099 (empty English 31,098, empty Spanish 1:"), text);
  }

  @Test
  void dingSentencesAreKeptAndSplit() throws Exception {
    assumeTrue(hasDpkgDeb());
    Path debs = dir.resolve("debs");
    Path root = dir.resolve("ding-root");
    Files.createDirectories(root.resolve("usr/share/trans"));
    Files.writeString(
        root.resolve("usr/share/trans/de-en"),
        "# Version :: test\n"
            + "Aal {m} | Aale {pl} :: eel | eels\n"
            + "Er kommt morgen [ugs.]. :: He is coming tomorrow.\n");
    dpkgBuild(root, "trans-de-en", debs);
    FetchDingCommand command = new FetchDingCommand(fakeDebian(debs));
    Path data = dir.resolve("data");
    assertEquals(0, new CommandLine(command).execute("--dir", data.toString()));
    CorpusSplits splits = CorpusSplits.read(data.resolve("ding-de-en"));
    assertEquals(1, splits.size());
    SentencePair only =
        splits.train().isEmpty()
            ? (splits.dev().isEmpty() ? splits.test().get(0) : splits.dev().get(0))
            : splits.train().get(0);
    assertEquals("Er kommt morgen.", only.source());
    assertEquals("He is coming tomorrow.", only.target());
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

  /** A package holding a zText module in the KJV versification with the given verses. */
  private void buildDeb(Path debs, String name, Map<String, String> verses, String module)
      throws Exception {
    Path root = dir.resolve(name + "-root");
    Path moduleDir = root.resolve("usr/share/sword/modules/texts/ztext/" + module);
    Files.createDirectories(moduleDir);
    for (Versification.Testament t : Versification.Testament.values()) {
      writeTestament(moduleDir, t, verses);
    }
    dpkgBuild(root, name, debs);
  }

  private static void writeTestament(
      Path moduleDir, Versification.Testament t, Map<String, String> verses) throws IOException {
    Versification kjv = Versification.kjv();
    int entries = 2;
    for (Versification.Book b : kjv.books(t)) {
      entries += 1 + b.chapters();
      for (int c = 1; c <= b.chapters(); c++) {
        entries += b.verses(c);
      }
    }
    ByteBuffer bzv = ByteBuffer.allocate(10 * entries).order(ByteOrder.LITTLE_ENDIAN);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    int entry = 2;
    for (Versification.Book b : kjv.books(t)) {
      entry++;
      for (int c = 1; c <= b.chapters(); c++) {
        entry++;
        for (int v = 1; v <= b.verses(c); v++) {
          String text = verses.get(b.osisId() + "." + c + "." + v);
          if (text != null) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            bzv.position(10 * entry);
            bzv.putInt(0).putInt(block.size()).putShort((short) bytes.length);
            block.write(bytes);
          }
          entry++;
        }
      }
    }
    byte[] plain = block.toByteArray();
    Deflater deflater = new Deflater();
    deflater.setInput(plain);
    deflater.finish();
    byte[] buf = new byte[plain.length + 64];
    int n = deflater.deflate(buf);
    deflater.end();
    ByteBuffer bzs = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    bzs.putInt(0).putInt(n).putInt(plain.length);
    String prefix = t.name().toLowerCase(java.util.Locale.ROOT);
    Files.write(moduleDir.resolve(prefix + ".bzs"), bzs.array());
    Files.write(moduleDir.resolve(prefix + ".bzv"), bzv.array());
    Files.write(moduleDir.resolve(prefix + ".bzz"), java.util.Arrays.copyOf(buf, n));
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
