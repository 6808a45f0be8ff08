package dev.autodoc.orchestrator.repository;

import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.schedule.CronSchedule;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Repository schedules: stored here, fired by the reconciler (which records each time it fell due
 * in {@code reconciler.schedule_run}, shown here as the last run).
 */
@ApplicationScoped
public class RepositorySchedules {
  private final Pool pool;

  RepositorySchedules(Pool pool) {
    this.pool = pool;
  }

  /**
   * A schedule as the API shows it: when it next falls due and what its last due time did (the job
   * it requested, or none when a job of the repository was already waiting).
   */
  public record Schedule(
      String repositoryId,
      String repositoryUrl,
      String branch,
      String cron,
      String timeZone,
      Instant updatedAt,
      Instant nextRunAt,
      LastRun lastRun) {}

  public record LastRun(Instant dueAt, UUID jobId) {}

  /** Creates or replaces the schedule of a repository Autodoc knows. */
  public Uni<Schedule> put(
      RepositoryPages.Repository repository, CronSchedule schedule, String branch) {
    return pool.preparedQuery(
            "insert into orchestrator.repository_schedule (repository_id, repository_url, branch,"
                + " cron, time_zone) values ($1, $2, $3, $4, $5) on conflict (repository_id) do"
                + " update set repository_url = excluded.repository_url, branch = excluded.branch,"
                + " cron = excluded.cron, time_zone = excluded.time_zone, updated_at = now()")
        .execute(
            Tuple.from(
                Arrays.asList(
                    repository.id(),
                    repository.url(),
                    branch,
                    schedule.expression(),
                    schedule.zone().getId())))
        .chain(() -> get(repository.id()))
        .map(Optional::orElseThrow);
  }

  public Uni<Optional<Schedule>> get(String repositoryId) {
    return pool.preparedQuery(
            "select repository_id, repository_url, branch, cron, time_zone, updated_at"
                + " from orchestrator.repository_schedule where repository_id = $1")
        .execute(Tuple.of(repositoryId))
        .chain(
            rows -> {
              if (rows.rowCount() == 0) {
                return Uni.createFrom().item(Optional.<Schedule>empty());
              }
              Row r = rows.iterator().next();
              return lastRun(repositoryId).map(last -> Optional.of(schedule(r, last)));
            });
  }

  /** Removes the schedule; false when there was none. */
  public Uni<Boolean> delete(String repositoryId) {
    return pool.preparedQuery(
            "delete from orchestrator.repository_schedule where repository_id = $1")
        .execute(Tuple.of(repositoryId))
        .map(rows -> rows.rowCount() > 0);
  }

  private Uni<LastRun> lastRun(String repositoryId) {
    return pool.preparedQuery(
            "select due_at, job_id from reconciler.schedule_run where repository_id = $1"
                + " order by due_at desc limit 1")
        .execute(Tuple.of(repositoryId))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return null;
              }
              Row last = rows.iterator().next();
              return new LastRun(
                  last.getOffsetDateTime("due_at").toInstant(), last.getUUID("job_id"));
            })
        // Until a reconciler has run against this database nothing has fired.
        .onFailure(Failures::isUndefinedTable)
        .recoverWithNull();
  }

  private static Schedule schedule(Row r, LastRun last) {
    CronSchedule cron = CronSchedule.parse(r.getString("cron"), r.getString("time_zone"));
    return new Schedule(
        r.getString("repository_id"),
        r.getString("repository_url"),
        r.getString("branch"),
        cron.expression(),
        cron.zone().getId(),
        r.getOffsetDateTime("updated_at").toInstant(),
        cron.nextDue(Instant.now()).orElse(null),
        last);
  }
}
