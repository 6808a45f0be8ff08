package dev.autodoc.local.cli;

import dev.autodoc.local.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The processor time each process of a local deployment has used, from the kernel's counters
 * ({@code /proc/<pid>/stat}): on two cores a job is bound by the processor, so where its seconds go
 * says what a scope costs. PostgreSQL counts with its backends (children of the server process);
 * "cli" is this JVM, where the benchmarks run the command.
 */
final class ProcessCpu {
  /** The kernel counts in ticks of 1/100 s ({@code getconf CLK_TCK} on Linux). */
  private static final double TICKS = 100.0;

  private ProcessCpu() {}

  /** Seconds used so far, by process name. */
  static Map<String, Double> snapshot(Path dataDir) throws IOException {
    Map<String, Double> seconds = new TreeMap<>();
    List<Long> all = allPids();
    for (LocalStack.Status process : RecordedDeployment.status(dataDir)) {
      if (!process.alive()) {
        continue;
      }
      double used = seconds(process.pid());
      if (process.name().startsWith("postgres")) {
        for (long pid : all) {
          if (parent(pid) == process.pid()) {
            used += seconds(pid);
          }
        }
      }
      seconds.merge(process.name(), used, Double::sum);
    }
    seconds.put("cli", seconds(ProcessHandle.current().pid()));
    return seconds;
  }

  /** What each process used between two snapshots, largest first, as one line. */
  static String between(Map<String, Double> before, Map<String, Double> after) {
    double total = 0;
    List<Map.Entry<String, Double>> used = new ArrayList<>();
    for (var entry : after.entrySet()) {
      double delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0.0);
      used.add(Map.entry(entry.getKey(), delta));
      total += delta;
    }
    return String.format(Locale.ROOT, "%.1f s in all: ", total)
        + used.stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", "));
  }

  private static double seconds(long pid) {
    String[] fields = fields(pid);
    return fields == null
        ? 0
        : (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS; // utime, stime
  }

  private static long parent(long pid) {
    String[] fields = fields(pid);
    return fields == null ? -1 : Long.parseLong(fields[1]);
  }

  /** The fields after the command name, which may hold spaces: state is [0], ppid [1]. */
  private static String[] fields(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException e) {
      return null; // gone meanwhile
    }
  }

  private static List<Long> allPids() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .toList();
    }
  }
}
