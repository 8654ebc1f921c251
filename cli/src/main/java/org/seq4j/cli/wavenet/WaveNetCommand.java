package org.seq4j.cli.wavenet;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seq4j wavenet}: train WaveNet on audio, generate audio, score audio. */
@Command(
    name = "wavenet",
    mixinStandardHelpOptions = true,
    description =
        "WaveNet on 8-bit mu-law audio: train on WAV files, generate clips, score held-out files.",
    subcommands = {
      WaveNetTrainCommand.class,
      WaveNetGenerateCommand.class,
      WaveNetNllCommand.class,
      CommandLine.HelpCommand.class
    })
public final class WaveNetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
