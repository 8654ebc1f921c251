package org.seq4j.cli.lm;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seq4j lm}: recurrent character language models. */
@Command(
    name = "lm",
    mixinStandardHelpOptions = true,
    description = "Recurrent character language models: train on a text, sample from a checkpoint.",
    subcommands = {LmTrainCommand.class, LmSampleCommand.class, CommandLine.HelpCommand.class})
public final class LmCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
