package org.seq4j.cli.plot;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seq4j plot}: pictures of data and results. */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = "Draw pictures of data and results as PNG files.",
    subcommands = {PlotWaveCommand.class, PlotCurveCommand.class, CommandLine.HelpCommand.class})
public final class PlotCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
