package org.seq4j.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plain text of a verse stored as OSIS markup (as in the SWORD modules made by osis2mod), for
 * translation:
 *
 * <ul>
 *   <li>notes ({@code <note>…</note>}: footnotes, cross references) are removed with their content;
 *   <li>titles ({@code <title>…</title>}: editorial section headings) are removed with their
 *       content, except canonical ones ({@code canonical="true"}, the Psalm superscriptions), which
 *       are part of the verse in the original and in translations that print them as plain text;
 *   <li>every other element keeps its text and loses its tags: words with Strong's numbers and
 *       morphology ({@code <w lemma="strong:H7225" morph="…">beginning</w>} → {@code beginning}),
 *       words added by the translators ({@code transChange}), the divine name, quotations,
 *       milestones, line groups;
 *   <li>USFM character markers left over from the conversion ({@code \nd …\nd*}, {@code \+nd*}) and
 *       the pilcrow paragraph marks ({@code ¶}) of the King James text are removed;
 *   <li>character entities are decoded ({@code &amp;}, {@code &lt;}, {@code &gt;}, {@code &quot;},
 *       {@code &apos;}, {@code &#NNN;}, {@code &#xHH;});
 *   <li>whitespace runs become one space, and the ends are trimmed.
 * </ul>
 */
public final class OsisText {
  private static final Pattern NOTE =
      Pattern.compile("<note\\b[^>]*/>|<note\\b[^>]*>.*?</note\\s*>", Pattern.DOTALL);
  private static final Pattern TITLE =
      Pattern.compile("<title\\b([^>]*)/>|<title\\b([^>]*)>(.*?)</title\\s*>", Pattern.DOTALL);
  private static final Pattern CANONICAL = Pattern.compile("\\bcanonical\\s*=\\s*\"true\"");
  private static final Pattern USFM_MARKER = Pattern.compile("\\\\\\+?[A-Za-z]+[0-9]*(\\*| ?)");
  private static final Pattern TAG = Pattern.compile("<[^<>]*>");
  private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z]+);");
  private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u2000-\\u200B\\u3000]+");

  private OsisText() {}

  /** The plain text of {@code osis}. */
  public static String plain(String osis) {
    String s = NOTE.matcher(osis).replaceAll(" ");
    s = removeTitles(s);
    s = USFM_MARKER.matcher(s).replaceAll("");
    s = TAG.matcher(s).replaceAll("");
    s = s.replace("¶", " ");
    s = decodeEntities(s);
    return SPACES.matcher(s).replaceAll(" ").strip();
  }

  private static String removeTitles(String s) {
    Matcher m = TITLE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String keep = "";
      if (m.group(3) != null && CANONICAL.matcher(m.group(2)).find()) {
        keep = " " + m.group(3) + " ";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(keep.isEmpty() ? " " : keep));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Decodes XML's five named entities and numeric character references; leaves others as they are.
   */
  static String decodeEntities(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = ENTITY.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String r =
          switch (e) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> numeric(e, m.group());
          };
      m.appendReplacement(out, Matcher.quoteReplacement(r));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String numeric(String e, String whole) {
    if (!e.startsWith("#")) {
      return whole;
    }
    try {
      int cp =
          e.startsWith("#x") || e.startsWith("#X")
              ? Integer.parseInt(e.substring(2), 16)
              : Integer.parseInt(e.substring(1));
      return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : whole;
    } catch (NumberFormatException ex) {
      return whole;
    }
  }
}
