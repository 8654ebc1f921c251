package org.seq4j.nmt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.io.Checkpoint;
import org.seq4j.text.BpeTrainer;
import org.seq4j.text.SentencePair;
import org.seq4j.text.SubwordTokenizer;

/** The pieces of the training pipeline with a tiny untrained model: fast, no learning needed. */
class NmtPipelineTest {
  private static final String[] WORDS = {
    "the", "cat", "sees", "a", "dog", "house", "red", "small", "bird", "eats"
  };

  private static List<SentencePair> corpus(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<SentencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder s = new StringBuilder();
      int words = random.nextInt(2, 9);
      for (int w = 0; w < words; w++) {
        s.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
      }
      String source = s + ".";
      out.add(new SentencePair(source, source.toUpperCase(java.util.Locale.ROOT), "p" + i));
    }
    return out;
  }

  private static SubwordTokenizer tokenizer(List<SentencePair> pairs) {
    List<String> text = new ArrayList<>();
    for (SentencePair p : pairs) {
      text.add(p.source());
      text.add(p.target());
    }
    return new BpeTrainer(BpeTrainer.Options.defaults().withVocabSize(340)).train(text);
  }

  private static GnmtConfig config(int vocabulary) {
    return GnmtConfig.small(vocabulary).withSizes(16, 16).withLayers(2, 2).withDropout(0f);
  }

  @Test
  void encodingDropsEmptyAndOverLongPairs() {
    List<SentencePair> pairs = new ArrayList<>(corpus(20, 1));
    pairs.add(new SentencePair("", "EMPTY.", "e1"));
    pairs.add(new SentencePair("empty target.", "", "e2"));
    pairs.add(new SentencePair("the cat ".repeat(40).strip(), "short.", "long"));
    SubwordTokenizer tok = tokenizer(pairs);
    EncodedPairs encoded = EncodedPairs.encode(tok, pairs, 30);
    assertEquals(20, encoded.size());
    assertEquals(2, encoded.droppedEmpty());
    assertEquals(1, encoded.droppedLong());
    for (int i = 0; i < encoded.size(); i++) {
      assertTrue(encoded.sources().get(i).length <= 30);
      assertArrayEquals(tok.encode(pairs.get(i).target()), encoded.targets().get(i));
    }
    long targets = 0;
    for (int[] y : encoded.targets()) {
      targets += y.length + 1;
    }
    assertEquals(targets, encoded.targetTokens());
  }

  @Test
  void batchesAreAPureFunctionOfTheirPositionAndRespectTheBudget() {
    List<SentencePair> pairs = corpus(300, 2);
    SubwordTokenizer tok = tokenizer(pairs);
    EncodedPairs train = EncodedPairs.encode(tok, pairs, 100);
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      Gnmt gnmt = new Gnmt(config(tok.size()));
      gnmt.initialize(manager);
      NmtTask a = new NmtTask(gnmt, train, pairs.subList(0, 5), tok, 120, 0.1f, null, 7);
      NmtTask b = new NmtTask(gnmt, train, pairs.subList(0, 5), tok, 120, 0.1f, null, 7);
      assertEquals(a.batchesPerEpoch(), b.batchesPerEpoch());
      int seen = 0;
      for (int i = 0; i < a.batchesPerEpoch(); i++) {
        NmtTask.Batch x = a.batch(3, i);
        NmtTask.Batch y = b.batch(3, i);
        assertEquals(x.sources().size(), y.sources().size());
        int longest = 0;
        long tokens = 0;
        for (int r = 0; r < x.sources().size(); r++) {
          assertArrayEquals(x.sources().get(r), y.sources().get(r));
          assertArrayEquals(x.targets().get(r), y.targets().get(r));
          longest =
              Math.max(longest, Math.max(x.sources().get(r).length, x.targets().get(r).length + 1));
          tokens += x.targets().get(r).length + 1;
        }
        assertTrue(x.sources().size() * longest <= 120 || x.sources().size() == 1);
        assertEquals(tokens, x.targetTokens());
        seen += x.sources().size();
      }
      assertEquals(train.size(), seen, "an epoch covers every pair once");
      List<String> epoch0 = new ArrayList<>();
      List<String> epoch1 = new ArrayList<>();
      for (int i = 0; i < a.batchesPerEpoch(); i++) {
        epoch0.add(java.util.Arrays.toString(a.batch(0, i).sources().get(0)));
        epoch1.add(java.util.Arrays.toString(a.batch(1, i).sources().get(0)));
      }
      assertNotEquals(epoch0, epoch1, "epochs are shuffled differently");
    }
  }

  @Test
  void validationReportsDevLossPerplexityAndBleu() {
    List<SentencePair> pairs = corpus(60, 3);
    SubwordTokenizer tok = tokenizer(pairs);
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      Gnmt gnmt = new Gnmt(config(tok.size()));
      gnmt.initialize(manager);
      Translator translator =
          new Translator(gnmt, tok, BeamSearch.builder().beamSize(2).maxLength(1, 2, 20).build());
      NmtTask task =
          new NmtTask(
              gnmt,
              EncodedPairs.encode(tok, pairs, 100),
              pairs.subList(0, 12),
              tok,
              200,
              0.1f,
              translator,
              1);
      Map<String, Double> m = Steps.scoped(manager, task::validate);
      assertEquals(List.of("loss", "nll", "ppl", "bleu"), new ArrayList<>(m.keySet()));
      // An untrained model is close to uniform over the vocabulary.
      assertEquals(Math.log(tok.size()), m.get("nll"), 0.5);
      assertEquals(Math.exp(m.get("nll")), m.get("ppl"), 1e-6 * m.get("ppl"));
      assertTrue(m.get("loss") >= m.get("nll") - 0.05, m.toString());
      assertTrue(m.get("bleu") >= 0 && m.get("bleu") <= 100, m.toString());
    }
  }

  @Test
  void translatorKeepsOrderEmptyLinesAndCapsLongOnes() {
    List<SentencePair> pairs = corpus(60, 4);
    SubwordTokenizer tok = tokenizer(pairs);
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      Seq4jEngine.get().setRandomSeed(3);
      Gnmt gnmt = new Gnmt(config(tok.size()));
      gnmt.initialize(manager);
      BeamSearch greedy = BeamSearch.builder().beamSize(1).alpha(0).beta(0).build();
      Translator translator = new Translator(gnmt, tok, greedy, 12, 3, 40);
      List<String> lines =
          List.of(
              "the cat sees a dog.",
              "",
              "the red house.",
              "   ",
              "unknown: 日本語 🙂 \u0000 ok",
              "the small bird eats ".repeat(50),
              "a.");
      List<Translator.Result> out = translator.translate(manager, lines);
      assertEquals(lines.size(), out.size());
      assertEquals("", out.get(1).text());
      assertNull(out.get(1).best());
      assertEquals("", out.get(3).text());
      assertTrue(out.get(5).truncated());
      assertEquals(12, out.get(5).source().length);
      assertTrue(out.get(5).best().tokens().length <= greedy.maxTokens(12));
      assertFalse(out.get(0).truncated());
      assertTrue(out.get(4).source().length > 0, "unknown characters are spelled as bytes");
      // Each line's result is what translating it alone gives (greedy, no ties in practice).
      for (int i : new int[] {0, 2, 6}) {
        assertEquals(
            translator.translate(manager, List.of(lines.get(i))).get(0).text(), out.get(i).text());
      }
      // The attention of the best hypothesis covers its tokens and EOS over the real source.
      Hypothesis best = out.get(0).best();
      assertEquals(best.tokens().length + 1, best.attention().length);
      assertEquals(out.get(0).source().length, best.attention()[0].length);
    }
  }

  @Test
  void checkpointsRebuildTheModelAndTheirTokenizerAndAverage(@TempDir Path dir) throws Exception {
    List<SentencePair> pairs = corpus(60, 5);
    SubwordTokenizer tok = tokenizer(pairs);
    Path tokFile = dir.resolve(NmtCheckpoint.TOKENIZER_FILE);
    tok.save(tokFile);
    String hash = NmtCheckpoint.sha256(tokFile);
    GnmtConfig config = config(tok.size());
    ObjectNode runConfig = NmtCheckpoint.runConfig(config, NmtCheckpoint.TOKENIZER_FILE, hash);
    assertEquals("gnmt", runConfig.get("model").asText());
    Path a = dir.resolve("a.safetensors");
    Path b = dir.resolve("b.safetensors");
    float[] firstA;
    float[] firstB;
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      Gnmt ga = new Gnmt(config);
      ga.initialize(manager, DataType.FLOAT32, 0.1f);
      Gnmt gb = new Gnmt(config);
      gb.initialize(manager, DataType.FLOAT32, 0.3f);
      new Checkpoint(ga.stateDict(), Map.of(), null, null, runConfig).save(a);
      new Checkpoint(gb.stateDict(), Map.of(), null, null, runConfig).save(b);
      firstA = ga.stateDict().get("projection.bias").toFloatArray();
      firstB = gb.stateDict().get("projection.bias").toFloatArray();
    }
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      NmtCheckpoint loaded = NmtCheckpoint.load(a, manager);
      assertEquals(config, loaded.model().config());
      assertEquals(tok.size(), loaded.tokenizer().size());
      assertArrayEquals(firstA, loaded.model().stateDict().get("projection.bias").toFloatArray());

      Path avg = dir.resolve("avg").resolve("avg.safetensors");
      assertEquals(
          loaded.model().stateDict().size(), NmtCheckpoint.average(List.of(a, b), avg, manager));
      assertTrue(Files.exists(avg.resolveSibling(NmtCheckpoint.TOKENIZER_FILE)));
      NmtCheckpoint mean = NmtCheckpoint.load(avg, manager);
      float[] bias = mean.model().stateDict().get("projection.bias").toFloatArray();
      for (int i = 0; i < bias.length; i++) {
        assertEquals((firstA[i] + firstB[i]) / 2, bias[i], 1e-6);
      }
      assertEquals(2, mean.config().get("averaged_from").size());
    }
  }

  @Test
  void badCheckpointsGetClearErrors(@TempDir Path dir) throws Exception {
    List<SentencePair> pairs = corpus(40, 6);
    SubwordTokenizer tok = tokenizer(pairs);
    Path tokFile = dir.resolve(NmtCheckpoint.TOKENIZER_FILE);
    tok.save(tokFile);
    GnmtConfig config = config(tok.size());
    ObjectNode runConfig =
        NmtCheckpoint.runConfig(
            config, NmtCheckpoint.TOKENIZER_FILE, NmtCheckpoint.sha256(tokFile));
    Path good = dir.resolve("good.safetensors");
    Path lm = dir.resolve("lm.safetensors");
    Path wider = dir.resolve("wider.safetensors");
    try (NDManager manager = Seq4jEngine.get().newBaseManager()) {
      Gnmt g = new Gnmt(config);
      g.initialize(manager);
      new Checkpoint(g.stateDict(), Map.of(), null, null, runConfig).save(good);
      ObjectNode lmConfig = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
      lmConfig.put("model", "lstm");
      NDArray w = manager.zeros(new ai.djl.ndarray.types.Shape(2, 2));
      new Checkpoint(Map.of("w", w), Map.of(), null, null, lmConfig).save(lm);
      GnmtConfig other = config.withSizes(24, 24);
      Gnmt g2 = new Gnmt(other);
      g2.initialize(manager);
      new Checkpoint(
              g2.stateDict(),
              Map.of(),
              null,
              null,
              NmtCheckpoint.runConfig(
                  other, NmtCheckpoint.TOKENIZER_FILE, NmtCheckpoint.sha256(tokFile)))
          .save(wider);

      IllegalArgumentException notGnmt =
          assertThrows(IllegalArgumentException.class, () -> NmtCheckpoint.load(lm, manager));
      assertEquals(
          lm
              + " is not a translation checkpoint: it holds a 'lstm' model; use a checkpoint"
              + " written by `seq4j nmt train`",
          notGnmt.getMessage());

      IllegalArgumentException missing =
          assertThrows(
              IllegalArgumentException.class,
              () -> NmtCheckpoint.load(dir.resolve("nope.safetensors"), manager));
      assertEquals("no such checkpoint: " + dir.resolve("nope.safetensors"), missing.getMessage());

      IllegalArgumentException mismatch =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  NmtCheckpoint.average(
                      List.of(good, wider), dir.resolve("x.safetensors"), manager));
      assertTrue(mismatch.getMessage().contains("different models"), mismatch.getMessage());

      // Another tokenizer in its place, then none.
      Files.writeString(tokFile, Files.readString(tokFile).replace("size ", "size  "));
      IllegalArgumentException changed =
          assertThrows(IllegalArgumentException.class, () -> NmtCheckpoint.load(good, manager));
      assertTrue(
          changed.getMessage().contains("is not the tokenizer " + good + " was trained with"),
          changed.getMessage());
      Files.delete(tokFile);
      IllegalArgumentException gone =
          assertThrows(IllegalArgumentException.class, () -> NmtCheckpoint.load(good, manager));
      assertTrue(
          gone.getMessage().contains("its tokenizer tokenizer.model is missing"),
          gone.getMessage());
    }
  }
}
