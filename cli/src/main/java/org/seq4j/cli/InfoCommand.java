package org.seq4j.cli;

import ai.djl.engine.Engine;
import java.util.concurrent.Callable;
import org.seq4j.engine.Seq4jEngine;
import picocli.CommandLine.Command;

/** {@code seq4j info}: what seq4j runs on. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Print the Java version, the DJL engine, libtorch's threads and the CPU.")
final class InfoCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    Engine engine = Seq4jEngine.get();
    String vm = System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
    System.out.printf("java            %s (%s)%n", System.getProperty("java.version"), vm);
    System.out.printf(
        "djl             %s, engine %s %s%n",
        Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion());
    System.out.printf(
        "libtorch        intra-op threads %d, inter-op threads %d%n",
        Seq4jEngine.threads(), Seq4jEngine.interopThreads());
    System.out.printf("vector api      %s%n", vectorSpecies());
    System.out.printf(
        "machine         %d cores, %s %s, max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf(
        "offline         %s%n", Boolean.parseBoolean(System.getProperty("ai.djl.offline")));
    return 0;
  }

  /** The preferred float species of the Vector API, found reflectively (incubator module). */
  static String vectorSpecies() {
    try {
      Class<?> c = Class.forName("jdk.incubator.vector.FloatVector");
      Object species = c.getField("SPECIES_PREFERRED").get(null);
      Class<?> api = Class.forName("jdk.incubator.vector.VectorSpecies");
      Object bits = api.getMethod("vectorBitSize").invoke(species);
      Object lanes = api.getMethod("length").invoke(species);
      return species + " (" + bits + " bits, " + lanes + " float lanes)";
    } catch (ReflectiveOperationException | LinkageError ex) {
      return "not available (start the JVM with --add-modules jdk.incubator.vector)";
    }
  }
}
