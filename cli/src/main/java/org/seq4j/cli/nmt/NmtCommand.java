package org.seq4j.cli.nmt;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seq4j nmt}: train GNMT, translate, evaluate, plot attention, average checkpoints. */
@Command(
    name = "nmt",
    mixinStandardHelpOptions = true,
    description =
        "Neural machine translation with GNMT: train on a parallel corpus, translate text, score"
            + " a split with BLEU, plot attention, average checkpoints.",
    subcommands = {
      NmtTrainCommand.class,
      NmtTranslateCommand.class,
      NmtEvalCommand.class,
      NmtAttentionCommand.class,
      NmtAverageCommand.class,
      CommandLine.HelpCommand.class
    })
public final class NmtCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
