package org.seq4j.cli;

import java.io.PrintWriter;
import org.seq4j.bench.BenchCommand;
import org.seq4j.engine.Seq4jEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code seq4j} command. */
@Command(
    name = "seq4j",
    mixinStandardHelpOptions = true,
    versionProvider = Seq4j.Version.class,
    description = "Sequence deep learning on the JVM: RNN/LSTM/GRU, GNMT, WaveNet.",
    subcommands = {
      InfoCommand.class,
      QuickstartCommand.class,
      org.seq4j.cli.lm.LmCommand.class,
      org.seq4j.cli.wavenet.WaveNetCommand.class,
      org.seq4j.cli.nmt.NmtCommand.class,
      org.seq4j.cli.data.DataCommand.class,
      org.seq4j.cli.plot.PlotCommand.class,
      org.seq4j.cli.nmt.BleuCommand.class,
      org.seq4j.cli.experiment.ExperimentCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Seq4j implements Runnable {

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "libtorch intra-op threads for the command that follows (default: SEQ4J_THREADS, else"
              + " all cores).")
  void threads(int n) {
    if (n <= 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--threads must be positive, got " + n);
    }
    Seq4jEngine.configure(n, -1);
  }

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print the full stack trace of an error.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the command line; returns the exit code. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Seq4j());
    cli.setExecutionExceptionHandler(Seq4j::handleError);
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Prints an error as one clear line (the stack trace only with --debug), exit code 1. */
  private static int handleError(
      Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
    PrintWriter err = cli.getErr();
    boolean debug = parseResult.hasMatchedOption("--debug");
    for (CommandLine.ParseResult sub = parseResult; sub != null; sub = sub.subcommand()) {
      debug |= sub.hasMatchedOption("--debug");
    }
    String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    err.println(cli.getColorScheme().errorText("error: " + message));
    if (debug) {
      ex.printStackTrace(err);
    } else {
      err.println("(run with --debug for the stack trace)");
    }
    err.flush();
    return 1;
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Seq4j.class.getPackage().getImplementationVersion();
      return new String[] {"seq4j " + (v == null ? "(development build)" : v)};
    }
  }
}
