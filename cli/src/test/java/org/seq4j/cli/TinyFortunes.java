package org.seq4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Quotes from a tiny grammar, in the fortune format: easy to learn, fast to train on. */
public final class TinyFortunes {
  private TinyFortunes() {}

  /** Writes 300 quotes, each followed by a {@code %} line, to {@code file} and returns it. */
  public static Path write(Path file) throws IOException {
    String[] subjects = {"the cat", "a dog", "my program", "the kernel", "every user"};
    String[] verbs = {"eats", "sees", "crashes", "loves", "compiles"};
    String[] objects = {"the mat.", "a bug.", "the moon.", "its tail.", "nothing at all."};
    Random random = new Random(7);
    StringBuilder text = new StringBuilder();
    for (int q = 0; q < 300; q++) {
      int sentences = 1 + random.nextInt(3);
      for (int s = 0; s < sentences; s++) {
        text.append(subjects[random.nextInt(5)]).append(' ').append(verbs[random.nextInt(5)]);
        text.append(' ').append(objects[random.nextInt(5)]).append(s + 1 < sentences ? " " : "");
      }
      text.append(q % 7 == 0 ? "\n\t\t-- Anonymous" : "").append("\n%\n");
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
