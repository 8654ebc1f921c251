package org.seq4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that cannot be read, or does not fit the arrays it is loaded into. The message
 * names the file, the tensor where one is involved, and the problem.
 */
public class SafeTensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String tensor;
  private final String problem;

  /** A problem with the file as a whole, such as a truncated or unparsable header. */
  public SafeTensorsException(Path file, String problem) {
    this(file, null, problem, null);
  }

  /** A problem with one tensor of the file; {@code tensor} may be null. */
  public SafeTensorsException(Path file, String tensor, String problem) {
    this(file, tensor, problem, null);
  }

  /** A problem with one tensor of the file, caused by {@code cause}; {@code tensor} may be null. */
  public SafeTensorsException(Path file, String tensor, String problem, Throwable cause) {
    super(format(file, tensor, problem), cause);
    this.file = String.valueOf(file);
    this.tensor = tensor;
    this.problem = problem;
  }

  /** The path of the file, as given by the caller. */
  public String file() {
    return file;
  }

  /** The name of the tensor involved, or null if the problem concerns the whole file. */
  public String tensor() {
    return tensor;
  }

  /** The problem alone, without the file and tensor names. */
  public String problem() {
    return problem;
  }

  private static String format(Path file, String tensor, String problem) {
    StringBuilder sb = new StringBuilder("safetensors file ").append(file);
    if (tensor != null) {
      sb.append(", tensor '").append(tensor).append('\'');
    }
    return sb.append(": ").append(problem).toString();
  }
}
