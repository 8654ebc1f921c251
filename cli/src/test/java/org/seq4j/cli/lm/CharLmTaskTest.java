package org.seq4j.cli.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.TinyFortunes;
import org.seq4j.engine.Seq4jEngine;

class CharLmTaskTest {
  @Test
  void aLimitedValidationScoresASampleAndALargeLimitScoresEverything(@TempDir Path dir)
      throws Exception {
    LmCorpus corpus = LmCorpus.read(TinyFortunes.write(dir.resolve("fortunes.txt")));
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      Seq4jEngine.get().setRandomSeed(3);
      CharRnnLanguageModel lm =
          new CharRnnLanguageModel(
              manager, new CharRnnConfig("lstm", corpus.vocabulary(), 8, 8, 2, 0f, 2));
      double all = new CharLmTask(lm, corpus, 4, 16).validate(manager).get("loss");
      double large =
          new CharLmTask(lm, corpus, 4, 16)
              .limitValidation(corpus.validation().length)
              .validate(manager)
              .get("loss");
      double sample =
          new CharLmTask(lm, corpus, 4, 16).limitValidation(40).validate(manager).get("loss");
      assertEquals(all, large, 1e-6);
      assertTrue(Double.isFinite(sample));
      assertNotEquals(all, sample);
      assertThrows(
          IllegalArgumentException.class,
          () -> new CharLmTask(lm, corpus, 4, 16).limitValidation(0));
    }
  }
}
