package org.seq4j.cli.experiment;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The settings of one run of an experiment.
 *
 * @param quick the seconds-long version, for tests and a first look
 * @param seed the seed of every random choice (data, initialization)
 * @param out the directory for {@code report.md} and the plots
 * @param dataDir the data directory that {@code seq4j data fetch} fills, for experiments on real
 *     data
 * @param console where tables and progress go
 */
record ExperimentRun(boolean quick, long seed, Path out, Path dataDir, PrintStream console) {}
