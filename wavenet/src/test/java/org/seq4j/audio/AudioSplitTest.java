package org.seq4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioSplitTest {

  private static List<String> names(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("dir" + (i % 3) + "/clip-" + i + ".wav");
    }
    return names;
  }

  @Test
  void theHashIsTheCrc32OfTheUtf8Path() {
    CRC32 crc = new CRC32();
    crc.update("digits/1.wav".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(crc.getValue(), AudioSplit.hash("digits/1.wav"));
    assertEquals(0xCBF43926L, AudioSplit.hash("123456789")); // the CRC-32 check value
  }

  @Test
  void aboutOneInTenIsHeldOutByTheRule() {
    List<String> names = names(2000);
    AudioSplit split = AudioSplit.of(Path.of("root"), names);
    assertEquals(2000, split.train().size() + split.valid().size());
    assertTrue(split.valid().size() > 150 && split.valid().size() < 250, split.valid().size() + "");
    for (String v : split.valid()) {
      assertTrue(AudioSplit.heldOut(v), v);
    }
    for (String t : split.train()) {
      assertTrue(!AudioSplit.heldOut(t), t);
    }
    assertEquals(split.valid().stream().sorted().toList(), split.valid());
  }

  @Test
  void aFilesSplitDoesNotDependOnTheOtherFiles() {
    List<String> all = names(300);
    AudioSplit whole = AudioSplit.of(Path.of("r"), all);
    AudioSplit half = AudioSplit.of(Path.of("r"), all.subList(0, 150));
    for (String v : half.valid()) {
      assertTrue(whole.valid().contains(v), v);
    }
    for (String t : half.train()) {
      assertTrue(whole.train().contains(t), t);
    }
  }

  @Test
  void smallSetsStillGetBothSplits() {
    // Find names whose rule bucket is not 0, so the guard has to pick one.
    List<String> none = new ArrayList<>();
    for (int i = 0; none.size() < 4; i++) {
      if (!AudioSplit.heldOut("song-" + i + ".wav")) {
        none.add("song-" + i + ".wav");
      }
    }
    AudioSplit split = AudioSplit.of(Path.of("moh"), none);
    assertEquals(3, split.train().size());
    assertEquals(1, split.valid().size());
    String expected =
        none.stream()
            .min(
                java.util.Comparator.<String>comparingLong(p -> AudioSplit.hash(p) % 10)
                    .thenComparingLong(AudioSplit::hash))
            .orElseThrow();
    assertEquals(List.of(expected), split.valid());
    assertTrue(split.guarded());
    assertTrue(!AudioSplit.of(Path.of("r"), names(2000)).guarded());
    AudioSplit one = AudioSplit.of(Path.of("x"), List.of("only.wav"));
    assertEquals(List.of("only.wav"), one.train());
    assertEquals(List.of(), one.valid());
  }

  @Test
  void findsWavFilesAtAnyDepthSkippingHiddenAndOtherFiles(@TempDir Path dir) throws IOException {
    for (String name :
        List.of("a.wav", "b/c.WAV", "b/d/e.wav", "notes.txt", ".hidden/x.wav", "b/.y.wav")) {
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.write(p, new byte[] {1});
    }
    Files.createDirectories(dir.resolve("f.wav")); // a directory, not a file
    assertEquals(List.of("a.wav", "b/c.WAV", "b/d/e.wav"), AudioSplit.findWavFiles(dir));
    assertThrows(NoSuchFileException.class, () -> AudioSplit.findWavFiles(dir.resolve("no")));
  }

  @Test
  void listsRoundTripAndStartWithTheRule(@TempDir Path dir) throws IOException {
    AudioSplit split = AudioSplit.of(dir, names(50));
    split.writeLists();
    assertTrue(AudioSplit.hasLists(dir));
    List<String> lines = Files.readAllLines(dir.resolve(AudioSplit.VALID_LIST));
    assertEquals("# " + AudioSplit.RULE, lines.get(0));
    AudioSplit back = AudioSplit.readLists(dir);
    assertEquals(split, back);
    assertEquals(dir.resolve(split.train().get(0)), back.trainFiles().get(0));
    assertEquals(Set.copyOf(names(50)).size(), back.train().size() + back.valid().size());
  }
}
