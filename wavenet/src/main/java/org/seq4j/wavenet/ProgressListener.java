package org.seq4j.wavenet;

/**
 * Hears how far a {@link WaveNetGenerator#generate generation} has come. Called on the thread that
 * called {@code generate}, every few hundred samples and once at the end.
 */
@FunctionalInterface
public interface ProgressListener {
  /**
   * Reports progress.
   *
   * @param samplesDone samples generated so far in every clip (the slowest clip when several
   *     threads work)
   * @param samplesTotal samples each clip will have
   */
  void progress(long samplesDone, long samplesTotal);
}
