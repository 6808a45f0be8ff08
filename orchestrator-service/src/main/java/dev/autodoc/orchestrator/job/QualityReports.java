package dev.autodoc.orchestrator.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.QualityReport;
import dev.autodoc.support.messaging.Failures;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/** A job's quality report, as the reconciler builds it from the scopes' outcomes. */
final class QualityReports {
  private QualityReports() {}

  /** Empty until a scope reported, or when no reconciler ran against this database. */
  static Uni<Optional<QualityReport>> of(Pool pool, UUID jobId) {
    return pool.preparedQuery(
            "select cast(quality as text) as quality from reconciler.job_report where job_id = $1")
        .execute(Tuple.of(jobId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.<QualityReport>empty();
              }
              try {
                return Optional.of(
                    EventCodec.json()
                        .readValue(
                            rows.iterator().next().getString("quality"), QualityReport.class));
              } catch (JsonProcessingException e) {
                throw new IllegalStateException(
                    "reconciler.job_report of job " + jobId + " is unreadable", e);
              }
            })
        .onFailure(Failures::isUndefinedTable)
        .recoverWithItem(Optional.empty());
  }
}
