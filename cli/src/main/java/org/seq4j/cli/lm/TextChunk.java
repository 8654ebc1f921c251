package org.seq4j.cli.lm;

/**
 * {@code length} consecutive characters of each of {@code streams} parallel streams, and the
 * characters that follow each of them.
 *
 * @param streams the number of streams, B
 * @param length the number of characters per stream, T
 * @param inputs {@code [B, T]} ids, row-major
 * @param targets {@code [B, T]} ids: each input's next character
 */
public record TextChunk(int streams, int length, long[] inputs, long[] targets) {}
