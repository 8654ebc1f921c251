package org.seq4j.wavenet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random WaveNet weights under the names of {@link WaveNetConfig}, uniform in ±scale/√fan-in. */
final class RandomStateDict {
  private RandomStateDict() {}

  static Map<String, NDArray> create(NDManager manager, WaveNetConfig c, long seed) {
    Random random = new Random(seed);
    Map<String, NDArray> d = new LinkedHashMap<>();
    int q = c.classes();
    int r = c.residualChannels();
    int dc = c.dilationChannels();
    int s = c.skipChannels();
    int k = c.kernelSize();
    put(
        d,
        manager,
        random,
        "input.weight",
        4f / (float) Math.sqrt(c.inputKernel()),
        r,
        q,
        c.inputKernel());
    put(d, manager, random, "input.bias", 0.5f, r);
    for (int i = 0; i < c.layers(); i++) {
      String p = "layers." + i + ".";
      float conv = 1.5f / (float) Math.sqrt(r * k);
      put(d, manager, random, p + "filter.weight", conv, dc, r, k);
      put(d, manager, random, p + "filter.bias", 0.3f, dc);
      put(d, manager, random, p + "gate.weight", conv, dc, r, k);
      put(d, manager, random, p + "gate.bias", 0.3f, dc);
      put(d, manager, random, p + "residual.weight", 1f / (float) Math.sqrt(dc), r, dc, 1);
      put(d, manager, random, p + "residual.bias", 0.1f, r);
      put(d, manager, random, p + "skip.weight", 1f / (float) Math.sqrt(dc), s, dc, 1);
      put(d, manager, random, p + "skip.bias", 0.1f, s);
      if (c.hasGlobalConditioning()) {
        float g = 1f / (float) Math.sqrt(c.globalEmbedding());
        put(d, manager, random, p + "filter_global.weight", g, dc, c.globalEmbedding());
        put(d, manager, random, p + "gate_global.weight", g, dc, c.globalEmbedding());
      }
      if (c.hasLocalConditioning()) {
        float l = 1f / (float) Math.sqrt(c.localChannels());
        put(d, manager, random, p + "filter_local.weight", l, dc, c.localChannels(), 1);
        put(d, manager, random, p + "gate_local.weight", l, dc, c.localChannels(), 1);
      }
    }
    if (c.hasGlobalConditioning()) {
      put(
          d,
          manager,
          random,
          "global_embedding.weight",
          1f,
          c.globalClasses(),
          c.globalEmbedding());
    }
    float h = 2f / (float) Math.sqrt(s);
    put(d, manager, random, "head.conv1.weight", h, s, s, 1);
    put(d, manager, random, "head.conv1.bias", 0.1f, s);
    put(d, manager, random, "head.conv2.weight", h, q, s, 1);
    put(d, manager, random, "head.conv2.bias", 0.1f, q);
    return d;
  }

  private static void put(
      Map<String, NDArray> d, NDManager m, Random random, String name, float scale, long... shape) {
    Shape s = new Shape(shape);
    float[] v = new float[(int) s.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (random.nextFloat() * 2 - 1) * scale;
    }
    d.put(name, m.create(v, s));
  }
}
