package dev.autodoc.orchestrator;

import static dev.autodoc.orchestrator.OrchestratorTesting.api;
import static dev.autodoc.orchestrator.OrchestratorTesting.repository;
import static dev.autodoc.orchestrator.OrchestratorTesting.submit;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.local.testing.GitFixture;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Repositories are known by their jobs; without a worker run there are no pages yet. */
@QuarkusTest
class RepositoryApiIT {

  @Test
  void aRepositoryWithJobsIsListedWithItsLatestJobAndHasNoPagesBeforeAWorkerRan() {
    try (GitFixture repo = repository("repo-api")) {
      repo.write("a.txt", "a").commit("a");
      submit(repo.url());
      String latest = submit(repo.url());
      String id = RepositoryRef.parse(repo.url()).id();
      api().get("/api/v1/repositories").then().statusCode(200).body("id", hasItem(id));
      api()
          .get("/api/v1/repositories/" + id)
          .then()
          .statusCode(200)
          .body("url", equalTo("file://" + repo.url()))
          .body("jobs", equalTo(2))
          .body("lastJobId", equalTo(latest));
      api()
          .get("/api/v1/repositories/" + id + "/pages")
          .then()
          .statusCode(200)
          .body("size()", equalTo(0));
      api()
          .get("/api/v1/repositories/" + id + "/pages/docs/autodoc/index.md")
          .then()
          .statusCode(404)
          .body("reason", equalTo("NOT_FOUND"));
    }
  }

  @Test
  void anUnknownRepositoryIsNotFound() {
    api().get("/api/v1/repositories/nope-0000000000").then().statusCode(404);
    api().get("/api/v1/repositories/nope-0000000000/pages").then().statusCode(404);
  }
}
