package org.seq4j.cli.nmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * A toy language pair for the command-line tests: 400 distinct sentences of 3 to 7 words from a
 * 20-word vocabulary, each translated word for word; a tiny GNMT learns it in seconds.
 */
public final class ToyLanguage {
  private static final String[] SOURCE = {
    "the", "a", "cat", "dog", "man", "woman", "sees", "eats", "likes", "red", "big", "small",
    "house", "tree", "bird", "fish", "old", "young", "water", "bread"
  };
  private static final String[] TARGET = {
    "el", "un", "gato", "perro", "hombre", "mujer", "ve", "come", "ama", "rojo", "grande", "chico",
    "casa", "arbol", "pajaro", "pez", "viejo", "joven", "agua", "pan"
  };

  private ToyLanguage() {}

  /** Writes {@code where/corpus.tsv} (source TAB translation) and returns it. */
  public static Path write(Path where) throws IOException {
    Random random = new Random(5);
    StringBuilder text = new StringBuilder();
    Set<String> seen = new HashSet<>();
    while (seen.size() < 400) {
      int n = 3 + random.nextInt(5);
      StringBuilder s = new StringBuilder();
      StringBuilder t = new StringBuilder();
      for (int i = 0; i < n; i++) {
        int w = random.nextInt(SOURCE.length);
        s.append(i == 0 ? "" : " ").append(SOURCE[w]);
        t.append(i == 0 ? "" : " ").append(TARGET[w]);
      }
      if (seen.add(s.toString())) {
        text.append(s).append(".\t").append(t).append(".\n");
      }
    }
    Files.createDirectories(where);
    Path file = where.resolve("corpus.tsv");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
