package org.seq4j.cli.nmt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.seq4j.io.StrictUtf8;
import org.seq4j.text.Bleu;
import org.seq4j.text.BleuScore;
import org.seq4j.text.BleuTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seq4j bleu HYP REF [REF2 ...]}: corpus BLEU, exactly as sacreBLEU computes it. */
@Command(
    name = "bleu",
    mixinStandardHelpOptions = true,
    description = {
      "Corpus BLEU of a file of hypotheses against one or more reference files (one segment per"
          + " line), identical to sacreBLEU's default: 13a tokenization, case-sensitive, exp"
          + " smoothing, closest reference length.",
      "Prints the score line and the signature, as sacreBLEU does."
    })
public final class BleuCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "HYP",
      description = "Hypotheses, one per line ('-' for standard input).")
  String hypotheses;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "REF",
      description = "Reference files, each with one line per hypothesis.")
  List<Path> references;

  @Option(
      names = "--tokenize",
      paramLabel = "13a|none",
      description = "Tokenizer (default: ${DEFAULT-VALUE}).")
  String tokenize = "13a";

  @Option(names = "--lowercase", description = "Compute case-insensitive BLEU.")
  boolean lowercase;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    List<String> hyps = readHypotheses();
    List<List<String>> refs = new ArrayList<>();
    for (Path ref : references) {
      List<String> lines = StrictUtf8.readLines(ref);
      if (lines.size() != hyps.size()) {
        throw new IOException(
            "line counts differ: "
                + (hypotheses.equals("-") ? "standard input" : hypotheses)
                + " has "
                + hyps.size()
                + " lines, "
                + ref
                + " has "
                + lines.size());
      }
      refs.add(lines);
    }
    Bleu bleu =
        new Bleu(
            BleuTokenizer.named(tokenize),
            lowercase,
            Bleu.Smoothing.EXP,
            Double.NaN,
            false,
            Bleu.MAX_ORDER);
    BleuScore score = bleu.corpusScore(hyps, refs);
    String signature = bleu.signature(refs.size());
    if (json) {
      System.out.println(toJson(score, signature));
    } else {
      System.out.println(score.format());
      System.out.println(signature);
    }
    return 0;
  }

  private List<String> readHypotheses() throws IOException {
    if (!hypotheses.equals("-")) {
      return StrictUtf8.readLines(Path.of(hypotheses));
    }
    byte[] bytes = System.in.readAllBytes();
    String text = StrictUtf8.decode(bytes, "standard input");
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** The score as sacreBLEU's JSON output names it, with the precisions and counts added. */
  static String toJson(BleuScore score, String signature) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode o = mapper.createObjectNode();
    o.put("name", "BLEU");
    o.put("score", Double.parseDouble(BleuScore.fixed(score.score(), 2)));
    o.put("signature", signature);
    o.put("verbose_score", score.verbose());
    o.put("bp", score.brevityPenalty());
    o.put("ratio", score.ratio());
    o.put("hyp_len", score.stats().hypLength());
    o.put("ref_len", score.stats().refLength());
    ArrayNode p = o.putArray("precisions");
    for (double v : score.precisions()) {
      p.add(v);
    }
    ArrayNode c = o.putArray("counts");
    for (long v : score.stats().correct()) {
      c.add(v);
    }
    ArrayNode t = o.putArray("totals");
    for (long v : score.stats().total()) {
      t.add(v);
    }
    try {
      return new String(mapper.writeValueAsBytes(o), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
