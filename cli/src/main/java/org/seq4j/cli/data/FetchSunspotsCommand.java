package org.seq4j.cli.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code seq4j data fetch sunspots}: the yearly sunspot numbers of 1700–2008 that statsmodels
 * ships, from Debian's {@code python3-statsmodels}, as {@code DATA_DIR/sunspots/sunspots.csv}.
 */
@Command(
    name = "sunspots",
    mixinStandardHelpOptions = true,
    description = {
      "The YEARLY sunspot numbers 1700-2008 (309 rows; NGDC, public domain) that Debian's"
          + " python3-statsmodels ships, checked and copied to DATA_DIR/sunspots/sunspots.csv"
          + " (header \"YEAR\",\"SUNACTIVITY\"), with sources.txt.",
      "The package holds no monthly series, so this is the yearly one; its seasonal period is"
          + " the solar cycle of about 11 years (it varies from about 9 to 14).",
      "Uses `apt-get download` and `dpkg-deb -x` (no root needed)."
    })
public final class FetchSunspotsCommand implements Callable<Integer> {
  @Mixin DataDirOption data = new DataDirOption();

  private final DebianPackage debian;

  /** Uses {@code apt-get} and {@code dpkg-deb} from the {@code PATH}. */
  public FetchSunspotsCommand() {
    this(new DebianPackage());
  }

  FetchSunspotsCommand(DebianPackage debian) {
    this.debian = debian;
  }

  @Override
  public Integer call() throws IOException {
    Path out = data.datasetDir(SunspotSeries.NAME);
    return DebianFetch.run(
        "seq4j-sunspots-",
        System.out,
        work -> {
          DebianPackage.Unpacked pkg = debian.fetch(SunspotSeries.PACKAGE, work);
          String file = "/" + SunspotSeries.CSV_IN_PACKAGE.toString().replace('\\', '/');
          String origin = "Debian package " + pkg.name() + " " + pkg.version() + ", " + file;
          SunspotSeries.Installed result =
              SunspotSeries.install(pkg.root().resolve(SunspotSeries.CSV_IN_PACKAGE), out, origin);
          SunspotSeries s = result.series();
          System.out.println("seq4j data fetch " + SunspotSeries.NAME);
          System.out.printf(
              Locale.ROOT,
              "  package   %s %s (apt-get download, dpkg-deb -x)%n",
              pkg.name(),
              pkg.version());
          System.out.printf(Locale.ROOT, "  file      %s%n", file);
          System.out.printf(
              Locale.ROOT,
              "  series    %d years, %d-%d, yearly sunspot numbers from %.1f to %.1f"
                  + " (yearly, not monthly: the package ships no monthly series)%n",
              s.size(),
              s.firstYear(),
              s.lastYear(),
              Arrays.stream(s.values()).min().orElse(0),
              Arrays.stream(s.values()).max().orElse(0));
          System.out.printf(
              Locale.ROOT, "  wrote     %s (%,d bytes)%n", result.csv(), result.bytes());
          System.out.printf(Locale.ROOT, "            %s (the source)%n", result.sourcesFile());
        });
  }
}
