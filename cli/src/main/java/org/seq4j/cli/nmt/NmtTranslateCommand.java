package org.seq4j.cli.nmt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.nmt.NmtCheckpoint;
import org.seq4j.nmt.Translator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seq4j nmt translate}: translates standard input line by line with a checkpoint of {@code
 * nmt train}, streaming: it reads a chunk of lines, translates it (batched by length inside), and
 * writes the translations in input order before reading on.
 */
@Command(
    name = "translate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Translate standard input, one sentence per line, to standard output, line for line.",
      "Lines are read in chunks and translated in batches of similar length; the output keeps the"
          + " input's order and line count. An empty line gives an empty line. A line longer than"
          + " 256 subword tokens is cut to its first 256 tokens (counted on standard error), and"
          + " a translation has at most min(2 x source tokens + 10, 256) tokens. Characters the"
          + " model never saw are spelled as bytes; invalid UTF-8 is read as U+FFFD.",
      "Progress goes to standard error."
    })
public final class NmtTranslateCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A checkpoint of `nmt train` (its tokenizer.model beside it).")
  Path checkpoint;

  @Mixin SearchOptions search = new SearchOptions();

  @Option(
      names = "--chunk",
      paramLabel = "N",
      description = "Lines read and translated at a time (default: ${DEFAULT-VALUE}).")
  int chunk = 256;

  @Option(names = "--quiet", description = "No progress on standard error.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    if (chunk < 1) {
      throw new IllegalArgumentException("--chunk must be >= 1, got " + chunk);
    }
    Engine engine = Seq4jEngine.get();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long start = System.nanoTime();
    long lines = 0;
    long truncated = 0;
    try (NDManager manager = engine.newBaseManager()) {
      NmtCheckpoint ckpt = NmtCheckpoint.load(checkpoint, manager);
      Translator translator = new Translator(ckpt.model(), ckpt.tokenizer(), search.build());
      if (!quiet) {
        System.err.printf(
            Locale.ROOT,
            "nmt translate: %s (%s), %s%n",
            checkpoint,
            ckpt.model().config().describe(),
            search.describe());
      }
      List<String> batch = new ArrayList<>(chunk);
      boolean more = true;
      while (more) {
        String line = in.readLine();
        if (line != null) {
          batch.add(line);
        } else {
          more = false;
        }
        if (batch.size() == chunk || (!more && !batch.isEmpty())) {
          for (Translator.Result r : translator.translate(manager, batch)) {
            out.print(r.text());
            out.print('\n');
            if (r.truncated()) {
              truncated++;
            }
          }
          out.flush();
          lines += batch.size();
          batch.clear();
          if (!quiet) {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf(
                Locale.ROOT,
                "\rnmt translate: %,d lines in %.1f s (%.1f lines/s)",
                lines,
                seconds,
                lines / Math.max(seconds, 1e-9));
          }
        }
      }
    } finally {
      out.flush();
    }
    if (!quiet) {
      System.err.println();
    }
    if (truncated > 0) {
      System.err.printf(
          Locale.ROOT,
          "note: %,d line(s) longer than %d subword tokens were cut to their first %d%n",
          truncated,
          Translator.MAX_SOURCE_TOKENS,
          Translator.MAX_SOURCE_TOKENS);
    }
    return 0;
  }
}
