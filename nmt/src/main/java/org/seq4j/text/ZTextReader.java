package org.seq4j.text;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the verses of a SWORD Bible module stored with the {@code zText} driver ({@code
 * ModDrv=zText}, {@code CompressType=ZIP}), without the SWORD library. Each testament has three
 * files, {@code ot.*} and {@code nt.*}:
 *
 * <ul>
 *   <li>{@code .bzs}, the block index: per compressed block, three little-endian uint32: the
 *       block's offset in {@code .bzz}, its compressed size and its uncompressed size;
 *   <li>{@code .bzv}, the verse index: per entry, 10 bytes: the block number (uint32), the offset
 *       of the entry's text in the uncompressed block (uint32) and its length (uint16);
 *   <li>{@code .bzz}, the zlib-compressed blocks.
 * </ul>
 *
 * <p>The verse index has one entry per key of the versification, in order: the module heading, the
 * testament heading, then for each book its introduction, and for each chapter its heading followed
 * by its verses (SWORD's {@code VerseKey} index, {@code zverse.cpp}). A length of 0 is an empty
 * entry. The text is returned as stored (OSIS markup for the modules read here; see {@link
 * OsisText}).
 */
public final class ZTextReader {
  private static final int BLOCK_ENTRY = 12;
  private static final int VERSE_ENTRY = 10;

  private final Path moduleDir;
  private final Versification versification;

  /**
   * A reader of the module in {@code moduleDir} (the folder holding {@code ot.bzs} etc.).
   *
   * @param versification the module's versification (its {@code .conf} names it)
   */
  public ZTextReader(Path moduleDir, Versification versification) {
    this.moduleDir = moduleDir;
    this.versification = versification;
  }

  /**
   * The text of every verse of the module, in canonical order (an absent testament gives no verses;
   * an empty entry gives an empty string).
   *
   * @throws IOException when a file is missing or malformed, or the verse index does not fit the
   *     versification
   */
  public Map<Versification.VerseKey, String> readVerses() throws IOException {
    Map<Versification.VerseKey, String> out = new LinkedHashMap<>();
    for (Versification.Testament t : Versification.Testament.values()) {
      String prefix = t.name().toLowerCase(java.util.Locale.ROOT);
      Path bzs = moduleDir.resolve(prefix + ".bzs");
      if (!Files.exists(bzs) && t == Versification.Testament.OT) {
        continue; // a New-Testament-only module
      }
      readTestament(t, prefix, out);
    }
    if (out.isEmpty()) {
      throw new FileNotFoundException("no zText files (ot.bzs, nt.bzs) in " + moduleDir);
    }
    return out;
  }

  private void readTestament(
      Versification.Testament testament, String prefix, Map<Versification.VerseKey, String> out)
      throws IOException {
    ByteBuffer blocks = littleEndian(moduleDir.resolve(prefix + ".bzs"));
    ByteBuffer index = littleEndian(moduleDir.resolve(prefix + ".bzv"));
    byte[] data = readFile(moduleDir.resolve(prefix + ".bzz"));
    int entries = index.remaining() / VERSE_ENTRY;
    int expected = 2;
    for (Versification.Book b : versification.books(testament)) {
      expected += 1 + b.chapters();
      for (int c = 1; c <= b.chapters(); c++) {
        expected += b.verses(c);
      }
    }
    if (index.remaining() % VERSE_ENTRY != 0 || entries != expected) {
      throw new IOException(
          moduleDir.resolve(prefix + ".bzv")
              + " has "
              + index.remaining()
              + " bytes; the versification needs "
              + expected
              + " entries of "
              + VERSE_ENTRY
              + " bytes (another versification?)");
    }
    BlockCache cache = new BlockCache(blocks, data, moduleDir.resolve(prefix + ".bzz"));
    int entry = 2; // the module and testament headings
    for (Versification.Book b : versification.books(testament)) {
      entry++; // the book's introduction
      for (int c = 1; c <= b.chapters(); c++) {
        entry++; // the chapter heading
        for (int v = 1; v <= b.verses(c); v++) {
          out.put(new Versification.VerseKey(b, c, v), text(index, entry++, cache));
        }
      }
    }
  }

  private static String text(ByteBuffer index, int entry, BlockCache cache) throws IOException {
    int at = entry * VERSE_ENTRY;
    long block = Integer.toUnsignedLong(index.getInt(at));
    long offset = Integer.toUnsignedLong(index.getInt(at + 4));
    int size = Short.toUnsignedInt(index.getShort(at + 8));
    if (size == 0) {
      return "";
    }
    byte[] raw = cache.block(block);
    if (offset + size > raw.length) {
      throw new IOException(
          "verse entry " + entry + " points past the end of block " + block + " in " + cache.file);
    }
    return new String(raw, (int) offset, size, StandardCharsets.UTF_8);
  }

  private static ByteBuffer littleEndian(Path file) throws IOException {
    return ByteBuffer.wrap(readFile(file)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] readFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException("no zText file " + file);
    }
    return Files.readAllBytes(file);
  }

  /** Inflates blocks on demand and keeps the last one (verses are read in order). */
  private static final class BlockCache {
    private final ByteBuffer blocks;
    private final byte[] data;
    private final Path file;
    private long cachedBlock = -1;
    private byte[] cached;

    BlockCache(ByteBuffer blocks, byte[] data, Path file) {
      this.blocks = blocks;
      this.data = data;
      this.file = file;
    }

    byte[] block(long block) throws IOException {
      if (block == cachedBlock) {
        return cached;
      }
      if (block < 0 || (block + 1) * BLOCK_ENTRY > blocks.limit()) {
        throw new IOException("block " + block + " is not in the block index of " + file);
      }
      int at = (int) block * BLOCK_ENTRY;
      long offset = Integer.toUnsignedLong(blocks.getInt(at));
      long size = Integer.toUnsignedLong(blocks.getInt(at + 4));
      long uncompressed = Integer.toUnsignedLong(blocks.getInt(at + 8));
      if (offset + size > data.length) {
        throw new IOException("block " + block + " lies past the end of " + file);
      }
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(data, (int) offset, (int) size);
        byte[] out = new byte[(int) uncompressed];
        int n = 0;
        while (n < out.length && !inflater.finished()) {
          int got = inflater.inflate(out, n, out.length - n);
          if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            break;
          }
          n += got;
        }
        if (n != out.length) {
          throw new IOException(
              "block "
                  + block
                  + " of "
                  + file
                  + " inflates to "
                  + n
                  + " bytes, not "
                  + uncompressed);
        }
        cachedBlock = block;
        cached = out;
        return out;
      } catch (DataFormatException ex) {
        throw new IOException("block " + block + " of " + file + " is not zlib data", ex);
      } finally {
        inflater.end();
      }
    }
  }
}
