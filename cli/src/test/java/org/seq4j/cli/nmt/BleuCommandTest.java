package org.seq4j.cli.nmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;

/** {@code seq4j bleu} on sacreBLEU's README example (two references). */
class BleuCommandTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @TempDir Path dir;
  private Path hyp;
  private Path ref1;
  private Path ref2;

  @BeforeEach
  void setUp() throws Exception {
    hyp = dir.resolve("hyp.txt");
    ref1 = dir.resolve("ref1.txt");
    ref2 = dir.resolve("ref2.txt");
    Files.writeString(
        hyp, "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n");
    Files.writeString(
        ref1, "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n");
    Files.writeString(
        ref2, "The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.\n");
  }

  @Test
  void printsTheScoreLineAndTheSignature() {
    assertEquals(0, Seq4j.execute("bleu", hyp.toString(), ref1.toString(), ref2.toString()));
    assertEquals(
        "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)\n"
            + "nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp\n",
        console.out().replace("\r\n", "\n"));
  }

  @Test
  void printsJson() throws Exception {
    assertEquals(
        0, Seq4j.execute("bleu", "--json", hyp.toString(), ref1.toString(), ref2.toString()));
    JsonNode o = new ObjectMapper().readTree(console.out());
    assertEquals(48.53, o.get("score").asDouble());
    assertEquals("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp", o.get("signature").asText());
    assertEquals(17, o.get("hyp_len").asInt());
    assertEquals(18, o.get("ref_len").asInt());
  }

  @Test
  void lineCountMismatchIsAClearError() throws Exception {
    Files.writeString(ref2, "only one line\n");
    assertEquals(1, Seq4j.execute("bleu", hyp.toString(), ref1.toString(), ref2.toString()));
    assertTrue(
        console
            .err()
            .contains("error: line counts differ: " + hyp + " has 3 lines, " + ref2 + " has 1"),
        console.err());
  }

  @Test
  void missingFileIsAClearError() {
    Path none = dir.resolve("none.txt");
    assertEquals(1, Seq4j.execute("bleu", hyp.toString(), none.toString()));
    assertTrue(console.err().contains("error: no such file: " + none), console.err());
  }

  @Test
  void needsAReference() {
    assertEquals(2, Seq4j.execute("bleu", hyp.toString()));
  }
}
