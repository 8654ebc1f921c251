package org.seq4j.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.audio.AudioClip;
import org.seq4j.audio.AudioSplit;
import org.seq4j.audio.WavEncoding;
import org.seq4j.audio.WavWriter;

class WavDatasetTest {

  /** Writes {@code seconds} of silence at 8 kHz, 16-bit, to {@code file}. */
  private static void wav(Path file, double seconds) throws IOException {
    WavWriter.write(
        file, new AudioClip(new float[(int) (seconds * 8000)], 8000), WavEncoding.PCM_16);
  }

  /** An unpacked package laid out as asterisk-core-sounds-en-wav is. */
  private static Path speechPackage(Path root) throws IOException {
    Path sounds = root.resolve(WavDataset.SPEECH_EN.soundDirs().get(0));
    for (int i = 0; i < 30; i++) {
      wav(sounds.resolve(i % 2 == 0 ? "prompt-" + i + ".wav" : "digits/" + i + ".wav"), 0.5);
    }
    Files.writeString(sounds.resolve("README"), "not audio");
    Path doc = root.resolve("usr/share/doc/asterisk-core-sounds-en-wav/copyright");
    Files.createDirectories(doc.getParent());
    Files.writeString(doc, "CC-BY-SA");
    return root;
  }

  @Test
  void installCopiesTheFilesWritesTheSplitAndTheSourceList(@TempDir Path dir) throws IOException {
    Path pkg = speechPackage(dir.resolve("pkg"));
    Path out = dir.resolve("data/speech-en");
    WavDataset.Result r = WavDataset.SPEECH_EN.install(pkg, out, "Debian package test 1.0");
    assertEquals(30, r.files());
    assertEquals(15.0, r.seconds(), 1e-9);
    assertEquals(Map.of("8000 Hz 16-bit PCM mono", 30), r.formats());
    assertTrue(Files.isRegularFile(out.resolve("digits/1.wav")));
    assertTrue(Files.isRegularFile(out.resolve("prompt-0.wav")));
    assertTrue(!Files.exists(out.resolve("README")));
    AudioSplit split = AudioSplit.readLists(out);
    assertEquals(r.split(), split);
    assertEquals(30, split.train().size() + split.valid().size());
    assertTrue(!split.valid().isEmpty());
    for (String v : split.valid()) {
      assertTrue(AudioSplit.heldOut(v) || split.valid().size() == 1, v);
    }
    List<String> sources = Files.readAllLines(out.resolve(WavDataset.SOURCES_FILE));
    assertEquals("# Debian package test 1.0", sources.get(0));
    assertEquals(3 + 30, sources.size());
    assertTrue(
        sources.contains(
            "digits/1.wav\t"
                + split(split, "digits/1.wav")
                + "\t0.500\t8000"
                + " Hz 16-bit PCM mono"),
        sources.toString());
  }

  private static String split(AudioSplit split, String file) {
    return split.valid().contains(file) ? "valid" : "train";
  }

  @Test
  void aPackageWithoutItsSoundFolderOrWithABrokenFileIsAClearError(@TempDir Path dir)
      throws IOException {
    IOException ex =
        assertThrows(
            IOException.class,
            () -> WavDataset.MUSIC_MOH.install(dir.resolve("empty"), dir.resolve("out"), "x"));
    assertTrue(ex.getMessage().contains("has no sound folder"), ex.getMessage());
    Path moh = dir.resolve("pkg").resolve(WavDataset.MUSIC_MOH.soundDirs().get(0));
    Files.createDirectories(moh);
    Files.writeString(moh.resolve("broken.wav"), "<html>404</html>");
    ex =
        assertThrows(
            IOException.class,
            () -> WavDataset.MUSIC_MOH.install(dir.resolve("pkg"), dir.resolve("out"), "x"));
    assertTrue(ex.getMessage().contains("broken.wav: not a WAV file"), ex.getMessage());
  }

  @Test
  void fetchMusicMohRunsTheWholeWayOnALocalPackage(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(hasDpkgDeb(), "needs dpkg-deb");
    // A real .deb with the package's layout, served by a stand-in for apt-get download.
    Path tree = dir.resolve("tree");
    Path moh = tree.resolve(WavDataset.MUSIC_MOH.soundDirs().get(0));
    for (String name : List.of("a-one.wav", "b-two.wav", "c-three.wav")) {
      wav(moh.resolve(name), 1.5);
    }
    Files.createDirectories(tree.resolve("DEBIAN"));
    Files.setPosixFilePermissions(
        tree.resolve("DEBIAN"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(
        tree.resolve("DEBIAN/control"),
        "Package: asterisk-moh-opsound-wav\nVersion: 9.9-1\nArchitecture: all\n"
            + "Maintainer: Test <test@example.org>\nDescription: test package\n");
    Path deb = dir.resolve("built.deb");
    Process build =
        new ProcessBuilder(
                "dpkg-deb",
                "--root-owner-group",
                "-Znone",
                "--build",
                tree.toString(),
                deb.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(build.waitFor(60, TimeUnit.SECONDS) && build.exitValue() == 0, log);
    Path aptGet = dir.resolve("apt-get");
    Files.writeString(
        aptGet, "#!/bin/sh\ncp '" + deb + "' ./asterisk-moh-opsound-wav_9.9-1_all.deb\n");
    Files.setPosixFilePermissions(aptGet, PosixFilePermissions.fromString("rwx------"));

    DataDirOption dataDir = new DataDirOption();
    dataDir.dir = dir.resolve("data");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code =
        WavDatasetFetch.run(
            WavDataset.MUSIC_MOH,
            new DebianPackage(aptGet.toString(), "dpkg-deb"),
            dataDir,
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    assertTrue(out.contains("package   asterisk-moh-opsound-wav 9.9-1"), out);
    assertTrue(out.contains("files     3 WAV files from /usr/share/asterisk/moh/: 8000 Hz"), out);
    assertTrue(out.contains("audio     0.1 minutes"), out);
    assertTrue(out.contains("train     2 files") || out.contains("train     1 file,"), out);
    Path data = dir.resolve("data/music-moh");
    assertTrue(Files.isRegularFile(data.resolve("b-two.wav")));
    assertTrue(AudioSplit.hasLists(data));
  }

  private static boolean hasDpkgDeb() {
    try {
      Process p = new ProcessBuilder("dpkg-deb", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException ex) {
      return false;
    }
  }
}
