package dev.autodoc.worker;

import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.git.IdleMirrors;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.net.AddressPolicy;
import dev.autodoc.worker.persistence.ScopeRunRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.io.FileUtils;
import org.jboss.logging.Logger;

/**
 * The scope workspaces ({@code runs/<worker>/<job>-<scope hash>-a<attempt>}) and the repository
 * mirrors under {@code autodoc.worker.workspace-dir}.
 *
 * <p>A run deletes its own workspace when it ends; a worker that dies (killed, out of memory, its
 * node gone) leaves it behind. On a schedule every workspace that no run of this process is using
 * and whose job is no longer running (ended, or unknown to the orchestrator) is removed, together
 * with the emptied directories of dead workers, and mirrors not used for {@code mirror-retention}
 * ({@link IdleMirrors}). Workers may share the directory: another live worker's workspace belongs
 * to a running job and is left alone. While the orchestrator's tables cannot be read, no workspace
 * is judged.
 */
@ApplicationScoped
public class Workspaces {
  private static final Logger LOG = Logger.getLogger(Workspaces.class);

  private final Path runs;
  private final IdleMirrors mirrors;
  private final ScopeRunRepository jobs;
  private final Set<Path> inUse = ConcurrentHashMap.newKeySet();

  Workspaces(WorkerConfig config, AddressPolicy policy, ScopeRunRepository jobs) {
    this.jobs = jobs;
    this.runs = config.workspaceDir().resolve("runs");
    this.mirrors =
        new IdleMirrors(
            GitMirror.of(mirrorDir(config), config.git(), policy),
            jobs.pool(),
            config.mirrorRetention());
  }

  /** Where this worker keeps its repository mirrors. */
  public static Path mirrorDir(WorkerConfig config) {
    return config.workspaceDir().resolve("mirrors");
  }

  /** Reserves the workspace of one run; {@link #release} deletes it. */
  public Path reserve(String workerId, UUID jobId, String scopePath, int attempt) {
    Path workspace =
        runs.resolve(workerId)
            .resolve(jobId + "-" + Integer.toHexString(scopePath.hashCode()) + "-a" + attempt);
    inUse.add(workspace);
    return workspace;
  }

  public void release(Path workspace) {
    FileUtils.deleteQuietly(workspace.toFile());
    inUse.remove(workspace);
  }

  /** What one clean-up removed. */
  public record Cleaned(List<Path> workspaces, List<String> mirrors) {}

  @Scheduled(
      every = "${autodoc.worker.cleanup-interval:10m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      Cleaned cleaned = clean();
      if (!cleaned.workspaces().isEmpty() || !cleaned.mirrors().isEmpty()) {
        LOG.infof(
            "removed %d orphaned workspaces %s and %d idle mirrors %s",
            cleaned.workspaces().size(),
            cleaned.workspaces(),
            cleaned.mirrors().size(),
            cleaned.mirrors());
      }
    } catch (RuntimeException e) {
      LOG.warnf("cleaning up workspaces: %s", Failures.describe(e));
    }
  }

  /** Blocking: removes orphaned workspaces and idle mirrors. */
  public Cleaned clean() {
    return new Cleaned(removeOrphans(), mirrors.remove());
  }

  private List<Path> removeOrphans() {
    List<Path> candidates = new ArrayList<>();
    Set<UUID> jobIds = new HashSet<>();
    for (Path worker : children(runs)) {
      for (Path workspace : children(worker)) {
        UUID job = jobOf(workspace);
        if (job == null) {
          LOG.debugf("%s is not a scope workspace; left alone", workspace);
        } else if (!inUse.contains(workspace)) {
          candidates.add(workspace);
          jobIds.add(job);
        }
      }
    }
    List<Path> removed = new ArrayList<>();
    if (!candidates.isEmpty()) {
      Set<UUID> running;
      try {
        running = jobs.unfinishedJobs(jobIds).await().atMost(Duration.ofSeconds(30));
      } catch (RuntimeException e) {
        if (Failures.isUndefinedTable(e)) {
          return removed;
        }
        throw e;
      }
      for (Path workspace : candidates) {
        if (!running.contains(jobOf(workspace)) && !inUse.contains(workspace)) {
          FileUtils.deleteQuietly(workspace.toFile());
          removed.add(workspace);
        }
      }
    }
    for (Path worker : children(runs)) {
      try {
        Files.deleteIfExists(worker);
      } catch (DirectoryNotEmptyException e) {
        // a worker's directory with workspaces in it stays
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + worker, e);
      }
    }
    return removed;
  }

  private static UUID jobOf(Path workspace) {
    String name = workspace.getFileName().toString();
    if (name.length() < 36) {
      return null;
    }
    try {
      return UUID.fromString(name.substring(0, 36));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
