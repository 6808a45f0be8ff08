package dev.autodoc.orchestrator;

import static dev.autodoc.orchestrator.OrchestratorTesting.awaitStatus;
import static dev.autodoc.orchestrator.OrchestratorTesting.repository;
import static dev.autodoc.orchestrator.OrchestratorTesting.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.local.testing.GitFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** At most max-running-jobs jobs are active at once, over all repositories. */
@QuarkusTest
@TestProfile(GlobalLimitIT.TwoAtATime.class)
class GlobalLimitIT {
  public static class TwoAtATime implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("autodoc.orchestrator.max-running-jobs", "2");
    }
  }

  @Test
  void aThirdRepositorysJobWaitsUntilOneOfTwoRunningJobsEnds() {
    List<GitFixture> repos = new ArrayList<>();
    try {
      List<String> jobs = new ArrayList<>();
      for (String name : List.of("limit-a", "limit-b", "limit-c")) {
        GitFixture repo = repository(name);
        repo.write("f.txt", name).commit(name);
        repos.add(repo);
        jobs.add(submit(repo.url()));
        // Submit in order, so the oldest two are the ones admitted.
        awaitStatus(jobs.getLast(), jobs.size() <= 2 ? "RUNNING" : "QUEUED");
      }
      Awaitility.await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> "QUEUED".equals(OrchestratorTesting.job(jobs.get(2)).getString("status")));
      assertThat(OrchestratorTesting.job(jobs.get(0)).getString("status")).isEqualTo("RUNNING");

      OrchestratorTesting.api()
          .post("/api/v1/jobs/" + jobs.get(0) + "/cancel")
          .then()
          .statusCode(200);
      awaitStatus(jobs.get(2), "RUNNING");
    } finally {
      repos.forEach(GitFixture::close);
    }
  }
}
