package dev.autodoc.orchestrator.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.event.QualitySummary;
import dev.autodoc.common.event.ScanInventory;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.common.scope.Scope;
import dev.autodoc.orchestrator.plan.JobPlan;
import dev.autodoc.support.tracing.Traces;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries of the job and job_scope tables. Rules belong to {@link JobService}. */
@ApplicationScoped
public class JobRepository {
  private static final String JOB_COLUMNS =
      "id, repository_id, repository_url, branch, mode, force, dry_run, callback_url, status, commit_sha,"
          + " error::text as error, created_at, updated_at, started_at, finished_at,"
          + " pull_request::text as pull_request, baseline_sha, plan::text as plan, trace_parent";
  private static final List<String> ACTIVE = List.of("PLANNING", "RUNNING", "FINALIZING");

  private final Pool pool;
  private final JobEvents events;

  JobRepository(Pool pool, JobEvents events) {
    this.pool = pool;
    this.events = events;
  }

  public Pool pool() {
    return pool;
  }

  /** The trace context the job was made in (see {@link Job#traceParent}); null when it has none. */
  public Uni<String> traceParent(UUID jobId) {
    return pool.preparedQuery("select trace_parent from orchestrator.job where id = $1")
        .execute(Tuple.of(jobId))
        .map(rows -> first(rows, r -> r.getString("trace_parent")).orElse(null));
  }

  /** Inserts a queued job; empty when a job with that id or idempotency key exists. */
  public Uni<Boolean> insert(
      SqlConnection tx, NewJob job, String idempotencyKey, String requestHash) {
    return tx.preparedQuery(
            "insert into orchestrator.job (id, repository_id, repository_url, branch, mode, force, dry_run,"
                + " callback_url, status, idempotency_key, request_hash, trace_parent)"
                + " values ($1,$2,$3,$4,$5,$6,$7,$8,'QUEUED',$9,$10,$11)"
                + " on conflict do nothing")
        .execute(
            Tuple.from(
                new Object[] {
                  job.id(),
                  job.repository().id(),
                  job.repository().url(),
                  job.branch(),
                  job.mode() == null ? null : job.mode().name(),
                  job.force(),
                  job.dryRun(),
                  job.callbackUrl(),
                  idempotencyKey,
                  requestHash,
                  Traces.currentTraceParent()
                }))
        .map(rows -> rows.rowCount() == 1)
        .call(
            inserted ->
                inserted
                    ? events.job(tx, job.id(), JobStatus.QUEUED)
                    : Uni.createFrom().voidItem());
  }

  public record IdempotentJob(UUID id, String requestHash) {}

  public Uni<Optional<IdempotentJob>> findByIdempotencyKey(SqlClient client, String key) {
    return client
        .preparedQuery("select id, request_hash from orchestrator.job where idempotency_key = $1")
        .execute(Tuple.of(key))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.empty()
                    : Optional.of(
                        new IdempotentJob(
                            rows.iterator().next().getUUID("id"),
                            rows.iterator().next().getString("request_hash"))));
  }

  public Uni<Optional<Job>> find(SqlClient client, UUID id) {
    return client
        .preparedQuery("select " + JOB_COLUMNS + " from orchestrator.job where id = $1")
        .execute(Tuple.of(id))
        .map(rows -> first(rows, JobRepository::toJob));
  }

  public Uni<Optional<Job>> findForUpdate(SqlConnection tx, UUID id) {
    return tx.preparedQuery(
            "select " + JOB_COLUMNS + " from orchestrator.job where id = $1 for update")
        .execute(Tuple.of(id))
        .map(rows -> first(rows, JobRepository::toJob));
  }

  /** A page of jobs, newest first, after the cursor position. */
  public Uni<List<Job>> list(
      String repositoryId, JobStatus status, Instant afterCreated, UUID afterId, int limit) {
    var sql = new StringBuilder("select " + JOB_COLUMNS + " from orchestrator.job where true");
    var args = new ArrayList<Object>();
    if (repositoryId != null) {
      args.add(repositoryId);
      sql.append(" and repository_id = $").append(args.size());
    }
    if (status != null) {
      args.add(status.name());
      sql.append(" and status = $").append(args.size());
    }
    if (afterCreated != null) {
      args.add(afterCreated.atOffset(ZoneOffset.UTC));
      args.add(afterId);
      sql.append(" and (created_at, id) < ($")
          .append(args.size() - 1)
          .append(", $")
          .append(args.size())
          .append(")");
    }
    args.add(limit);
    sql.append(" order by created_at desc, id desc limit $").append(args.size());
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(args))
        .map(
            rows -> {
              var jobs = new ArrayList<Job>();
              rows.forEach(r -> jobs.add(toJob(r)));
              return jobs;
            });
  }

  /**
   * Picks the jobs that may start: the oldest queued job of each repository with nothing active,
   * while fewer than {@code limit} jobs are active. Serialized across replicas by an advisory lock.
   */
  public Uni<List<UUID>> admit(SqlConnection tx, int limit) {
    return tx.query("select pg_advisory_xact_lock(hashtext('autodoc.admission'))")
        .execute()
        .chain(
            () ->
                tx.preparedQuery(
                        "with active as (select count(*) as n from orchestrator.job where status = any($1)),"
                            + " candidates as (select distinct on (repository_id) id, repository_id, created_at"
                            + "   from orchestrator.job j where status = 'QUEUED' and not exists ("
                            + "     select 1 from orchestrator.job a where a.repository_id = j.repository_id and a.status = any($1))"
                            + "   order by repository_id, created_at)"
                            + " update orchestrator.job set status = 'PLANNING', planning_started_at = now(), updated_at = now()"
                            + " where id in (select id from candidates order by created_at"
                            + "   limit greatest(0, $2 - (select n from active)))"
                            + " returning id")
                    .execute(Tuple.of(ACTIVE.toArray(String[]::new), limit)))
        .map(JobRepository::ids)
        .call(
            admitted ->
                io.smallrye.mutiny.Multi.createFrom()
                    .iterable(admitted)
                    .onItem()
                    .transformToUniAndConcatenate(id -> events.job(tx, id, JobStatus.PLANNING))
                    .collect()
                    .last());
  }

  /** Jobs stuck planning or finalizing longer than the lease, taken over by this caller. */
  public Uni<List<UUID>> reclaim(SqlConnection tx, JobStatus status, java.time.Duration lease) {
    return tx.preparedQuery(
            "update orchestrator.job set planning_started_at = now(), updated_at = now()"
                + " where status = $1 and planning_started_at < now() - make_interval(secs => $2) returning id")
        .execute(Tuple.of(status.name(), (double) lease.toSeconds()))
        .map(JobRepository::ids);
  }

  /** Moves a job from one status to another; false when it was not in {@code from}. */
  public Uni<Boolean> transition(SqlConnection tx, UUID id, JobStatus from, JobStatus to) {
    String stamp =
        switch (to) {
          case RUNNING -> ", started_at = now()";
          case FINALIZING -> ", planning_started_at = now()";
          case COMPLETED, FAILED, CANCELLED -> ", finished_at = now()";
          default -> "";
        };
    return tx.preparedQuery(
            "update orchestrator.job set status = $3, updated_at = now()"
                + stamp
                + " where id = $1 and status = $2")
        .execute(Tuple.of(id, from.name(), to.name()))
        .map(rows -> rows.rowCount() == 1)
        .call(moved -> moved ? events.job(tx, id, to) : Uni.createFrom().voidItem());
  }

  /** Records the plan: the commit, baseline and mode it decided, and every scope's decision. */
  public Uni<Void> setPlan(SqlConnection tx, UUID id, JobPlan plan) {
    return tx.preparedQuery(
            "update orchestrator.job set commit_sha = $2, baseline_sha = $3, mode = $4,"
                + " plan = cast($5 as text)::jsonb where id = $1")
        .execute(
            Tuple.of(
                id,
                plan.commitSha(),
                plan.baselineSha(),
                plan.mode().name(),
                EventCodec.toJson(plan)))
        .replaceWithVoid();
  }

  public Uni<Void> setPullRequest(SqlConnection tx, UUID id, PullRequest pullRequest) {
    return tx.preparedQuery(
            "update orchestrator.job set pull_request = cast($2 as text)::jsonb where id = $1")
        .execute(Tuple.of(id, EventCodec.toJson(pullRequest)))
        .replaceWithVoid();
  }

  public Uni<Void> setError(SqlConnection tx, UUID id, ErrorReport error) {
    return tx.preparedQuery(
            "update orchestrator.job set error = cast($2 as text)::jsonb where id = $1")
        .execute(Tuple.of(id, EventCodec.toJson(error)))
        .replaceWithVoid();
  }

  public Uni<Void> insertScopes(SqlConnection tx, UUID jobId, List<Scope> scopes) {
    if (scopes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> rows =
        scopes.stream()
            .map(
                s ->
                    Tuple.of(
                        jobId,
                        s.path(),
                        s.config().name(),
                        EventCodec.toJson(s.config()),
                        EventCodec.toJson(s.excludedPaths())))
            .toList();
    return tx.preparedQuery(
            "insert into orchestrator.job_scope (job_id, path, name, config, excluded, status)"
                + " values ($1, $2, $3, cast($4 as text)::jsonb, cast($5 as text)::jsonb, 'PENDING') on conflict do nothing")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  public Uni<Optional<JobScope>> findScopeForUpdate(SqlConnection tx, UUID jobId, String path) {
    return tx.preparedQuery(scopeSelect() + " where job_id = $1 and path = $2 for update")
        .execute(Tuple.of(jobId, path))
        .map(rows -> first(rows, JobRepository::toScope));
  }

  public Uni<List<JobScope>> scopes(SqlClient client, UUID jobId) {
    return client
        .preparedQuery(scopeSelect() + " where job_id = $1 order by path")
        .execute(Tuple.of(jobId))
        .map(
            rows -> {
              var scopes = new ArrayList<JobScope>();
              rows.forEach(r -> scopes.add(toScope(r)));
              return scopes;
            });
  }

  public Uni<Void> finishScope(
      SqlConnection tx,
      UUID jobId,
      String path,
      ScopeStatus status,
      int attempt,
      String workerId,
      ScanInventory inventory,
      QualitySummary quality,
      TokenUsage tokens,
      ErrorReport error,
      long durationMillis) {
    return tx.preparedQuery(
            "update orchestrator.job_scope set status = $3, attempt = $4, worker_id = $5,"
                + " inventory = cast($6 as text)::jsonb, error = cast($7 as text)::jsonb, duration_ms = $8, quality = cast($9 as text)::jsonb,"
                + " tokens = cast($10 as text)::jsonb, finished_at = now() where job_id = $1 and path = $2")
        .execute(
            Tuple.from(
                new Object[] {
                  jobId,
                  path,
                  status.name(),
                  attempt,
                  workerId,
                  EventCodec.toJson(inventory),
                  EventCodec.toJson(error),
                  durationMillis,
                  EventCodec.toJson(quality),
                  EventCodec.toJson(tokens)
                }))
        .replaceWithVoid();
  }

  /** How many scopes of the job have not reached an end state. */
  public Uni<Long> unfinishedScopes(SqlConnection tx, UUID jobId) {
    return tx.preparedQuery(
            "select count(*) as n from orchestrator.job_scope where job_id = $1 and status not in ('SUCCEEDED', 'FAILED')")
        .execute(Tuple.of(jobId))
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  private static String scopeSelect() {
    return "select path, name, excluded::text as excluded, status, attempt, worker_id, inventory::text as inventory,"
        + " error::text as error, duration_ms, quality::text as quality, tokens::text as tokens, finished_at from orchestrator.job_scope";
  }

  /** The first row, mapped; empty when there is none. */
  private static <T> Optional<T> first(
      io.vertx.mutiny.sqlclient.RowSet<Row> rows, java.util.function.Function<Row, T> map) {
    return rows.rowCount() == 0 ? Optional.empty() : Optional.of(map.apply(rows.iterator().next()));
  }

  private static List<UUID> ids(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
    var ids = new ArrayList<UUID>();
    rows.forEach(r -> ids.add(r.getUUID("id")));
    return ids;
  }

  private static Job toJob(Row r) {
    return new Job(
        r.getUUID("id"),
        r.getString("repository_id"),
        r.getString("repository_url"),
        r.getString("branch"),
        r.getString("mode") == null ? null : JobMode.valueOf(r.getString("mode")),
        r.getBoolean("force"),
        r.getBoolean("dry_run"),
        r.getString("callback_url"),
        JobStatus.valueOf(r.getString("status")),
        r.getString("commit_sha"),
        read(r.getString("error"), ErrorReport.class),
        instant(r, "created_at"),
        instant(r, "updated_at"),
        instant(r, "started_at"),
        instant(r, "finished_at"),
        read(r.getString("pull_request"), PullRequest.class),
        r.getString("baseline_sha"),
        read(r.getString("plan"), JobPlan.class),
        r.getString("trace_parent"));
  }

  private static JobScope toScope(Row r) {
    return new JobScope(
        r.getString("path"),
        r.getString("name"),
        read(r.getString("excluded"), new TypeReference<List<String>>() {}),
        ScopeStatus.valueOf(r.getString("status")),
        r.getInteger("attempt"),
        r.getString("worker_id"),
        read(r.getString("inventory"), ScanInventory.class),
        read(r.getString("quality"), QualitySummary.class),
        read(r.getString("tokens"), TokenUsage.class),
        read(r.getString("error"), ErrorReport.class),
        r.getLong("duration_ms"),
        instant(r, "finished_at"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime value = r.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return json == null ? null : EventCodec.json().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "unreadable " + type.getSimpleName() + " in the database: " + e.getOriginalMessage(), e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return json == null ? null : EventCodec.json().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "unreadable JSON in the database: " + e.getOriginalMessage(), e);
    }
  }
}
