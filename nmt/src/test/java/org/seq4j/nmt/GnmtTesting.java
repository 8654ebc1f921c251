package org.seq4j.nmt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.seq4j.nn.Attention;

/** Helpers shared by the GNMT tests. */
final class GnmtTesting {
  private GnmtTesting() {}

  /** The config of fixture case {@code name} of {@code gnmt.safetensors}. */
  static GnmtConfig config(Map<String, String> meta, String name) {
    return new GnmtConfig(
        Integer.parseInt(meta.get("vocab")),
        Integer.parseInt(meta.get("embedding")),
        Integer.parseInt(meta.get("hidden")),
        Integer.parseInt(meta.get("encoder_layers")),
        Integer.parseInt(meta.get("decoder_layers")),
        0f,
        meta.get(name + ".attention").equals("bahdanau")
            ? Attention.Kind.NORMALIZED_BAHDANAU
            : Attention.Kind.LUONG,
        GnmtConfig.Query.of(meta.get(name + ".query")),
        Integer.parseInt(meta.get("residual_from")),
        Boolean.parseBoolean(meta.get(name + ".tied")),
        Boolean.parseBoolean(meta.get(name + ".shared_embedding")),
        Integer.parseInt(meta.get("pad")),
        Integer.parseInt(meta.get("bos")),
        Integer.parseInt(meta.get("eos")));
  }

  /** Integer ids stored as F32, as INT64 in {@code manager}. */
  static NDArray ids(NDArray stored, NDManager manager) {
    NDArray ids = stored.toType(DataType.INT64, true);
    ids.attach(manager);
    return ids;
  }

  /** Lengths stored as F32. */
  static int[] lengths(NDArray stored) {
    return stored.toType(DataType.INT32, true).toIntArray();
  }

  /** The rows of a padded F32 id matrix, each cut at its length (or at the first negative id). */
  static List<int[]> rows(NDArray stored, int[] lengths) {
    int width = (int) stored.getShape().get(1);
    int[] all = stored.toType(DataType.INT32, true).toIntArray();
    List<int[]> out = new ArrayList<>();
    for (int b = 0; b < all.length / width; b++) {
      int n = 0;
      while (n < width && (lengths == null ? all[b * width + n] >= 0 : n < lengths[b])) {
        n++;
      }
      int[] row = new int[n];
      System.arraycopy(all, b * width, row, 0, n);
      out.add(row);
    }
    return out;
  }

  /** A GNMT of {@code config} initialized in {@code type}. */
  static Gnmt model(GnmtConfig config, NDManager manager, DataType type) {
    Gnmt gnmt = new Gnmt(config);
    gnmt.initialize(manager, type);
    return gnmt;
  }
}
