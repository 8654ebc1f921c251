package org.seq4j.io;

/**
 * The element types a safetensors header may name, with their sizes in bits. Only {@link #F32},
 * {@link #F16} and {@link #BF16} can be read; the others are known so that a file using them gets a
 * precise error rather than "unknown dtype".
 */
enum Dtype {
  BOOL(8),
  F4(4),
  F6_E2M3(6),
  F6_E3M2(6),
  U8(8),
  I8(8),
  F8_E5M2(8),
  F8_E4M3(8),
  F8_E8M0(8),
  I16(16),
  U16(16),
  F16(16),
  BF16(16),
  I32(32),
  U32(32),
  F32(32),
  F64(64),
  I64(64),
  U64(64),
  C64(64);

  private final int bits;

  Dtype(int bits) {
    this.bits = bits;
  }

  /** Size of one element in bits. */
  int bits() {
    return bits;
  }

  /** Whether seq4j can read tensors of this type (converting them to float32). */
  boolean readable() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The dtype with this exact header name, or null if there is none. */
  static Dtype fromHeaderName(String name) {
    try {
      return valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
