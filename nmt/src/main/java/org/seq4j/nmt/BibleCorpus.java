package org.seq4j.nmt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.seq4j.text.OsisText;
import org.seq4j.text.SentencePair;
import org.seq4j.text.Versification;
import org.seq4j.text.ZTextReader;

/**
 * The verse-aligned English–Spanish Bible: the King James Version (SWORD module {@code
 * engKJV2006eb}, Debian package {@code sword-text-kjv}) and the Reina-Valera 1909 ({@code
 * spaRV1909eb}, {@code sword-text-sparv}), both public domain and both in the KJV versification.
 *
 * <p>Verses are aligned by key (book, chapter, verse) and reduced to plain text with {@link
 * OsisText}. A pair whose source or target is empty (a verse one translation numbers differently or
 * leaves out) is dropped. The split is by book: test = the Gospel of John; dev = Ruth, Jonah and
 * Philippians; train = every other book.
 */
public final class BibleCorpus {
  /** The Debian package of the King James Version. */
  public static final String KJV_PACKAGE = "sword-text-kjv";

  /** Its SWORD module. */
  public static final String KJV_MODULE = "engKJV2006eb";

  /** The Debian package of the Reina-Valera 1909. */
  public static final String RV_PACKAGE = "sword-text-sparv";

  /** Its SWORD module. */
  public static final String RV_MODULE = "spaRV1909eb";

  /** Where SWORD packages keep zText modules, relative to the unpacked root. */
  public static final Path ZTEXT_DIR =
      Path.of("usr", "share", "sword", "modules", "texts", "ztext");

  /** The test books. */
  public static final Set<String> TEST_BOOKS = Set.of("John");

  /** The development books. */
  public static final Set<String> DEV_BOOKS = Set.of("Ruth", "Jonah", "Phil");

  private BibleCorpus() {}

  /**
   * What {@link #build} made.
   *
   * @param splits the aligned pairs, split by book
   * @param verses the verses of the versification
   * @param emptySource the verse ids dropped because the source text is empty
   * @param emptyTarget the verse ids dropped because the target text is empty (and the source not)
   */
  public record Result(
      CorpusSplits splits, int verses, List<String> emptySource, List<String> emptyTarget) {
    public Result {
      emptySource = List.copyOf(emptySource);
      emptyTarget = List.copyOf(emptyTarget);
    }

    /** The number of pairs dropped. */
    public int dropped() {
      return emptySource.size() + emptyTarget.size();
    }
  }

  /** The split a book belongs to: {@code test}, {@code dev} or {@code train}. */
  public static String splitOf(String osisBookId) {
    return TEST_BOOKS.contains(osisBookId)
        ? "test"
        : DEV_BOOKS.contains(osisBookId) ? "dev" : "train";
  }

  /**
   * Reads two zText modules in the KJV versification and aligns their verses.
   *
   * @param sourceModule the folder of the source module (English: {@code engKJV2006eb})
   * @param targetModule the folder of the target module (Spanish: {@code spaRV1909eb})
   */
  public static Result build(Path sourceModule, Path targetModule) throws IOException {
    Versification kjv = Versification.kjv();
    Map<Versification.VerseKey, String> source = new ZTextReader(sourceModule, kjv).readVerses();
    Map<Versification.VerseKey, String> target = new ZTextReader(targetModule, kjv).readVerses();
    List<SentencePair> train = new ArrayList<>();
    List<SentencePair> dev = new ArrayList<>();
    List<SentencePair> test = new ArrayList<>();
    List<String> emptySource = new ArrayList<>();
    List<String> emptyTarget = new ArrayList<>();
    int verses = 0;
    for (Versification.Testament t : Versification.Testament.values()) {
      for (Versification.VerseKey key : kjv.verses(t)) {
        verses++;
        String s = OsisText.plain(source.getOrDefault(key, ""));
        String g = OsisText.plain(target.getOrDefault(key, ""));
        if (s.isEmpty()) {
          emptySource.add(key.osisRef());
          continue;
        }
        if (g.isEmpty()) {
          emptyTarget.add(key.osisRef());
          continue;
        }
        SentencePair pair = new SentencePair(s, g, key.osisRef());
        switch (splitOf(key.book().osisId())) {
          case "test" -> test.add(pair);
          case "dev" -> dev.add(pair);
          default -> train.add(pair);
        }
      }
    }
    return new Result(new CorpusSplits(train, dev, test), verses, emptySource, emptyTarget);
  }
}
