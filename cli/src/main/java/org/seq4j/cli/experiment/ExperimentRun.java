package org.seq4j.cli.experiment;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The settings of one run of an experiment.
 *
 * @param quick the seconds-long version, for tests and a first look
 * @param seed the seed of every random choice (data, initialization)
 * @param out the directory for {@code report.md} and the plots
 * @param console where tables and progress go
 * @param dataDir where fetched data sets are, for the experiments that read one
 */
record ExperimentRun(boolean quick, long seed, Path out, PrintStream console, Path dataDir) {}
