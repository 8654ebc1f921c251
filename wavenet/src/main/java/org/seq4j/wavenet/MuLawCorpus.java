package org.seq4j.wavenet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.seq4j.audio.AudioClip;
import org.seq4j.audio.AudioFiles;
import org.seq4j.audio.MuLaw;
import org.seq4j.audio.SilenceTrimmer;

/**
 * Audio as a WaveNet trains on it: μ-law classes at one sample rate. The training files are joined
 * into one stream, each preceded by {@link #GAP_SECONDS} of silence, so that random windows can be
 * drawn anywhere in it and the model also learns how speech starts out of silence (as generation
 * does); the held-out files stay separate, to be scored whole.
 */
public final class MuLawCorpus {
  /** The silence put before each training file in the joined stream. */
  public static final double GAP_SECONDS = 0.1;

  private final int sampleRate;
  private final int[] train;
  private final int trainFiles;
  private final List<int[]> valid;
  private final List<String> validNames;

  private MuLawCorpus(
      int sampleRate, int[] train, int trainFiles, List<int[]> valid, List<String> validNames) {
    this.sampleRate = sampleRate;
    this.train = train;
    this.trainFiles = trainFiles;
    this.valid = valid;
    this.validNames = validNames;
  }

  /**
   * Reads, converts to mono at {@code sampleRate} (resampling with a notice), optionally trims
   * silence, and μ-law encodes the files.
   *
   * @param trimmer trims leading and trailing silence of every file; null to keep it
   * @param notices receives one line per conversion or warning
   * @throws IOException naming the file that cannot be read or is not a supported WAV file
   * @throws IllegalArgumentException if there is no training audio
   */
  public static MuLawCorpus load(
      List<Path> trainFiles,
      List<Path> validFiles,
      int sampleRate,
      SilenceTrimmer trimmer,
      Consumer<String> notices)
      throws IOException {
    if (trainFiles.isEmpty()) {
      throw new IllegalArgumentException("no training audio: the list of training files is empty");
    }
    int gap = (int) Math.round(GAP_SECONDS * sampleRate);
    int silence = MuLaw.encode(0f);
    List<int[]> parts = new ArrayList<>();
    long total = 0;
    for (Path f : trainFiles) {
      int[] classes = classes(f, sampleRate, trimmer, notices);
      if (classes.length == 0) {
        notices.accept(f + ": no samples; skipped");
        continue;
      }
      parts.add(classes);
      total += gap + classes.length;
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException(
          "no training audio: all " + trainFiles.size() + " training files are empty");
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "the training audio has "
              + total
              + " samples; at most "
              + (Integer.MAX_VALUE - 8)
              + " fit in one stream");
    }
    int[] stream = new int[(int) total];
    int at = 0;
    for (int[] p : parts) {
      java.util.Arrays.fill(stream, at, at + gap, silence);
      at += gap;
      System.arraycopy(p, 0, stream, at, p.length);
      at += p.length;
    }
    List<int[]> valid = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Path f : validFiles) {
      int[] classes = classes(f, sampleRate, trimmer, notices);
      if (classes.length > 0) {
        valid.add(classes);
        names.add(f.toString());
      }
    }
    return new MuLawCorpus(
        sampleRate,
        stream,
        parts.size(),
        Collections.unmodifiableList(valid),
        Collections.unmodifiableList(names));
  }

  /** A corpus of one training stream and the given held-out clips, already μ-law encoded. */
  public static MuLawCorpus of(int sampleRate, int[] train, List<int[]> valid) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < valid.size(); i++) {
      names.add("clip " + i);
    }
    return new MuLawCorpus(sampleRate, train.clone(), 1, List.copyOf(valid), names);
  }

  private static int[] classes(
      Path file, int sampleRate, SilenceTrimmer trimmer, Consumer<String> notices)
      throws IOException {
    AudioClip clip = AudioFiles.load(file, sampleRate, notices);
    if (trimmer != null) {
      clip = trimmer.trim(clip, file.toString(), notices);
    }
    return MuLaw.encode(clip.samples());
  }

  /** The sample rate of every clip. */
  public int sampleRate() {
    return sampleRate;
  }

  /** The joined training stream; the live array, not to be modified. */
  int[] trainStream() {
    return train;
  }

  /** The number of samples in the training stream, gaps included. */
  public int trainSamples() {
    return train.length;
  }

  /** The number of training files that gave audio. */
  public int trainFiles() {
    return trainFiles;
  }

  /** The held-out clips, μ-law classes. */
  public List<int[]> valid() {
    return valid;
  }

  /** The held-out files' names, in the order of {@link #valid()}. */
  public List<String> validNames() {
    return validNames;
  }

  /** The held-out audio's length in samples. */
  public long validSamples() {
    long n = 0;
    for (int[] v : valid) {
      n += v.length;
    }
    return n;
  }

  /** For example "520 files, 24.1 min". */
  public String describeTrain() {
    return String.format(
        Locale.ROOT, "%d files, %.1f min", trainFiles, train.length / (60.0 * sampleRate));
  }
}
