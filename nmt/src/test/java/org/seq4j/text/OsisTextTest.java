package org.seq4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Verses as the SWORD modules store them (engKJV2006eb, spaRV1909eb), and their plain text. */
class OsisTextTest {

  @Test
  void strongsNumbersAndNotesAreRemoved() {
    String gen14 =
        "And <w lemma=\"strong:H0430\">God</w> <w lemma=\"strong:H7200\">saw</w> the <w"
            + " lemma=\"strong:H0216\">light</w>, <w lemma=\"strong:H3588\">that</w> <transChange"
            + " type=\"added\">it was</transChange> <w lemma=\"strong:H2896\">good</w>.<note"
            + " placement=\"foot\"><reference type=\"annotateRef\">1.4 </reference>the light"
            + " from…: Heb. between the light and between the darkness</note>  <div eID=\"gen4\""
            + " type=\"x-p\"/>";
    assertEquals("And God saw the light, that it was good.", OsisText.plain(gen14));
  }

  @Test
  void milestonesQuotesAndPilcrowsGo() {
    String john316 =
        "<div type=\"x-milestone\" subType=\"x-preverse\" sID=\"pv5746\"/><div sID=\"gen8359\""
            + " type=\"x-p\"/> <div type=\"x-milestone\" subType=\"x-preverse\""
            + " eID=\"pv5746\"/><q marker=\"\" who=\"Jesus\">¶ <w lemma=\"strong:G1063\">For</w>"
            + " <w lemma=\"strong:G2316\">God</w> <w lemma=\"strong:G3779\">so</w> <w"
            + " lemma=\"strong:G0025\">loved</w> <w lemma=\"strong:G2889\">the world</w>.</q> ";
    assertEquals("For God so loved the world.", OsisText.plain(john316));
  }

  @Test
  void canonicalTitlesStayOtherTitlesGo() {
    String ps31 =
        "<title canonical=\"true\" type=\"psalm\">A <w lemma=\"strong:H4210\">Psalm</w> of"
            + " David.</title> <lg sID=\"gen2600\"/> <l level=\"1\" sID=\"gen2601\"/>"
            + "<divineName><w lemma=\"strong:H3068\">LORD</w></divineName>, how are they"
            + " increased! <l eID=\"gen2601\" level=\"1\"/>";
    assertEquals("A Psalm of David. LORD, how are they increased!", OsisText.plain(ps31));
    assertEquals(
        "In the beginning",
        OsisText.plain("<title type=\"section\">The Creation</title>In the beginning"));
    assertEquals("x", OsisText.plain("<title level=\"1\" type=\"main\">Genesis</title> x"));
  }

  @Test
  void usfmLeftoversAndEntitiesAreCleaned() {
    String exod1716 =
        "For he said, Because the \\nd <w lemma=\"strong:H3050\">LORD</w></divineName> hath"
            + " sworn";
    assertEquals("For he said, Because the LORD hath sworn", OsisText.plain(exod1716));
    assertEquals(
        "a & b < c \"d\" é 😀", OsisText.plain("a &amp; b &lt; c &quot;d&quot; &#233; &#x1F600;"));
    assertEquals("", OsisText.plain("<note>only a note</note> <chapter eID=\"Gen.1\"/>"));
  }
}
