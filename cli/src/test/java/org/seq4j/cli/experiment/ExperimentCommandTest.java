package org.seq4j.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seq4j.cli.ConsoleCapture;
import org.seq4j.cli.Seq4j;

class ExperimentCommandTest {
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

  @Test
  void helpListsTheExperiments() {
    assertEquals(0, Seq4j.execute("experiment", "--help"));
    for (String text :
        List.of(
            "why-not-feedforward",
            "vanishing-gradients",
            "conv-vs-recurrent",
            "--quick",
            "--seed",
            "--data-dir")) {
      assertTrue(console.out().contains(text), console.out());
    }
    console.resetOut();
    assertEquals(0, Seq4j.execute("--help"));
    assertTrue(console.out().contains("experiment"), console.out());
  }

  @Test
  void anUnknownExperimentNamesTheChoices() {
    assertEquals(2, Seq4j.execute("experiment", "no-such-study", "--quick"));
    assertTrue(
        console
            .err()
            .contains(
                "unknown experiment 'no-such-study': choose one of why-not-feedforward,"
                    + " vanishing-gradients"),
        console.err());
    assertFalse(console.err().contains("\tat "), "no stack trace: " + console.err());
  }

  @Test
  void badOptionsAreUsageErrors() {
    List<List<String>> cases =
        List.of(
            List.of("experiment"),
            List.of("experiment", "why-not-feedforward", "--seed", "one"),
            List.of("experiment", "why-not-feedforward", "--fast"),
            List.of("experiment", "why-not-feedforward", "vanishing-gradients"));
    List<String> expected =
        List.of(
            "Missing required parameter: 'NAME'",
            "Invalid value for option '--seed': 'one' is not a long",
            "Unknown option: '--fast'",
            "Unmatched argument at index 2: 'vanishing-gradients'");
    for (int i = 0; i < cases.size(); i++) {
      console.resetErr();
      assertEquals(2, Seq4j.execute(cases.get(i).toArray(new String[0])), cases.get(i).toString());
      assertTrue(console.err().contains(expected.get(i)), console.err());
    }
  }
}
