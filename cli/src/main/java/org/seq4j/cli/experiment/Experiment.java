package org.seq4j.cli.experiment;

import java.io.IOException;

/**
 * A reproducible study run by {@code seq4j experiment NAME}: it prints tables and writes a report.
 */
interface Experiment {
  /** The name on the command line. */
  String name();

  /**
   * Runs the study: prints its tables to {@code run.console()} and writes {@code report.md} with
   * its plots into {@code run.out()}.
   */
  void run(ExperimentRun run) throws IOException;
}
