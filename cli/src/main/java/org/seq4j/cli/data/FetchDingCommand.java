package org.seq4j.cli.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.seq4j.io.StrictUtf8;
import org.seq4j.nmt.CorpusSplits;
import org.seq4j.nmt.DingCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code seq4j data fetch ding-de-en}: German–English sentence pairs from the Ding dictionary as
 * {@code DATA_DIR/ding-de-en/{train,dev,test}.tsv}.
 */
@Command(
    name = "ding-de-en",
    mixinStandardHelpOptions = true,
    description = {
      "German-English sentence pairs from the Ding dictionary (Debian's trans-de-en, GPL-2+) as"
          + " DATA_DIR/ding-de-en/{train,dev,test}.tsv: source TAB target TAB id.",
      "Split by CRC-32 of the German sentence mod 100: 0-1 test, 2-3 dev, 4-99 train.",
      "Uses `apt-get download` and `dpkg-deb -x` (no root needed)."
    })
public final class FetchDingCommand implements Callable<Integer> {
  /** The data set's name and folder. */
  public static final String NAME = "ding-de-en";

  @Mixin DataDirOption data = new DataDirOption();

  private final DebianPackage debian;

  /** Uses {@code apt-get} and {@code dpkg-deb} from the {@code PATH}. */
  public FetchDingCommand() {
    this(new DebianPackage());
  }

  FetchDingCommand(DebianPackage debian) {
    this.debian = debian;
  }

  @Override
  public Integer call() throws IOException {
    Path out = data.datasetDir(NAME);
    return DebianFetch.run(
        "seq4j-ding-",
        System.out,
        work -> {
          DebianPackage.Unpacked pkg = debian.fetch(DingCorpus.PACKAGE, work);
          Path file = pkg.root().resolve(DingCorpus.FILE);
          DingCorpus.Result result = DingCorpus.build(StrictUtf8.readLines(file));
          CorpusSplits splits = result.splits();
          splits.write(out);
          Files.writeString(
              out.resolve("sources.txt"),
              "# seq4j data fetch "
                  + NAME
                  + "\nsource\tDebian package "
                  + pkg.name()
                  + " "
                  + pkg.version()
                  + ", /"
                  + DingCorpus.FILE.toString().replace('\\', '/')
                  + " (Ding, Frank Richter, TU Chemnitz, GPL-2+)\n"
                  + "split\tCRC-32 of the German sentence mod 100: 0-1 test, 2-3 dev, 4-99 train\n");
          System.out.println("seq4j data fetch " + NAME);
          System.out.printf(Locale.ROOT, "  package   %s %s%n", pkg.name(), pkg.version());
          System.out.printf(
              Locale.ROOT,
              "  entries   %,d (%,d skipped: sides with different sub-entry counts; %d malformed);"
                  + " %,d aligned sub-entries%n",
              result.entries(),
              result.mismatched(),
              result.malformed(),
              result.subEntries());
          System.out.printf(
              Locale.ROOT,
              "  sentences %,d pairs (both sides: >= 3 words and final . ! ?), %,d repeats dropped%n",
              splits.size(),
              result.duplicates());
          DebianFetch.printSplits(System.out, splits, out);
        });
  }
}
