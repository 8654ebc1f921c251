package org.seq4j.cli.data;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code seq4j data fetch music-moh}: Asterisk's music on hold from Debian's {@code
 * asterisk-moh-opsound-wav}, for WaveNet on music.
 */
@Command(
    name = "music-moh",
    mixinStandardHelpOptions = true,
    description = {
      "Debian's asterisk-moh-opsound-wav: 5 pieces of music on hold, 8 kHz 16-bit mono, about 18"
          + " minutes, into DATA_DIR/music-moh/, with a held-out split (train.txt, valid.txt)"
          + " by the same rule as speech-en.",
      "Uses `apt-get download` and `dpkg-deb -x` (no root needed)."
    })
public final class FetchMusicMohCommand implements Callable<Integer> {
  @Mixin DataDirOption data = new DataDirOption();

  private final DebianPackage debian;

  /** Uses {@code apt-get} and {@code dpkg-deb} from the {@code PATH}. */
  public FetchMusicMohCommand() {
    this(new DebianPackage());
  }

  FetchMusicMohCommand(DebianPackage debian) {
    this.debian = debian;
  }

  @Override
  public Integer call() throws IOException {
    return WavDatasetFetch.run(WavDataset.MUSIC_MOH, debian, data, System.out);
  }
}
