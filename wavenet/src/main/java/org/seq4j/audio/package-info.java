/**
 * Audio for sequence models, in plain Java: WAV reading and writing ({@link
 * org.seq4j.audio.WavReader}, {@link org.seq4j.audio.WavWriter}), band-limited resampling ({@link
 * org.seq4j.audio.Resampler}), μ-law companding to 256 classes ({@link org.seq4j.audio.MuLaw}),
 * silence trimming ({@link org.seq4j.audio.SilenceTrimmer}), a held-out split of a set of files
 * ({@link org.seq4j.audio.AudioSplit}) and short-time spectra ({@link
 * org.seq4j.audio.Spectrogram}).
 *
 * <p>Everything works on mono {@link org.seq4j.audio.AudioClip}s of float samples in [-1, 1].
 * Conversions that change the data (a mix-down, a bit depth other than 16-bit PCM or 32-bit float,
 * a new sample rate, a file that is all silence) are reported as one-line notices through a {@code
 * Consumer<String>} that the caller supplies; the library never prints.
 */
package org.seq4j.audio;
