package org.seq4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.seq4j.engine.Seq4jEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code seq4j bench ops}: the cost of single tensor operations, seq4j (DJL on libtorch) against
 * PyTorch in Python, at each requested intra-op thread count.
 *
 * <ul>
 *   <li>{@code tanh-1x1024}: tanh of a 1×1024 float32 array, i.e. the fixed cost of one call;
 *   <li>{@code matmul-1x256x1024}: 1×256 times 256×1024, one step of a small recurrent layer;
 *   <li>{@code gemm-1024}: 1024×1024 times 1024×1024, reported in GFLOPS (2·n³ per call) as well.
 * </ul>
 *
 * <p>On the seq4j side each timed call is the op plus closing its result, which is what a loop in
 * user code pays; nothing accumulates across calls.
 */
@Command(
    name = "ops",
    description = "Time tanh, a small matmul and a 1024 GEMM in seq4j and in PyTorch.")
public final class OpsBench implements Callable<Integer> {
  /** The implementation name of seq4j's rows. */
  public static final String SEQ4J = "seq4j";

  /** The implementation name of the Python peer's rows. */
  public static final String PYTORCH = PeerSession.IMPL;

  /** The peer script in {@code bench/peers/}. */
  public static final String PEER_SCRIPT = "ops.py";

  /** The operations measured, in report order. */
  public static final List<String> OPS = List.of("tanh-1x1024", "matmul-1x256x1024", "gemm-1024");

  private static final int GEMM_N = 1024;

  @Spec private CommandSpec spec;

  @Mixin private BenchOptions options;

  @Option(
      names = "--ops",
      split = ",",
      paramLabel = "OP",
      description =
          "Operations to measure, comma-separated (default: all of ${COMPLETION-CANDIDATES}).",
      completionCandidates = OpNames.class)
  private List<String> ops;

  /** The known operation names, for picocli's help text. */
  static final class OpNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    OpNames() {
      super(OPS);
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> selected = selectedOps();
    List<Integer> threadCounts = options.threads();
    int rounds = options.rounds();
    double minTimeS = options.minTimeS();

    Engine engine = Seq4jEngine.get();
    PeerSession peer = PeerSession.start(PEER_SCRIPT, !options.noPeer(), err);
    List<BenchResult> all = new ArrayList<>();
    try (peer;
        NDManager manager = engine.newBaseManager()) {
      for (String op : selected) {
        for (int threads : threadCounts) {
          Seq4jEngine.configure(threads, -1);
          List<RoundSeries> series;
          try (NDManager caseManager = manager.newSubManager()) {
            Runnable call = seq4jCall(op, caseManager);
            List<Contender> seq4j = List.of(Contender.inProcess(SEQ4J, call, minTimeS));
            Map<String, Object> peerRequest =
                Map.of("op", op, "threads", threads, "min_time_s", minTimeS);
            series = peer.runRounds(rounds, seq4j, peerRequest);
          }
          List<BenchResult> results =
              ResultPrinter.withRatios(BenchResult.fromRounds(op, threads, flops(op), series));
          all.addAll(results);
          if (options.json()) {
            ResultPrinter.printJson(out, results);
          }
        }
      }
    }
    if (!options.json()) {
      ResultPrinter.printTable(
          out, all, footer(engine, peer.measuredDescription(), rounds, minTimeS));
    }
    return peer.exitCode();
  }

  private List<String> selectedOps() {
    if (ops == null || ops.isEmpty()) {
      return OPS;
    }
    for (String op : ops) {
      if (!OPS.contains(op)) {
        throw new ParameterException(
            spec.commandLine(), "unknown op '" + op + "'; known: " + String.join(", ", OPS));
      }
    }
    return OPS.stream().filter(ops::contains).toList();
  }

  /** Floating-point operations per call of {@code op}, or 0 where GFLOPS are not reported. */
  static double flops(String op) {
    return op.equals("gemm-1024") ? 2.0 * GEMM_N * GEMM_N * GEMM_N : 0;
  }

  /**
   * Creates the operands of {@code op} in {@code manager} and returns one timed call: the op and
   * the closing of its result.
   */
  static Runnable seq4jCall(String op, NDManager manager) {
    Map<String, Function<NDManager, Runnable>> calls = new LinkedHashMap<>();
    calls.put(
        "tanh-1x1024",
        m -> {
          NDArray x = m.randomUniform(-1, 1, new Shape(1, 1024));
          return () -> x.tanh().close();
        });
    calls.put("matmul-1x256x1024", m -> matMul(m, new Shape(1, 256), new Shape(256, 1024)));
    calls.put("gemm-1024", m -> matMul(m, new Shape(GEMM_N, GEMM_N), new Shape(GEMM_N, GEMM_N)));
    Function<NDManager, Runnable> factory = calls.get(op);
    if (factory == null) {
      throw new IllegalArgumentException("unknown op: " + op);
    }
    return factory.apply(manager);
  }

  private static Runnable matMul(NDManager m, Shape shapeA, Shape shapeB) {
    NDArray a = m.randomUniform(0, 1, shapeA);
    NDArray b = m.randomUniform(0, 1, shapeB);
    return () -> a.matMul(b).close();
  }

  private static List<String> footer(
      Engine engine, String peerDescription, int rounds, double minTimeS) {
    List<String> footer = new ArrayList<>();
    footer.add("");
    footer.add(MachineInfo.footerLine(engine, peerDescription));
    footer.add(
        String.format(
            Locale.ROOT,
            "medians of %d interleaved rounds of >= %.2f s; ratios < 1 (time) or > 1 (GFLOPS)"
                + " favour seq4j",
            rounds,
            minTimeS));
    return footer;
  }
}
