package org.seq4j.wavenet;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix laid out for a batched matrix–vector product, {@code out[r] = base[r] + bias +
 * Wᵀ·x[r]} for a few rows {@code r} (the clips of a batch).
 *
 * <p>The output columns are cut into tiles of up to four vectors. A tile is stored input by input:
 * the weights of input {@code j} for the tile's columns are contiguous, and so are the tiles. The
 * kernel keeps a tile's accumulators in registers for one, two or four rows, broadcasts {@code
 * x[r][j]} and streams the weights once with one fused multiply-add per vector, so each weight load
 * serves every row of a pair. The inner loop has no reductions and reads memory in order.
 *
 * <p>Each output value is summed in the same order whichever kernel computes it ({@code base +
 * bias} first, then input 0, 1, …), so a clip's results do not depend on the batch it runs in.
 */
final class PackedMatrix {
  /** The vector shape of all kernels: the widest the machine has. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector. */
  static final int LANES = SPECIES.length();

  private static final int MAX_TILE_VECTORS = 4;

  /** One weight: the coefficient of input {@code j} in output {@code o} (0 for padding). */
  @FunctionalInterface
  interface Entry {
    float at(int j, int o);
  }

  private final int inputs;
  private final int outputs;
  private final float[] data;
  private final int offset;
  private final int[] tileColumn;
  private final int[] tileVectors;
  private final int[] tileStart;
  private final float[] zeros;

  private PackedMatrix(
      int inputs,
      int outputs,
      float[] data,
      int offset,
      int[] tileColumn,
      int[] tileVectors,
      int[] tileStart) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.data = data;
    this.offset = offset;
    this.tileColumn = tileColumn;
    this.tileVectors = tileVectors;
    this.tileStart = tileStart;
    this.zeros = new float[outputs];
  }

  /** {@code n} rounded up to whole vectors. */
  static int padded(int n) {
    return (n + LANES - 1) / LANES * LANES;
  }

  /**
   * Packs the {@code inputs × outputs} matrix given by {@code entry}; {@code outputs} must be a
   * whole number of vectors.
   */
  static PackedMatrix pack(int inputs, int outputs, Entry entry) {
    if (outputs % LANES != 0 || outputs <= 0 || inputs <= 0) {
      throw new IllegalArgumentException("bad packed shape " + inputs + " x " + outputs);
    }
    int vectors = outputs / LANES;
    int tiles = vectors / MAX_TILE_VECTORS;
    int rest = vectors % MAX_TILE_VECTORS;
    int count = tiles + Integer.bitCount(rest);
    int[] column = new int[count];
    int[] width = new int[count];
    int[] start = new int[count];
    int t = 0;
    int col = 0;
    for (; t < tiles; t++) {
      width[t] = MAX_TILE_VECTORS;
    }
    if ((rest & 2) != 0) {
      width[t++] = 2;
    }
    if ((rest & 1) != 0) {
      width[t++] = 1;
    }
    float[] data = new float[inputs * outputs];
    for (t = 0; t < count; t++) {
      column[t] = col;
      start[t] = col * inputs;
      int w = width[t] * LANES;
      for (int j = 0; j < inputs; j++) {
        for (int o = 0; o < w; o++) {
          data[start[t] + j * w + o] = entry.at(j, col + o);
        }
      }
      col += w;
    }
    return new PackedMatrix(inputs, outputs, data, 0, column, width, start);
  }

  int inputs() {
    return inputs;
  }

  int outputs() {
    return outputs;
  }

  /** The floats this matrix holds. */
  int size() {
    return inputs * outputs;
  }

  /** The same matrix, its weights copied into {@code arena} from {@code at}. */
  PackedMatrix copyInto(float[] arena, int at) {
    System.arraycopy(data, offset, arena, at, size());
    return new PackedMatrix(inputs, outputs, arena, at, tileColumn, tileVectors, tileStart);
  }

  /**
   * {@code out[r][o] = base[r][o] + bias[o] + Σ_j x[r][j]·W[j][o]} for {@code r < rows} and every
   * (padded) output {@code o}. Row {@code r} of an array starts at {@code off + r·stride}. {@code
   * base} may be null (then it counts as 0) and may be {@code out} itself.
   */
  void apply(
      int rows,
      float[] x,
      int xOff,
      int xStride,
      float[] base,
      int baseOff,
      int baseStride,
      float[] bias,
      float[] out,
      int outOff,
      int outStride) {
    apply(
        rows, x, xOff, xStride, base, baseOff, baseStride, bias, out, outOff, outStride, 0, inputs);
  }

  /**
   * Like {@link #apply(int, float[], int, int, float[], int, int, float[], float[], int, int)} over
   * inputs {@code from .. from + count − 1} only: {@code out[r][o] = base[r][o] + bias[o] + Σ_{j in
   * range} x[r][j]·W[j][o]}, where {@code x[r][j]} is still read at {@code xOff + r·xStride + j}.
   * The sums run in the same order, so a matrix applied to inputs {@code [0, m)} and then, with
   * that result as {@code base} and no bias, to {@code [m, inputs)} gives exactly what one call
   * over all inputs gives.
   */
  void apply(
      int rows,
      float[] x,
      int xOff,
      int xStride,
      float[] base,
      int baseOff,
      int baseStride,
      float[] bias,
      float[] out,
      int outOff,
      int outStride,
      int from,
      int count) {
    if (from < 0 || count < 0 || from + count > inputs) {
      throw new IllegalArgumentException(
          "inputs [" + from + ", " + (from + count) + ") outside [0, " + inputs + ")");
    }
    xOff += from;
    final int n = count;
    if (base == null) {
      base = zeros;
      baseOff = 0;
      baseStride = 0;
    }
    for (int t = 0; t < tileColumn.length; t++) {
      if (rows == 1
          && t + 1 < tileColumn.length
          && tileVectors[t] == 4
          && tileVectors[t + 1] == 4) {
        int c = tileColumn[t];
        tile8x1(
            offset + tileStart[t] + from * 4 * LANES,
            n,
            x,
            xOff,
            base,
            baseOff + c,
            bias,
            c,
            out,
            outOff + c);
        t++;
        continue;
      }
      int c = tileColumn[t];
      int p = offset + tileStart[t] + from * tileVectors[t] * LANES;
      int r = 0;
      if (tileVectors[t] == 4) {
        for (; r + 4 <= rows; r += 4) {
          tile4x4(
              p,
              n,
              x,
              xOff + r * xStride,
              xStride,
              base,
              baseOff + r * baseStride + c,
              baseStride,
              bias,
              c,
              out,
              outOff + r * outStride + c,
              outStride);
        }
      }
      for (; r + 2 <= rows; r += 2) {
        int x0 = xOff + r * xStride;
        int b0 = baseOff + r * baseStride + c;
        int o0 = outOff + r * outStride + c;
        switch (tileVectors[t]) {
          case 4 ->
              tile4x2(
                  p,
                  n,
                  x,
                  x0,
                  x0 + xStride,
                  base,
                  b0,
                  b0 + baseStride,
                  bias,
                  c,
                  out,
                  o0,
                  o0 + outStride);
          case 2 ->
              tile2x2(
                  p,
                  n,
                  x,
                  x0,
                  x0 + xStride,
                  base,
                  b0,
                  b0 + baseStride,
                  bias,
                  c,
                  out,
                  o0,
                  o0 + outStride);
          default ->
              tile1x2(
                  p,
                  n,
                  x,
                  x0,
                  x0 + xStride,
                  base,
                  b0,
                  b0 + baseStride,
                  bias,
                  c,
                  out,
                  o0,
                  o0 + outStride);
        }
      }
      if (r < rows) {
        int x0 = xOff + r * xStride;
        int b0 = baseOff + r * baseStride + c;
        int o0 = outOff + r * outStride + c;
        switch (tileVectors[t]) {
          case 4 -> tile4x1(p, n, x, x0, base, b0, bias, c, out, o0);
          case 2 -> tile2x1(p, n, x, x0, base, b0, bias, c, out, o0);
          default -> tile1x1(p, n, x, x0, base, b0, bias, c, out, o0);
        }
      }
    }
  }

  /**
   * {@code out[o] = bias[o] + Σ_j x[j]·W[j][o]} for one row, reading the weights of the inputs that
   * are not zero only: after a ReLU about half of them are, and a step of a large network is
   * limited by how many weights it reads. A zero input adds {@code 0·w}, which leaves every sum as
   * it is (finite weights), so the result is the one {@link #apply} gives: the other inputs are
   * summed in the same order.
   *
   * @param used scratch of at least {@link #inputs()} ints: the indices of the non-zero inputs
   * @param values scratch of at least {@link #inputs()} floats: their values
   */
  void applySparse(
      float[] x, int xOff, float[] bias, float[] out, int outOff, int[] used, float[] values) {
    int n = 0;
    for (int j = 0; j < inputs; j++) {
      float v = x[xOff + j];
      used[n] = j;
      values[n] = v;
      n += v != 0f ? 1 : 0;
    }
    for (int t = 0; t < tileColumn.length; t++) {
      int c = tileColumn[t];
      int p = offset + tileStart[t];
      int width = tileVectors[t] * LANES;
      if (t + 1 < tileColumn.length && tileVectors[t] == 4 && tileVectors[t + 1] == 4) {
        sparse8(p, n, used, values, bias, c, out, outOff + c);
        t++;
        continue;
      }
      for (int v = 0; v < width; v += LANES) {
        FloatVector a = FloatVector.zero(SPECIES).add(FloatVector.fromArray(SPECIES, bias, c + v));
        for (int k = 0; k < n; k++) {
          a =
              FloatVector.fromArray(SPECIES, data, p + used[k] * width + v)
                  .fma(FloatVector.broadcast(SPECIES, values[k]), a);
        }
        a.intoArray(out, outOff + c + v);
      }
    }
  }

  /** {@link #applySparse} over two adjacent four-vector tiles. */
  private void sparse8(
      int p, int n, int[] used, float[] values, float[] bias, int c, float[] out, int o0) {
    final float[] w = data;
    final int row = 4 * LANES;
    final int q = p + inputs * row;
    FloatVector zero = FloatVector.zero(SPECIES);
    FloatVector a0 = zero.add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a1 = zero.add(FloatVector.fromArray(SPECIES, bias, c + 1 * LANES));
    FloatVector a2 = zero.add(FloatVector.fromArray(SPECIES, bias, c + 2 * LANES));
    FloatVector a3 = zero.add(FloatVector.fromArray(SPECIES, bias, c + 3 * LANES));
    FloatVector a4 = zero.add(FloatVector.fromArray(SPECIES, bias, c + 4 * LANES));
    FloatVector a5 = zero.add(FloatVector.fromArray(SPECIES, bias, c + 5 * LANES));
    FloatVector a6 = zero.add(FloatVector.fromArray(SPECIES, bias, c + 6 * LANES));
    FloatVector a7 = zero.add(FloatVector.fromArray(SPECIES, bias, c + 7 * LANES));
    for (int k = 0; k < n; k++) {
      int pj = p + used[k] * row;
      int qj = q + used[k] * row;
      FloatVector v = FloatVector.broadcast(SPECIES, values[k]);
      a0 = FloatVector.fromArray(SPECIES, w, pj).fma(v, a0);
      a1 = FloatVector.fromArray(SPECIES, w, pj + 1 * LANES).fma(v, a1);
      a2 = FloatVector.fromArray(SPECIES, w, pj + 2 * LANES).fma(v, a2);
      a3 = FloatVector.fromArray(SPECIES, w, pj + 3 * LANES).fma(v, a3);
      a4 = FloatVector.fromArray(SPECIES, w, qj).fma(v, a4);
      a5 = FloatVector.fromArray(SPECIES, w, qj + 1 * LANES).fma(v, a5);
      a6 = FloatVector.fromArray(SPECIES, w, qj + 2 * LANES).fma(v, a6);
      a7 = FloatVector.fromArray(SPECIES, w, qj + 3 * LANES).fma(v, a7);
    }
    a0.intoArray(out, o0);
    a1.intoArray(out, o0 + 1 * LANES);
    a2.intoArray(out, o0 + 2 * LANES);
    a3.intoArray(out, o0 + 3 * LANES);
    a4.intoArray(out, o0 + 4 * LANES);
    a5.intoArray(out, o0 + 5 * LANES);
    a6.intoArray(out, o0 + 6 * LANES);
    a7.intoArray(out, o0 + 7 * LANES);
  }

  /** Four rows at once: each weight vector loaded once serves four clips. */
  private void tile4x4(
      int p,
      int n,
      float[] x,
      int x0,
      int xStride,
      float[] base,
      int b0,
      int baseStride,
      float[] bias,
      int c,
      float[] out,
      int o0,
      int outStride) {
    final float[] w = data;
    final int x1 = x0 + xStride;
    final int x2 = x1 + xStride;
    final int x3 = x2 + xStride;
    FloatVector a00 =
        FloatVector.fromArray(SPECIES, base, b0).add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a01 =
        FloatVector.fromArray(SPECIES, base, b0 + 1 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 1 * LANES));
    FloatVector a02 =
        FloatVector.fromArray(SPECIES, base, b0 + 2 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 2 * LANES));
    FloatVector a03 =
        FloatVector.fromArray(SPECIES, base, b0 + 3 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 3 * LANES));
    FloatVector a10 =
        FloatVector.fromArray(SPECIES, base, b0 + 1 * baseStride)
            .add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a11 =
        FloatVector.fromArray(SPECIES, base, b0 + 1 * baseStride + 1 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 1 * LANES));
    FloatVector a12 =
        FloatVector.fromArray(SPECIES, base, b0 + 1 * baseStride + 2 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 2 * LANES));
    FloatVector a13 =
        FloatVector.fromArray(SPECIES, base, b0 + 1 * baseStride + 3 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 3 * LANES));
    FloatVector a20 =
        FloatVector.fromArray(SPECIES, base, b0 + 2 * baseStride)
            .add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a21 =
        FloatVector.fromArray(SPECIES, base, b0 + 2 * baseStride + 1 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 1 * LANES));
    FloatVector a22 =
        FloatVector.fromArray(SPECIES, base, b0 + 2 * baseStride + 2 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 2 * LANES));
    FloatVector a23 =
        FloatVector.fromArray(SPECIES, base, b0 + 2 * baseStride + 3 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 3 * LANES));
    FloatVector a30 =
        FloatVector.fromArray(SPECIES, base, b0 + 3 * baseStride)
            .add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a31 =
        FloatVector.fromArray(SPECIES, base, b0 + 3 * baseStride + 1 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 1 * LANES));
    FloatVector a32 =
        FloatVector.fromArray(SPECIES, base, b0 + 3 * baseStride + 2 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 2 * LANES));
    FloatVector a33 =
        FloatVector.fromArray(SPECIES, base, b0 + 3 * baseStride + 3 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 3 * LANES));
    for (int j = 0; j < n; j++, p += 4 * LANES) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, w, p);
      FloatVector w1 = FloatVector.fromArray(SPECIES, w, p + 1 * LANES);
      FloatVector w2 = FloatVector.fromArray(SPECIES, w, p + 2 * LANES);
      FloatVector w3 = FloatVector.fromArray(SPECIES, w, p + 3 * LANES);
      FloatVector u0 = FloatVector.broadcast(SPECIES, x[x0 + j]);
      a00 = w0.fma(u0, a00);
      a01 = w1.fma(u0, a01);
      a02 = w2.fma(u0, a02);
      a03 = w3.fma(u0, a03);
      FloatVector u1 = FloatVector.broadcast(SPECIES, x[x1 + j]);
      a10 = w0.fma(u1, a10);
      a11 = w1.fma(u1, a11);
      a12 = w2.fma(u1, a12);
      a13 = w3.fma(u1, a13);
      FloatVector u2 = FloatVector.broadcast(SPECIES, x[x2 + j]);
      a20 = w0.fma(u2, a20);
      a21 = w1.fma(u2, a21);
      a22 = w2.fma(u2, a22);
      a23 = w3.fma(u2, a23);
      FloatVector u3 = FloatVector.broadcast(SPECIES, x[x3 + j]);
      a30 = w0.fma(u3, a30);
      a31 = w1.fma(u3, a31);
      a32 = w2.fma(u3, a32);
      a33 = w3.fma(u3, a33);
    }
    a00.intoArray(out, o0);
    a01.intoArray(out, o0 + 1 * LANES);
    a02.intoArray(out, o0 + 2 * LANES);
    a03.intoArray(out, o0 + 3 * LANES);
    a10.intoArray(out, o0 + 1 * outStride);
    a11.intoArray(out, o0 + 1 * outStride + 1 * LANES);
    a12.intoArray(out, o0 + 1 * outStride + 2 * LANES);
    a13.intoArray(out, o0 + 1 * outStride + 3 * LANES);
    a20.intoArray(out, o0 + 2 * outStride);
    a21.intoArray(out, o0 + 2 * outStride + 1 * LANES);
    a22.intoArray(out, o0 + 2 * outStride + 2 * LANES);
    a23.intoArray(out, o0 + 2 * outStride + 3 * LANES);
    a30.intoArray(out, o0 + 3 * outStride);
    a31.intoArray(out, o0 + 3 * outStride + 1 * LANES);
    a32.intoArray(out, o0 + 3 * outStride + 2 * LANES);
    a33.intoArray(out, o0 + 3 * outStride + 3 * LANES);
  }

  /** One row, two adjacent four-vector tiles read side by side: two weight streams in flight. */
  private void tile8x1(
      int p,
      int n,
      float[] x,
      int x0,
      float[] base,
      int b0,
      float[] bias,
      int c,
      float[] out,
      int o0) {
    final float[] w = data;
    int q = p + inputs * 4 * LANES;
    FloatVector a0 =
        FloatVector.fromArray(SPECIES, base, b0).add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a1 =
        FloatVector.fromArray(SPECIES, base, b0 + 1 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 1 * LANES));
    FloatVector a2 =
        FloatVector.fromArray(SPECIES, base, b0 + 2 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 2 * LANES));
    FloatVector a3 =
        FloatVector.fromArray(SPECIES, base, b0 + 3 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 3 * LANES));
    FloatVector a4 =
        FloatVector.fromArray(SPECIES, base, b0 + 4 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 4 * LANES));
    FloatVector a5 =
        FloatVector.fromArray(SPECIES, base, b0 + 5 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 5 * LANES));
    FloatVector a6 =
        FloatVector.fromArray(SPECIES, base, b0 + 6 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 6 * LANES));
    FloatVector a7 =
        FloatVector.fromArray(SPECIES, base, b0 + 7 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 7 * LANES));
    for (int j = 0; j < n; j++, p += 4 * LANES, q += 4 * LANES) {
      FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + j]);
      a0 = FloatVector.fromArray(SPECIES, w, p).fma(v, a0);
      a1 = FloatVector.fromArray(SPECIES, w, p + 1 * LANES).fma(v, a1);
      a2 = FloatVector.fromArray(SPECIES, w, p + 2 * LANES).fma(v, a2);
      a3 = FloatVector.fromArray(SPECIES, w, p + 3 * LANES).fma(v, a3);
      a4 = FloatVector.fromArray(SPECIES, w, q).fma(v, a4);
      a5 = FloatVector.fromArray(SPECIES, w, q + 1 * LANES).fma(v, a5);
      a6 = FloatVector.fromArray(SPECIES, w, q + 2 * LANES).fma(v, a6);
      a7 = FloatVector.fromArray(SPECIES, w, q + 3 * LANES).fma(v, a7);
    }
    a0.intoArray(out, o0);
    a1.intoArray(out, o0 + 1 * LANES);
    a2.intoArray(out, o0 + 2 * LANES);
    a3.intoArray(out, o0 + 3 * LANES);
    a4.intoArray(out, o0 + 4 * LANES);
    a5.intoArray(out, o0 + 5 * LANES);
    a6.intoArray(out, o0 + 6 * LANES);
    a7.intoArray(out, o0 + 7 * LANES);
  }

  private void tile4x1(
      int p,
      int n,
      float[] x,
      int x0,
      float[] base,
      int b0,
      float[] bias,
      int c,
      float[] out,
      int o0) {
    final float[] w = data;
    FloatVector a0 =
        FloatVector.fromArray(SPECIES, base, b0).add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a1 =
        FloatVector.fromArray(SPECIES, base, b0 + LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + LANES));
    FloatVector a2 =
        FloatVector.fromArray(SPECIES, base, b0 + 2 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 2 * LANES));
    FloatVector a3 =
        FloatVector.fromArray(SPECIES, base, b0 + 3 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 3 * LANES));
    for (int j = 0; j < n; j++, p += 4 * LANES) {
      FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + j]);
      a0 = FloatVector.fromArray(SPECIES, w, p).fma(v, a0);
      a1 = FloatVector.fromArray(SPECIES, w, p + LANES).fma(v, a1);
      a2 = FloatVector.fromArray(SPECIES, w, p + 2 * LANES).fma(v, a2);
      a3 = FloatVector.fromArray(SPECIES, w, p + 3 * LANES).fma(v, a3);
    }
    a0.intoArray(out, o0);
    a1.intoArray(out, o0 + LANES);
    a2.intoArray(out, o0 + 2 * LANES);
    a3.intoArray(out, o0 + 3 * LANES);
  }

  private void tile4x2(
      int p,
      int n,
      float[] x,
      int x0,
      int x1,
      float[] base,
      int b0,
      int b1,
      float[] bias,
      int c,
      float[] out,
      int o0,
      int o1) {
    final float[] w = data;
    FloatVector a0 =
        FloatVector.fromArray(SPECIES, base, b0).add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a1 =
        FloatVector.fromArray(SPECIES, base, b0 + LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + LANES));
    FloatVector a2 =
        FloatVector.fromArray(SPECIES, base, b0 + 2 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 2 * LANES));
    FloatVector a3 =
        FloatVector.fromArray(SPECIES, base, b0 + 3 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 3 * LANES));
    FloatVector e0 =
        FloatVector.fromArray(SPECIES, base, b1).add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector e1 =
        FloatVector.fromArray(SPECIES, base, b1 + LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + LANES));
    FloatVector e2 =
        FloatVector.fromArray(SPECIES, base, b1 + 2 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 2 * LANES));
    FloatVector e3 =
        FloatVector.fromArray(SPECIES, base, b1 + 3 * LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + 3 * LANES));
    for (int j = 0; j < n; j++, p += 4 * LANES) {
      FloatVector u = FloatVector.broadcast(SPECIES, x[x0 + j]);
      FloatVector v = FloatVector.broadcast(SPECIES, x[x1 + j]);
      FloatVector w0 = FloatVector.fromArray(SPECIES, w, p);
      FloatVector w1 = FloatVector.fromArray(SPECIES, w, p + LANES);
      FloatVector w2 = FloatVector.fromArray(SPECIES, w, p + 2 * LANES);
      FloatVector w3 = FloatVector.fromArray(SPECIES, w, p + 3 * LANES);
      a0 = w0.fma(u, a0);
      a1 = w1.fma(u, a1);
      a2 = w2.fma(u, a2);
      a3 = w3.fma(u, a3);
      e0 = w0.fma(v, e0);
      e1 = w1.fma(v, e1);
      e2 = w2.fma(v, e2);
      e3 = w3.fma(v, e3);
    }
    a0.intoArray(out, o0);
    a1.intoArray(out, o0 + LANES);
    a2.intoArray(out, o0 + 2 * LANES);
    a3.intoArray(out, o0 + 3 * LANES);
    e0.intoArray(out, o1);
    e1.intoArray(out, o1 + LANES);
    e2.intoArray(out, o1 + 2 * LANES);
    e3.intoArray(out, o1 + 3 * LANES);
  }

  private void tile2x1(
      int p,
      int n,
      float[] x,
      int x0,
      float[] base,
      int b0,
      float[] bias,
      int c,
      float[] out,
      int o0) {
    final float[] w = data;
    FloatVector a0 =
        FloatVector.fromArray(SPECIES, base, b0).add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a1 =
        FloatVector.fromArray(SPECIES, base, b0 + LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + LANES));
    for (int j = 0; j < n; j++, p += 2 * LANES) {
      FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + j]);
      a0 = FloatVector.fromArray(SPECIES, w, p).fma(v, a0);
      a1 = FloatVector.fromArray(SPECIES, w, p + LANES).fma(v, a1);
    }
    a0.intoArray(out, o0);
    a1.intoArray(out, o0 + LANES);
  }

  private void tile2x2(
      int p,
      int n,
      float[] x,
      int x0,
      int x1,
      float[] base,
      int b0,
      int b1,
      float[] bias,
      int c,
      float[] out,
      int o0,
      int o1) {
    final float[] w = data;
    FloatVector a0 =
        FloatVector.fromArray(SPECIES, base, b0).add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector a1 =
        FloatVector.fromArray(SPECIES, base, b0 + LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + LANES));
    FloatVector e0 =
        FloatVector.fromArray(SPECIES, base, b1).add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector e1 =
        FloatVector.fromArray(SPECIES, base, b1 + LANES)
            .add(FloatVector.fromArray(SPECIES, bias, c + LANES));
    for (int j = 0; j < n; j++, p += 2 * LANES) {
      FloatVector u = FloatVector.broadcast(SPECIES, x[x0 + j]);
      FloatVector v = FloatVector.broadcast(SPECIES, x[x1 + j]);
      FloatVector w0 = FloatVector.fromArray(SPECIES, w, p);
      FloatVector w1 = FloatVector.fromArray(SPECIES, w, p + LANES);
      a0 = w0.fma(u, a0);
      a1 = w1.fma(u, a1);
      e0 = w0.fma(v, e0);
      e1 = w1.fma(v, e1);
    }
    a0.intoArray(out, o0);
    a1.intoArray(out, o0 + LANES);
    e0.intoArray(out, o1);
    e1.intoArray(out, o1 + LANES);
  }

  private void tile1x1(
      int p,
      int n,
      float[] x,
      int x0,
      float[] base,
      int b0,
      float[] bias,
      int c,
      float[] out,
      int o0) {
    final float[] w = data;
    FloatVector a0 =
        FloatVector.fromArray(SPECIES, base, b0).add(FloatVector.fromArray(SPECIES, bias, c));
    for (int j = 0; j < n; j++, p += LANES) {
      a0 = FloatVector.fromArray(SPECIES, w, p).fma(FloatVector.broadcast(SPECIES, x[x0 + j]), a0);
    }
    a0.intoArray(out, o0);
  }

  private void tile1x2(
      int p,
      int n,
      float[] x,
      int x0,
      int x1,
      float[] base,
      int b0,
      int b1,
      float[] bias,
      int c,
      float[] out,
      int o0,
      int o1) {
    final float[] w = data;
    FloatVector a0 =
        FloatVector.fromArray(SPECIES, base, b0).add(FloatVector.fromArray(SPECIES, bias, c));
    FloatVector e0 =
        FloatVector.fromArray(SPECIES, base, b1).add(FloatVector.fromArray(SPECIES, bias, c));
    for (int j = 0; j < n; j++, p += LANES) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, w, p);
      a0 = w0.fma(FloatVector.broadcast(SPECIES, x[x0 + j]), a0);
      e0 = w0.fma(FloatVector.broadcast(SPECIES, x[x1 + j]), e0);
    }
    a0.intoArray(out, o0);
    e0.intoArray(out, o1);
  }
}
