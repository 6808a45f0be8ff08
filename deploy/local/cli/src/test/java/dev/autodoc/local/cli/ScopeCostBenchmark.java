package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.testing.GitFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What a scope costs on its own: the same 200 small files documented as one scope and as 200
 * scopes, on one warm stack, in one run: {@code ./mvnw -B install -DskipTests && ./mvnw -B -Pbench
 * -pl deploy/local/cli verify -Dit.test=ScopeCostBenchmark}. Each shape runs three times, forced in
 * full; prints the median job times, the cost per extra scope, the time by step and the processor
 * time of each process. Numbers, not a pass mark.
 */
class ScopeCostBenchmark {
  private static final int FILES = 200;
  private static final int RUNS = 3;

  @Test
  void twoHundredScopesAgainstOneScopeOfTheSameFiles() throws Exception {
    var dataDir = CliTesting.newDataDir("bench-scopes");
    try (GitFixture one = CliTesting.repository("one-scope");
        GitFixture many = CliTesting.repository("many-scopes")) {
      one.write(".autodoc.yaml", "name: all\n");
      for (int i = 0; i < FILES; i++) {
        String file = "m" + i + "/Part" + i + ".java";
        String code = CliTesting.part("m" + i, i);
        one.write(file, code);
        many.write(file, code).write("m" + i + "/.autodoc.yaml", "name: m" + i + "\n");
      }
      one.commit("one scope");
      many.commit("many scopes");
      var autodoc = new RunningAutodoc(dataDir);
      CliTesting.Result warm =
          run("generate", one.url(), "--keep-running", "--data-dir", dataDir.toString());
      assertThat(warm.status()).as(warm.output()).isZero();

      List<Double> oneTimes = new ArrayList<>();
      List<Double> manyTimes = new ArrayList<>();
      JsonNode lastMany = null;
      JsonNode lastOne = null;
      String oneCpu = "";
      String manyCpu = "";
      for (int r = 0; r < RUNS; r++) {
        var before = ProcessCpu.snapshot(dataDir);
        lastOne = forced(autodoc, one, dataDir);
        oneTimes.add(RunningAutodoc.seconds(lastOne));
        var between = ProcessCpu.snapshot(dataDir);
        lastMany = forced(autodoc, many, dataDir);
        manyTimes.add(RunningAutodoc.seconds(lastMany));
        oneCpu = ProcessCpu.between(before, between);
        manyCpu = ProcessCpu.between(between, ProcessCpu.snapshot(dataDir));
      }
      double oneMedian = median(oneTimes);
      double manyMedian = median(manyTimes);
      int scopes = lastMany.path("scopes").size();
      System.out.printf(
          Locale.ROOT,
          "%n=== %d files as 1 scope against %d scopes (2-core machine, warm stack) ===%n"
              + "1 scope:    median %6.2f s %s%n"
              + "%d scopes: median %6.2f s %s%n"
              + "cost of each extra scope: %.1f ms%n"
              + "time by step, 1 scope:    %s%n"
              + "time by step, %d scopes: %s%n"
              + "processor time of the last run, 1 scope:    %s%n"
              + "processor time of the last run, %d scopes: %s%n%n",
          FILES,
          scopes,
          oneMedian,
          oneTimes,
          scopes,
          manyMedian,
          manyTimes,
          (manyMedian - oneMedian) * 1000 / (scopes - 1),
          DoxygenBenchmark.steps(lastOne),
          scopes,
          DoxygenBenchmark.steps(lastMany),
          oneCpu,
          scopes,
          manyCpu);
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  private static JsonNode forced(RunningAutodoc autodoc, GitFixture repo, java.nio.file.Path dir)
      throws Exception {
    CliTesting.Result result =
        run("generate", repo.url(), "--force", "--mode", "full", "--data-dir", dir.toString());
    assertThat(result.status()).as(result.output()).isZero();
    return autodoc.job(RunningAutodoc.jobId(result));
  }

  private static double median(List<Double> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }
}
