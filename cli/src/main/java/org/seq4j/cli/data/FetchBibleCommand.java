package org.seq4j.cli.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.seq4j.nmt.BibleCorpus;
import org.seq4j.nmt.CorpusSplits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code seq4j data fetch bible-en-es}: the verse-aligned King James Version and Reina-Valera 1909
 * as {@code DATA_DIR/bible-en-es/{train,dev,test}.tsv}.
 */
@Command(
    name = "bible-en-es",
    mixinStandardHelpOptions = true,
    description = {
      "The King James Version (English) and the Reina-Valera 1909 (Spanish), verse-aligned, from"
          + " Debian's sword-text-kjv and sword-text-sparv (public domain), as"
          + " DATA_DIR/bible-en-es/{train,dev,test}.tsv: source TAB target TAB verse id.",
      "Test = John; dev = Ruth, Jonah, Philippians; train = every other book.",
      "Uses `apt-get download` and `dpkg-deb -x` (no root needed)."
    })
public final class FetchBibleCommand implements Callable<Integer> {
  /** The data set's name and folder. */
  public static final String NAME = "bible-en-es";

  @Mixin DataDirOption data = new DataDirOption();

  private final DebianPackage debian;

  /** Uses {@code apt-get} and {@code dpkg-deb} from the {@code PATH}. */
  public FetchBibleCommand() {
    this(new DebianPackage());
  }

  FetchBibleCommand(DebianPackage debian) {
    this.debian = debian;
  }

  @Override
  public Integer call() throws IOException {
    Path out = data.datasetDir(NAME);
    return DebianFetch.run(
        "seq4j-bible-",
        System.out,
        work -> {
          DebianPackage.Unpacked kjv = debian.fetch(BibleCorpus.KJV_PACKAGE, work.resolve("kjv"));
          DebianPackage.Unpacked rv = debian.fetch(BibleCorpus.RV_PACKAGE, work.resolve("rv"));
          Path kjvModule =
              kjv.root().resolve(BibleCorpus.ZTEXT_DIR).resolve(BibleCorpus.KJV_MODULE);
          Path rvModule = rv.root().resolve(BibleCorpus.ZTEXT_DIR).resolve(BibleCorpus.RV_MODULE);
          BibleCorpus.Result result = BibleCorpus.build(kjvModule, rvModule);
          CorpusSplits splits = result.splits();
          splits.write(out);
          writeSources(out, kjv, rv, result);
          System.out.println("seq4j data fetch " + NAME);
          System.out.printf(
              Locale.ROOT,
              "  packages  %s %s (%s), %s %s (%s)%n",
              kjv.name(),
              kjv.version(),
              BibleCorpus.KJV_MODULE,
              rv.name(),
              rv.version(),
              BibleCorpus.RV_MODULE);
          System.out.printf(
              Locale.ROOT,
              "  verses    %,d in the KJV versification; %,d aligned pairs; dropped %,d (empty English"
                  + " %,d, empty Spanish %,d%s)%n",
              result.verses(),
              splits.size(),
              result.dropped(),
              result.emptySource().size(),
              result.emptyTarget().size(),
              result.dropped() == 0 ? "" : ": " + preview(result));
          DebianFetch.printSplits(System.out, splits, out);
        });
  }

  private static String preview(BibleCorpus.Result result) {
    List<String> ids = new java.util.ArrayList<>(result.emptySource());
    ids.addAll(result.emptyTarget());
    return ids.size() <= 8 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 8)) + ", …";
  }

  private static void writeSources(
      Path out, DebianPackage.Unpacked kjv, DebianPackage.Unpacked rv, BibleCorpus.Result result)
      throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("# seq4j data fetch ").append(NAME).append('\n');
    s.append("source\tDebian package ")
        .append(kjv.name())
        .append(' ')
        .append(kjv.version())
        .append(", SWORD module ")
        .append(BibleCorpus.KJV_MODULE)
        .append(" (King James Version, public domain)\n");
    s.append("target\tDebian package ")
        .append(rv.name())
        .append(' ')
        .append(rv.version())
        .append(", SWORD module ")
        .append(BibleCorpus.RV_MODULE)
        .append(" (Reina-Valera 1909, public domain)\n");
    s.append("split\ttest = John; dev = Ruth, Jonah, Philippians; train = every other book\n");
    for (String name : CorpusSplits.NAMES) {
      s.append(name).append('\t').append(result.splits().split(name).size()).append(" pairs\n");
    }
    s.append("dropped, empty source\t").append(String.join(" ", result.emptySource())).append('\n');
    s.append("dropped, empty target\t").append(String.join(" ", result.emptyTarget())).append('\n');
    Files.writeString(out.resolve("sources.txt"), s.toString());
  }
}
