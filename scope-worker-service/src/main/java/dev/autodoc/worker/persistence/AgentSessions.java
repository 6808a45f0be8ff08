package dev.autodoc.worker.persistence;

import dev.autodoc.common.event.EventCodec;
import dev.autodoc.worker.docs.AgentSession;
import dev.autodoc.worker.docs.SessionRecorder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sessions in {@code worker.agent_session}, written outside the run's final transaction so that a
 * session is visible while its agent works and survives a run that fails. Called from pipeline
 * steps, which run on worker threads and may block.
 */
@ApplicationScoped
public class AgentSessions implements SessionRecorder {
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  private final Pool pool;

  AgentSessions(Pool pool) {
    this.pool = pool;
  }

  @Override
  public UUID open(
      UUID jobId, String scopePath, String pagePath, String agent, Map<String, Object> input) {
    UUID id = UUID.randomUUID();
    pool.preparedQuery(
            "insert into worker.agent_session (id, job_id, scope_path, page_path, agent, status, input)"
                + " values ($1, $2, $3, $4, $5, 'RUNNING', cast($6 as text)::jsonb)")
        .execute(Tuple.of(id, jobId, scopePath, pagePath, agent, EventCodec.toJson(input)))
        .await()
        .atMost(WRITE_TIMEOUT);
    return id;
  }

  @Override
  public void close(UUID id, String status, AgentSession session) {
    pool.preparedQuery(
            "update worker.agent_session set status = $2, steps = cast($3 as text)::jsonb, output = $4,"
                + " prompt_tokens = $5, completion_tokens = $6, finished_at = now() where id = $1")
        .execute(
            Tuple.of(
                id,
                status,
                EventCodec.toJson(session.steps()),
                session.output(),
                session.promptTokens(),
                session.completionTokens()))
        .await()
        .atMost(WRITE_TIMEOUT);
  }

  @Override
  public void recordAll(List<Finished> sessions) {
    if (sessions.isEmpty()) {
      return;
    }
    pool.preparedQuery(
            "insert into worker.agent_session (id, job_id, scope_path, page_path, agent, status,"
                + " input, steps, output, prompt_tokens, completion_tokens, finished_at)"
                + " values ($1, $2, $3, $4, $5, $6, cast($7 as text)::jsonb,"
                + " cast($8 as text)::jsonb, $9, $10, $11, now())")
        .executeBatch(
            sessions.stream()
                .map(
                    f ->
                        Tuple.from(
                            List.of(
                                UUID.randomUUID(),
                                f.jobId(),
                                f.scopePath(),
                                f.pagePath(),
                                f.session().agent(),
                                f.status(),
                                EventCodec.toJson(f.session().input()),
                                EventCodec.toJson(f.session().steps()),
                                f.session().output(),
                                f.session().promptTokens(),
                                f.session().completionTokens())))
                .toList())
        .await()
        .atMost(WRITE_TIMEOUT);
  }
}
