package org.seq4j.cli.data;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seq4j data}: getting the data sets the examples train on. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Get the data sets the examples train on.",
    subcommands = {FetchCommand.class, CommandLine.HelpCommand.class})
public final class DataCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
