package org.seq4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.engine.Seq4jEngine;
import org.seq4j.engine.Steps;
import org.seq4j.io.Checkpoint;
import org.seq4j.io.SafeTensors;
import org.seq4j.nn.Losses;
import org.seq4j.optim.AdamW;
import org.seq4j.optim.GradClip;
import org.seq4j.optim.Gradients;
import org.seq4j.optim.Optimizer;

/** The library example of the README, verbatim between the markers, must compile and learn. */
class ReadmeExampleTest {

  @Test
  void readmeExampleLearns(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("model.safetensors");
    // README example begins
    Engine engine = Seq4jEngine.get(); // libtorch, offline, measured thread defaults
    try (NDManager manager = engine.newBaseManager()) {
      NDArray w = manager.randomNormal(new Shape(4, 8)).muli(0.1f); // [out, in], as nn.Linear
      w.setRequiresGradient(true);
      Map<String, NDArray> params = Map.of("classifier.weight", w); // PyTorch names and layouts
      try (Optimizer adamw = new AdamW(manager, 1e-2, 0.9, 0.999, 1e-8, 0.01)) {
        for (int step = 0; step < 300; step++) {
          Steps.run(
              manager,
              m -> { // all arrays made in the step are freed when it ends
                NDArray x = m.randomNormal(new Shape(64, 8));
                NDArray y = x.get(":, 0:4").argMax(1); // which of the first 4 features is largest
                try (GradientCollector collector = engine.newGradientCollector()) {
                  collector.backward(Losses.crossEntropy(x.matMul(w.transpose()), y, -100, 0.1f));
                }
                Map<String, NDArray> grads = Gradients.of(params, m);
                GradClip.byGlobalNorm(grads.values(), 1.0);
                adamw.step(params, grads);
                Gradients.zero(params);
              });
        }
        new Checkpoint(params, adamw.state(), null, null, null).save(file); // safetensors
      }
      // README example ends
      NDArray x = manager.randomNormal(new Shape(1000, 8));
      NDArray predicted = x.matMul(w.transpose()).argMax(1);
      float accuracy =
          predicted.eq(x.get(":, 0:4").argMax(1)).toType(DataType.FLOAT32, false).mean().getFloat();
      assertTrue(accuracy > 0.9f, "accuracy " + accuracy);
    }
    Map<String, SafeTensors.TensorData> saved = SafeTensors.read(file).tensors();
    assertEquals(3, saved.size()); // weight, exp_avg, exp_avg_sq
    assertTrue(saved.containsKey("classifier.weight"));
  }
}
