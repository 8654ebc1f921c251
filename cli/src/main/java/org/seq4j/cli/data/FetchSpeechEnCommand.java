package org.seq4j.cli.data;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code seq4j data fetch speech-en}: Asterisk's English voice prompts from Debian's {@code
 * asterisk-core-sounds-en-wav}, for WaveNet on speech.
 */
@Command(
    name = "speech-en",
    mixinStandardHelpOptions = true,
    description = {
      "Debian's asterisk-core-sounds-en-wav: 568 English voice prompts, 8 kHz 16-bit mono, about"
          + " 25 minutes, one speaker, into DATA_DIR/speech-en/ (relative names kept), with a"
          + " held-out split (train.txt, valid.txt: CRC32 of the relative path mod 10 == 0).",
      "Uses `apt-get download` and `dpkg-deb -x` (no root needed)."
    })
public final class FetchSpeechEnCommand implements Callable<Integer> {
  @Mixin DataDirOption data = new DataDirOption();

  private final DebianPackage debian;

  /** Uses {@code apt-get} and {@code dpkg-deb} from the {@code PATH}. */
  public FetchSpeechEnCommand() {
    this(new DebianPackage());
  }

  FetchSpeechEnCommand(DebianPackage debian) {
    this.debian = debian;
  }

  @Override
  public Integer call() throws IOException {
    return WavDatasetFetch.run(WavDataset.SPEECH_EN, debian, data, System.out);
  }
}
