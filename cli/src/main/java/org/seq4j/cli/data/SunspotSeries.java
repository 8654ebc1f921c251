package org.seq4j.cli.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * The yearly sunspot numbers of 1700–2008 as statsmodels ships them ({@code sunspots.csv} of
 * Debian's {@code python3-statsmodels}; NGDC, public domain): a header {@code
 * "YEAR","SUNACTIVITY"}, then one row {@code year,value} per year.
 *
 * <p>The series is yearly, not monthly: the package holds no monthly sunspot series. Its values are
 * the yearly means of the (original, version 1) international sunspot number.
 *
 * <p>The reader is strict: the header must be exactly the one above, every row two fields, the
 * years consecutive integers, the values finite non-negative numbers; a file that breaks a rule is
 * refused with the line number and the reason.
 */
public final class SunspotSeries {
  /** The data set's name and folder. */
  public static final String NAME = "sunspots";

  /** The Debian package. */
  public static final String PACKAGE = "python3-statsmodels";

  /** Where the package keeps the CSV, relative to the unpacked root. */
  public static final Path CSV_IN_PACKAGE =
      Path.of("usr/lib/python3/dist-packages/statsmodels/datasets/sunspots/sunspots.csv");

  /** The CSV written into the data set's folder. */
  public static final String CSV_FILE = "sunspots.csv";

  /** Where the CSV came from, written next to it. */
  public static final String SOURCES_FILE = "sources.txt";

  /** The first line of the file. */
  public static final String HEADER = "\"YEAR\",\"SUNACTIVITY\"";

  /** The fewest years a file must hold: a few solar cycles of about 11 years. */
  public static final int MIN_YEARS = 50;

  private final int firstYear;
  private final double[] values;

  private SunspotSeries(int firstYear, double[] values) {
    this.firstYear = firstYear;
    this.values = values;
  }

  /** The CSV of the data set in {@code dataDir} ({@code dataDir/sunspots/sunspots.csv}). */
  public static Path csv(DataDirOption dataDir) {
    return dataDir.datasetDir(NAME).resolve(CSV_FILE);
  }

  /**
   * Reads and checks {@code csv}.
   *
   * @throws IOException naming the file and the fix when it is missing, or the line and the reason
   *     when it breaks a rule of the format
   */
  public static SunspotSeries read(Path csv) throws IOException {
    if (!Files.isRegularFile(csv)) {
      throw new FileNotFoundException(
          "no sunspot series at "
              + csv
              + ": run `seq4j data fetch sunspots` first (it writes DATA_DIR/sunspots/"
              + CSV_FILE
              + ")");
    }
    return parse(Utf8Files.read(csv), csv.toString());
  }

  /**
   * Parses the text of a sunspot CSV; {@code source} names it in errors. Lines may end in LF or
   * CRLF; the last one may lack its line end.
   */
  public static SunspotSeries parse(String text, String source) throws IOException {
    String[] lines = text.split("\n", -1);
    int count = lines.length;
    if (count > 0 && lines[count - 1].isEmpty()) {
      count--; // the line end of the last row
    }
    if (count == 0 || !strip(lines[0]).equals(HEADER)) {
      throw new IOException(
          source
              + ": line 1 must be the header "
              + HEADER
              + ", found "
              + (count == 0 ? "an empty file" : quote(strip(lines[0]))));
    }
    int rows = count - 1;
    if (rows < MIN_YEARS) {
      throw new IOException(
          source
              + ": "
              + rows
              + " rows of data; a sunspot series needs at least "
              + MIN_YEARS
              + " years");
    }
    double[] values = new double[rows];
    int first = 0;
    for (int i = 0; i < rows; i++) {
      int lineNo = i + 2;
      String line = strip(lines[i + 1]);
      String[] fields = line.split(",", -1);
      if (fields.length != 2) {
        throw new IOException(
            source
                + ": line "
                + lineNo
                + " must be YEAR,SUNACTIVITY (2 fields), found "
                + quote(line));
      }
      int year;
      try {
        year = Integer.parseInt(fields[0]);
      } catch (NumberFormatException e) {
        throw new IOException(
            source + ": line " + lineNo + ": the year " + quote(fields[0]) + " is not an integer");
      }
      if (i == 0) {
        first = year;
      } else if (year != first + i) {
        throw new IOException(
            source
                + ": line "
                + lineNo
                + ": year "
                + year
                + " follows "
                + (first + i - 1)
                + "; the series must hold consecutive years, one row each");
      }
      double value = number(fields[1]);
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IOException(
            source
                + ": line "
                + lineNo
                + ": the value "
                + quote(fields[1])
                + " for "
                + year
                + " is not a finite non-negative number");
      }
      values[i] = value;
    }
    return new SunspotSeries(first, values);
  }

  /** A decimal number (digits, optional point and fraction), or NaN for anything else. */
  private static double number(String field) {
    if (!field.matches("[0-9]+(\\.[0-9]+)?")) {
      return Double.NaN;
    }
    return Double.parseDouble(field);
  }

  private static String strip(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static String quote(String s) {
    return "'" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
  }

  /** The first year. */
  public int firstYear() {
    return firstYear;
  }

  /** The last year. */
  public int lastYear() {
    return firstYear + values.length - 1;
  }

  /** The number of years. */
  public int size() {
    return values.length;
  }

  /** The value of {@code year}. */
  public double value(int year) {
    if (year < firstYear || year > lastYear()) {
      throw new IndexOutOfBoundsException(
          "year " + year + " is outside the series " + firstYear + "-" + lastYear());
    }
    return values[year - firstYear];
  }

  /** The values, from the first year to the last (a copy). */
  public double[] values() {
    return values.clone();
  }

  /**
   * What {@link #install} wrote.
   *
   * @param csv the copied CSV
   * @param sourcesFile the file naming where it came from
   * @param series the series read from it
   * @param bytes the size of the CSV
   */
  public record Installed(Path csv, Path sourcesFile, SunspotSeries series, long bytes) {}

  /**
   * Checks {@code csvFile} and copies it, unchanged, into {@code outDir}, with a {@code
   * sources.txt} that starts with {@code origin}.
   */
  public static Installed install(Path csvFile, Path outDir, String origin) throws IOException {
    if (!Files.isRegularFile(csvFile)) {
      throw new IOException("no sunspot CSV " + csvFile + " in the unpacked package");
    }
    SunspotSeries series = parse(Utf8Files.read(csvFile), csvFile.toString());
    Files.createDirectories(outDir);
    Path csv = outDir.resolve(CSV_FILE);
    Path tmp = outDir.resolve(CSV_FILE + ".tmp");
    Files.copy(csvFile, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    double[] v = series.values;
    String sources =
        String.format(
            Locale.ROOT,
            "# seq4j data fetch %s%nsource\t%s (NGDC, public domain)%n"
                + "series\tyearly sunspot numbers, %d-%d, %d rows, min %.1f, max %.1f"
                + " (yearly, not monthly: the package ships no monthly series)%n",
            NAME,
            origin,
            series.firstYear(),
            series.lastYear(),
            series.size(),
            Arrays.stream(v).min().orElse(0),
            Arrays.stream(v).max().orElse(0));
    Path sourcesFile = outDir.resolve(SOURCES_FILE);
    Files.writeString(sourcesFile, sources);
    return new Installed(csv, sourcesFile, series, Files.size(csv));
  }
}
