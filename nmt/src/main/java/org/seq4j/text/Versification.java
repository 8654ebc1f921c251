package org.seq4j.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Bible versification: the books in canonical order with the number of verses of each chapter.
 * {@link #kjv()} is the KJV versification of the SWORD Project (66 books, 1,189 chapters, 31,102
 * verses), read from the resource {@code kjv-versification.tsv}, which names its source.
 */
public final class Versification {

  /**
   * The Old or the New Testament; SWORD keeps each in its own files ({@code ot.*}, {@code nt.*}).
   */
  public enum Testament {
    OT,
    NT
  }

  /**
   * One book.
   *
   * @param osisId the OSIS book id ({@code Gen}, {@code John}, {@code 1Cor})
   * @param name the English name
   * @param testament the testament it belongs to
   * @param versesPerChapter the number of verses in chapters 1, 2, …
   */
  public record Book(String osisId, String name, Testament testament, int[] versesPerChapter) {
    public Book {
      versesPerChapter = versesPerChapter.clone();
    }

    /** The number of chapters. */
    public int chapters() {
      return versesPerChapter.length;
    }

    /** The number of verses in {@code chapter} (from 1). */
    public int verses(int chapter) {
      return versesPerChapter[chapter - 1];
    }

    @Override
    public int[] versesPerChapter() {
      return versesPerChapter.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Book b
          && b.osisId.equals(osisId)
          && b.testament == testament
          && Arrays.equals(b.versesPerChapter, versesPerChapter);
    }

    @Override
    public int hashCode() {
      return osisId.hashCode();
    }

    @Override
    public String toString() {
      return osisId;
    }
  }

  /**
   * A verse.
   *
   * @param book its book
   * @param chapter its chapter, from 1
   * @param verse its verse, from 1
   */
  public record VerseKey(Book book, int chapter, int verse) {
    /** The OSIS reference, {@code John.3.16}. */
    public String osisRef() {
      return book.osisId() + "." + chapter + "." + verse;
    }

    @Override
    public String toString() {
      return osisRef();
    }
  }

  private static final String KJV_RESOURCE = "kjv-versification.tsv";
  private static volatile Versification kjv;

  private final List<Book> books;

  /** A versification of {@code books}, in canonical order. */
  public Versification(List<Book> books) {
    this.books = List.copyOf(books);
  }

  /** The KJV versification. */
  public static Versification kjv() {
    Versification v = kjv;
    if (v == null) {
      try (InputStream in = Versification.class.getResourceAsStream(KJV_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("resource " + KJV_RESOURCE + " is missing");
        }
        v = parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      kjv = v;
    }
    return v;
  }

  /** Reads lines {@code osisId TAB name TAB ot|nt TAB verses verses ...}; {@code #} comments. */
  static Versification parse(BufferedReader in) throws IOException {
    List<Book> books = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      int[] verses = Arrays.stream(f[3].trim().split(" +")).mapToInt(Integer::parseInt).toArray();
      books.add(new Book(f[0], f[1], Testament.valueOf(f[2].toUpperCase()), verses));
    }
    return new Versification(books);
  }

  /** All books in canonical order. */
  public List<Book> books() {
    return books;
  }

  /** The books of one testament, in canonical order. */
  public List<Book> books(Testament testament) {
    return books.stream().filter(b -> b.testament() == testament).toList();
  }

  /** The book with OSIS id {@code osisId}. */
  public Optional<Book> book(String osisId) {
    return books.stream().filter(b -> b.osisId().equals(osisId)).findFirst();
  }

  /** The number of verses. */
  public int verseCount() {
    int n = 0;
    for (Book b : books) {
      for (int v : b.versesPerChapter) {
        n += v;
      }
    }
    return n;
  }

  /** Every verse of the testament, in order. */
  public List<VerseKey> verses(Testament testament) {
    List<VerseKey> out = new ArrayList<>();
    for (Book b : books(testament)) {
      for (int c = 1; c <= b.chapters(); c++) {
        for (int v = 1; v <= b.verses(c); v++) {
          out.add(new VerseKey(b, c, v));
        }
      }
    }
    return out;
  }
}
