package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Map;

/**
 * The WaveNet of {@link WaveNetConfig} on whole sequences with DJL operations: causal (left
 * zero-padded) dilated convolutions over all steps at once, in matrix products. The oracle for the
 * fast generator.
 */
final class ReferenceWaveNet {
  private ReferenceWaveNet() {}

  /**
   * Logits {@code [batch][T][classes]} for inputs {@code classes[batch][T]}; {@code globalIds} and
   * {@code local[batch][T][L]} may be null.
   */
  static float[][][] logits(
      NDManager parent,
      WaveNetConfig c,
      Map<String, NDArray> sd,
      int[][] classes,
      int[] globalIds,
      float[][][] local) {
    try (NDManager m = parent.newSubManager()) {
      int batch = classes.length;
      int steps = classes[0].length;
      int q = c.classes();
      float[] hot = new float[batch * q * steps];
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < steps; t++) {
          hot[(b * q + classes[b][t]) * steps + t] = 1f;
        }
      }
      NDArray x = m.create(hot, new Shape(batch, q, steps));
      NDArray h = causal(m, x, sd.get("input.weight"), sd.get("input.bias"), 1);
      NDArray globalEmbedding = null;
      if (globalIds != null) {
        float[] table = sd.get("global_embedding.weight").toFloatArray();
        int e = c.globalEmbedding();
        float[] rows = new float[batch * e];
        for (int b = 0; b < batch; b++) {
          System.arraycopy(table, globalIds[b] * e, rows, b * e, e);
        }
        globalEmbedding = m.create(rows, new Shape(batch, e));
      }
      NDArray features = null;
      if (local != null) {
        int l = c.localChannels();
        float[] flat = new float[batch * steps * l];
        for (int b = 0; b < batch; b++) {
          for (int t = 0; t < steps; t++) {
            System.arraycopy(local[b][t], 0, flat, (b * steps + t) * l, l);
          }
        }
        features = m.create(flat, new Shape(batch, steps, l)).transpose(0, 2, 1);
      }
      NDArray skip = null;
      for (int i = 0; i < c.layers(); i++) {
        String p = "layers." + i + ".";
        int d = c.dilation(i);
        NDArray f = causal(m, h, sd.get(p + "filter.weight"), sd.get(p + "filter.bias"), d);
        NDArray g = causal(m, h, sd.get(p + "gate.weight"), sd.get(p + "gate.bias"), d);
        if (globalEmbedding != null) {
          f =
              f.add(
                  globalEmbedding
                      .matMul(sd.get(p + "filter_global.weight").transpose())
                      .expandDims(2));
          g =
              g.add(
                  globalEmbedding
                      .matMul(sd.get(p + "gate_global.weight").transpose())
                      .expandDims(2));
        }
        if (features != null) {
          NDArray zero = m.zeros(new Shape(c.dilationChannels()));
          f = f.add(causal(m, features, sd.get(p + "filter_local.weight"), zero, 1));
          g = g.add(causal(m, features, sd.get(p + "gate_local.weight"), zero, 1));
        }
        NDArray z = f.tanh().mul(Activation.sigmoid(g));
        NDArray s = causal(m, z, sd.get(p + "skip.weight"), sd.get(p + "skip.bias"), 1);
        skip = skip == null ? s : skip.add(s);
        h = h.add(causal(m, z, sd.get(p + "residual.weight"), sd.get(p + "residual.bias"), 1));
      }
      NDArray y =
          causal(
              m, Activation.relu(skip), sd.get("head.conv1.weight"), sd.get("head.conv1.bias"), 1);
      y = causal(m, Activation.relu(y), sd.get("head.conv2.weight"), sd.get("head.conv2.bias"), 1);
      float[] flat = y.transpose(0, 2, 1).toFloatArray();
      float[][][] out = new float[batch][steps][q];
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < steps; t++) {
          System.arraycopy(flat, (b * steps + t) * q, out[b][t], 0, q);
        }
      }
      return out;
    }
  }

  /**
   * A causal convolution, {@code y[t] = b + Σ_j W[:, :, j]·x[t − (k − 1 − j)·d]} with zeros before
   * the start, as one matrix product per tap. (Not {@code Conv1d}: libtorch 2.7.1's CPU convolution
   * gives wrong results here for some shapes, e.g. batch 2, 40 input channels, kernel 2.)
   */
  private static NDArray causal(NDManager m, NDArray x, NDArray weight, NDArray bias, int d) {
    Shape s = x.getShape();
    long steps = s.get(2);
    long k = weight.getShape().get(2);
    long pad = (k - 1) * d;
    if (pad > 0) {
      x = m.zeros(new Shape(s.get(0), s.get(1), pad)).concat(x, 2);
    }
    NDArray y = bias.reshape(1, -1, 1);
    for (long j = 0; j < k; j++) {
      NDArray tap = weight.get(new NDIndex(":, :, " + j));
      NDArray shifted = x.get(new NDIndex(":, :, " + (j * d) + ":" + (j * d + steps)));
      y = y.add(tap.matMul(shifted));
    }
    return y;
  }
}
