package dev.autodoc.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.testing.NeighbourSchemas;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Orphaned workspaces, as dead workers leave them in a shared workspace directory, against the
 * orchestrator's real job table (created with its own migrations).
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class WorkspacesIT {
  @Inject Workspaces workspaces;
  @Inject WorkerConfig config;
  @Inject Pool pool;

  @Test
  void workspacesOfJobsNoLongerRunningAreRemovedAndTheRestKept() throws Exception {
    NeighbourSchemas.migrate(
        LocalStackResource.endpoints(), "orchestrator", "orchestrator-service");
    String repository = "repo-" + UUID.randomUUID();
    UUID ended = job("COMPLETED", repository);
    UUID cancelled = job("CANCELLED", repository);
    UUID running = job("RUNNING", "busy-" + repository);
    UUID unknown = UUID.randomUUID();
    Path runs = config.workspaceDir().resolve("runs");
    String dead = "worker-gone-" + UUID.randomUUID();
    Path endedWorkspace = workspace(runs.resolve(dead), ended + "-1a2b-a1");
    Path cancelledWorkspace = workspace(runs.resolve(dead), cancelled + "-1a2b-a2");
    Path unknownWorkspace = workspace(runs.resolve(dead), unknown + "-77-a1");
    // Another live worker's scope of a running job, and one this worker is running right now.
    Path runningWorkspace = workspace(runs.resolve("worker-alive"), running + "-1a2b-a1");
    Path ownWorkspace = workspaces.reserve("worker-this", ended, "late/scope", 3);
    workspace(ownWorkspace.getParent(), ownWorkspace.getFileName().toString());
    Path stranger = workspace(runs.resolve("worker-alive"), "notes");
    // Mirrors untouched for eight days, one of them of a repository with a job running; and one
    // used just now.
    Path mirrors = Workspaces.mirrorDir(config);
    Path idleMirror = workspace(mirrors, repository + ".git");
    Path busyMirror = workspace(mirrors, "busy-" + repository + ".git");
    for (Path mirror : List.of(idleMirror, busyMirror)) {
      Files.setLastModifiedTime(mirror, FileTime.from(Instant.now().minus(Duration.ofDays(8))));
    }
    Path freshMirror = workspace(mirrors, "fresh-" + UUID.randomUUID() + ".git");

    Workspaces.Cleaned cleaned = workspaces.clean();

    assertThat(cleaned.workspaces())
        .containsExactlyInAnyOrder(endedWorkspace, cancelledWorkspace, unknownWorkspace);
    assertThat(endedWorkspace).doesNotExist();
    assertThat(cancelledWorkspace).doesNotExist();
    assertThat(unknownWorkspace).doesNotExist();
    // The dead worker's emptied directory goes too.
    assertThat(runs.resolve(dead)).doesNotExist();
    assertThat(runningWorkspace.resolve("file.txt")).exists();
    assertThat(ownWorkspace.resolve("file.txt")).exists();
    assertThat(stranger).isDirectory();
    assertThat(cleaned.mirrors()).containsExactly(idleMirror.getFileName().toString());
    assertThat(idleMirror).doesNotExist();
    assertThat(busyMirror).isDirectory();
    assertThat(freshMirror).isDirectory();

    // Once its run ends, this worker's workspace is gone; the running job's stays until it ends.
    workspaces.release(ownWorkspace);
    assertThat(ownWorkspace).doesNotExist();
    pool.preparedQuery("update orchestrator.job set status = 'FAILED' where id = $1")
        .execute(Tuple.of(running))
        .await()
        .indefinitely();
    Workspaces.Cleaned after = workspaces.clean();
    assertThat(after.workspaces()).containsExactly(runningWorkspace);
    assertThat(after.mirrors()).containsExactly(busyMirror.getFileName().toString());
    assertThat(stranger).isDirectory();
    assertThat(freshMirror).isDirectory();
  }

  private UUID job(String status, String repository) {
    UUID id = UUID.randomUUID();
    pool.preparedQuery(
            "insert into orchestrator.job (id, repository_id, repository_url, mode, status)"
                + " values ($1, $2, 'file:///srv/repo', 'FULL', $3)")
        .execute(Tuple.of(id, repository, status))
        .await()
        .indefinitely();
    return id;
  }

  private static Path workspace(Path parent, String name) throws Exception {
    Path dir = Files.createDirectories(parent.resolve(name));
    Files.writeString(dir.resolve("file.txt"), "left behind");
    return dir;
  }
}
