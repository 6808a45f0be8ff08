package dev.autodoc.support.logging;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.event.ScopeOutcome;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.support.tracing.Traces;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jboss.logging.MDC;

/**
 * The job, scope and attempt a service is working for, in the logging context (MDC), so that every
 * line written meanwhile carries them, with the trace id: as fields of the JSON log in a cluster,
 * where lines of one job are found across services and replicas. On a Vert.x context the MDC lives
 * with the event being handled; on threads of the service's own, it is set when the work starts
 * there and cleared when it ends.
 */
public final class JobLogContext {
  public static final String JOB = "jobId";
  public static final String SCOPE = "scope";
  public static final String ATTEMPT = "attempt";

  /** The key Quarkus uses for the trace id on Vert.x contexts, set here on other threads too. */
  public static final String TRACE = "traceId";

  private JobLogContext() {}

  /** Enters the context of the work an event asks for. */
  public static void enter(AutodocEvent event) {
    switch (event) {
      case ScopeRequested r -> enter(r.jobId(), r.scopePath(), r.attempt());
      case ScopeOutcome o -> enter(o.jobId(), o.scopePath(), o.attempt());
      case JobProgress p -> enter(p.jobId(), p.scopePath(), p.attempt());
      default -> enter(event.jobId(), null, null);
    }
  }

  /** Enters the job's context, in the trace context current on this thread. */
  public static void enter(UUID jobId, String scope, Integer attempt) {
    MDC.put(JOB, jobId.toString());
    String traceId = Traces.currentTraceId();
    if (traceId != null) {
      MDC.put(TRACE, traceId);
    }
    if (scope != null) {
      MDC.put(SCOPE, scope.isEmpty() ? "." : scope);
    } else {
      MDC.remove(SCOPE);
    }
    if (attempt != null) {
      MDC.put(ATTEMPT, attempt.toString());
    } else {
      MDC.remove(ATTEMPT);
    }
  }

  public static void leave() {
    MDC.remove(JOB);
    MDC.remove(SCOPE);
    MDC.remove(ATTEMPT);
    MDC.remove(TRACE);
  }

  /**
   * The task, run on another thread in the context of the thread that made it: its job fields and
   * its trace context (so the lines it writes carry the trace id too).
   */
  public static <T> Callable<T> carried(Callable<T> task) {
    Map<String, Object> context = Map.copyOf(MDC.getMap());
    Context trace = Context.current();
    return trace.wrap(
        () -> {
          context.forEach(MDC::put);
          try {
            return task.call();
          } finally {
            context.keySet().forEach(MDC::remove);
          }
        });
  }
}
