package org.seq4j.io;

import java.util.Arrays;

/**
 * One tensor as described by a safetensors header: its name, element type, shape, element count and
 * byte range within the data section.
 */
record TensorEntry(String name, Dtype dtype, long[] shape, long numel, long begin, long end) {

  /** The shape as {@code [2, 3]}. */
  String shapeText() {
    return Arrays.toString(shape);
  }

  /** The byte range as {@code [begin, end]}, as written in the header. */
  String offsetsText() {
    return "[" + begin + ", " + end + "]";
  }
}
