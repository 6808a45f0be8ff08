package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.testing.GitFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Autodoc at scale, on one local deployment: a monorepo of 1,000 one-class scopes, then a
 * 10,000-file repository (the JDK's own sources from the running JDK's {@code lib/src.zip}, one
 * scope per module, largest modules first): {@code ./mvnw -B install -DskipTests && ./mvnw -B
 * -Pbench -pl deploy/local/cli verify -Dit.test=ScaleBenchmark}. {@code -Dbench.scale.scopes} and
 * {@code -Dbench.scale.files} change the sizes.
 *
 * <p>Prints each job's wall time and every service's peak resident memory during it: the peak is
 * the kernel's ({@code VmHWM}), reset before each job by writing 5 to {@code
 * /proc/<pid>/clear_refs}, so nothing between the samples is missed. The workers go on making the
 * index after the job; the peaks are read again after a further minute of that. Only completion is
 * asserted: numbers, not a pass mark.
 */
class ScaleBenchmark {
  private static final int SCOPES = Integer.getInteger("bench.scale.scopes", 1_000);
  private static final int FILES = Integer.getInteger("bench.scale.files", 10_000);

  @Test
  void aThousandScopesThenTenThousandFiles() throws Exception {
    Path dataDir = CliTesting.newDataDir("bench-scale");
    try (GitFixture tiny = CliTesting.repository("warm-up");
        GitFixture monorepo = CliTesting.repository("monorepo");
        GitFixture jdk = CliTesting.repository("jdk-sources")) {
      tiny.write(".autodoc.yaml", "name: tiny\n").write("A.java", "class A {}\n").commit("a");
      for (int i = 0; i < SCOPES; i++) {
        monorepo
            .write("s" + i + "/.autodoc.yaml", "name: s" + i + "\n")
            .write("s" + i + "/Part" + i + ".java", CliTesting.part("s" + i, i));
      }
      monorepo.commit(SCOPES + " scopes");
      Map<String, Integer> modules = unpackJdkSources(jdk.dir(), FILES);
      jdk.commit("the JDK's sources");
      int jdkFiles = modules.values().stream().mapToInt(Integer::intValue).sum();

      CliTesting.Result warm =
          run("generate", tiny.url(), "--keep-running", "--data-dir", dataDir.toString());
      assertThat(warm.status()).as(warm.output()).isZero();
      var autodoc = new RunningAutodoc(dataDir);

      // Each row is printed as soon as it is measured: a run that fails later keeps what it saw.
      System.out.printf(
          Locale.ROOT,
          "%n=== Autodoc at scale (2-core machine, one local deployment) ===%n"
              + "JDK modules as scopes: %s%n"
              + "%-14s %6s %7s %9s  %s%n",
          modules,
          "repository",
          "scopes",
          "files",
          "job",
          "peak resident memory (MiB) of each service during the job");
      System.out.println(measure(autodoc, dataDir, monorepo, SCOPES + " scopes", SCOPES, SCOPES));
      System.out.println(measure(autodoc, dataDir, jdk, "JDK sources", modules.size(), jdkFiles));
      Thread.sleep(60_000);
      System.out.printf(
          Locale.ROOT, "%-14s %6s %7s %9s  %s%n%n", "+1 min index", "", "", "", peaks(dataDir));
    } finally {
      RecordedDeployment.down(dataDir);
      LocalStack.deleteRecursively(dataDir);
    }
  }

  /** Runs a full job with every service's peak memory reset first; one row of the table. */
  private static String measure(
      RunningAutodoc autodoc, Path dataDir, GitFixture repo, String label, int scopes, int files)
      throws Exception {
    resetPeaks(dataDir);
    var cpu = ProcessCpu.snapshot(dataDir);
    CliTesting.Result result =
        run("generate", repo.url(), "--timeout", "PT2H", "--data-dir", dataDir.toString());
    assertThat(result.status()).as(result.output()).isZero();
    JsonNode job = autodoc.job(RunningAutodoc.jobId(result));
    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(job.path("scopes").size()).isEqualTo(scopes);
    return String.format(
        Locale.ROOT,
        "%-14s %6d %7d %8.1fs  %s%n%16s processor time: %s",
        label,
        scopes,
        files,
        RunningAutodoc.seconds(job),
        peaks(dataDir),
        "",
        ProcessCpu.between(cpu, ProcessCpu.snapshot(dataDir)));
  }

  /** The services' processes (not the stack's) by name. */
  private static Map<String, Long> services(Path dataDir) {
    Map<String, Long> pids = new TreeMap<>();
    for (LocalStack.Status process : RecordedDeployment.status(dataDir)) {
      if (process.alive()
          && List.of("orchestrator", "worker", "callback", "reconciler").stream()
              .anyMatch(process.name()::startsWith)) {
        pids.put(process.name(), process.pid());
      }
    }
    assertThat(pids).isNotEmpty();
    return pids;
  }

  private static void resetPeaks(Path dataDir) throws IOException {
    for (long pid : services(dataDir).values()) {
      Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
    }
  }

  private static String peaks(Path dataDir) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Long> service : services(dataDir).entrySet()) {
      long kib = 0;
      for (String line :
          Files.readAllLines(Path.of("/proc", service.getValue().toString(), "status"))) {
        if (line.startsWith("VmHWM:")) {
          kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      out.append(String.format(Locale.ROOT, "%s %d  ", service.getKey(), kib / 1024));
    }
    return out.toString().strip();
  }

  /**
   * Writes the Java sources of the JDK's largest modules until {@code files} are written, each
   * module a scope; how many files each module got.
   */
  private static Map<String, Integer> unpackJdkSources(Path dir, int files) throws IOException {
    Path zip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
    Map<String, List<ZipEntry>> byModule = new TreeMap<>();
    try (ZipFile sources = new ZipFile(zip.toFile())) {
      sources.stream()
          .filter(e -> !e.isDirectory() && e.getName().endsWith(".java"))
          .forEach(
              e ->
                  byModule
                      .computeIfAbsent(
                          e.getName().substring(0, e.getName().indexOf('/')),
                          m -> new ArrayList<>())
                      .add(e));
      Map<String, Integer> written = new LinkedHashMap<>();
      int left = files;
      for (var module :
          byModule.entrySet().stream()
              .sorted(Comparator.comparingInt(e -> -e.getValue().size()))
              .toList()) {
        if (left == 0) {
          break;
        }
        List<ZipEntry> entries =
            module.getValue().subList(0, Math.min(left, module.getValue().size()));
        for (ZipEntry entry : entries) {
          Path target = dir.resolve(entry.getName());
          Files.createDirectories(target.getParent());
          try (InputStream in = sources.getInputStream(entry)) {
            Files.copy(in, target);
          }
        }
        Files.writeString(
            dir.resolve(module.getKey()).resolve(".autodoc.yaml"),
            "name: " + module.getKey().replace('.', '-') + "\n");
        written.put(module.getKey(), entries.size());
        left -= entries.size();
      }
      return written;
    }
  }
}
