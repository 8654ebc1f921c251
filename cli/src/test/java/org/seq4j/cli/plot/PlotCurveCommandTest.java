package org.seq4j.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;

class PlotCurveCommandTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @Test
  void drawsTheWholeRunOnceEvenWithRepeatedSteps(@TempDir Path dir) throws IOException {
    StringBuilder train =
        new StringBuilder("step,epoch,loss,lr,grad_norm,tokens,tokens_per_s,elapsed_s\n");
    for (int step = 1; step <= 30; step++) {
      train.append(step).append(",0,").append(5.0 / step).append(",0.001,1,100,1000,1\n");
    }
    // Steps 21 to 30 again, as a log of a resumed run written by an older version repeats them.
    for (int step = 21; step <= 30; step++) {
      train.append(step).append(",0,").append(4.0 / step).append(",0.001,1,100,1000,1\n");
    }
    Files.writeString(dir.resolve("train.csv"), train);
    Files.writeString(
        dir.resolve("valid.csv"), "step,loss,bleu\n10,0.9,1.0\n20,0.5,2.0\n30,0.4,\n");
    Path png = dir.resolve("curve.png");
    int code = Seq4j.execute("plot", "curve", dir.toString(), "--png", png.toString());
    assertEquals(0, code, console.err());
    assertTrue(console.out().contains("30 training steps, 3 validations"), console.out());
    assertEquals(900, ImageIO.read(png.toFile()).getWidth());
  }

  @Test
  void aFolderWithoutLogsIsAClearError(@TempDir Path dir) {
    int code = Seq4j.execute("plot", "curve", dir.toString());
    assertNotEquals(0, code);
    assertTrue(console.err().contains("train.csv: no such file"), console.err());
    assertFalse(console.err().contains("\tat "), console.err());
  }
}
