package org.seq4j.cli.data;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code seq4j data fetch NAME}: downloads one data set into the data directory. Each data set is a
 * subcommand of its own.
 */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = "Download a data set into the data directory (default: data/).",
    subcommands = {
      FetchFortunesCommand.class,
      FetchSpeechEnCommand.class,
      FetchMusicMohCommand.class,
      FetchBibleCommand.class,
      FetchDingCommand.class,
      FetchSunspotsCommand.class
    })
public final class FetchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
