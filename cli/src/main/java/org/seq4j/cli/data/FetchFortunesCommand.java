package org.seq4j.cli.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code seq4j data fetch fortunes}: the quotes of Debian's {@code fortunes} package as one text
 * file, {@code DATA_DIR/fortunes/fortunes.txt}, for the character language model.
 */
@Command(
    name = "fortunes",
    mixinStandardHelpOptions = true,
    description = {
      "Debian's fortunes package (about 14,000 quotes, 2.5 MB of English) as one UTF-8 file,"
          + " DATA_DIR/fortunes/fortunes.txt, quotes separated by '%%' lines.",
      "Uses `apt-get download` and `dpkg-deb -x` (no root needed)."
    })
public final class FetchFortunesCommand implements Callable<Integer> {
  @Mixin DataDirOption data = new DataDirOption();

  private final DebianPackage debian;

  /** Uses {@code apt-get} and {@code dpkg-deb} from the {@code PATH}. */
  public FetchFortunesCommand() {
    this(new DebianPackage());
  }

  FetchFortunesCommand(DebianPackage debian) {
    this.debian = debian;
  }

  @Override
  public Integer call() throws IOException {
    Path out = data.datasetDir(FortunesDataset.PACKAGE);
    return DebianFetch.run(
        "seq4j-fortunes-",
        System.out,
        work -> {
          DebianPackage.Unpacked pkg = debian.fetch(FortunesDataset.PACKAGE, work);
          Path quoteDir = pkg.root().resolve(FortunesDataset.QUOTE_DIR);
          String origin =
              "Debian package "
                  + pkg.name()
                  + " "
                  + pkg.version()
                  + ", /"
                  + FortunesDataset.QUOTE_DIR.toString().replace('\\', '/')
                  + "/";
          FortunesDataset.Result result = FortunesDataset.assemble(quoteDir, out, origin);
          System.out.println("seq4j data fetch fortunes");
          System.out.printf(
              Locale.ROOT,
              "  package   %s %s (apt-get download, dpkg-deb -x)%n",
              pkg.name(),
              pkg.version());
          System.out.printf(
              Locale.ROOT,
              "  files     %d quote files from /%s/, in name order: %s%n",
              result.sources().size(),
              FortunesDataset.QUOTE_DIR.toString().replace('\\', '/'),
              result.sources().stream()
                  .map(FortunesDataset.Source::name)
                  .collect(Collectors.joining(", ")));
          System.out.printf(Locale.ROOT, "  quotes    %,d%n", result.quotes());
          System.out.printf(
              Locale.ROOT, "  wrote     %s (%,d bytes)%n", result.text(), result.bytes());
          System.out.printf(
              Locale.ROOT, "            %s (the source files)%n", result.sourcesFile());
        });
  }
}
