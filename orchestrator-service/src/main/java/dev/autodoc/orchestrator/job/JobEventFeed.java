package dev.autodoc.orchestrator.job;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Follows a job's event log as it grows, for the event stream. Every replica holds one connection
 * listening on {@link JobEvents#CHANNEL}, so an event written by any replica wakes the streams of
 * all; a follower then reads what is after the last event it sent, so a missed or merged
 * notification loses nothing, and a slow poll covers the time the listening connection is being
 * made again.
 */
@ApplicationScoped
public class JobEventFeed {
  private static final Logger LOG = Logger.getLogger(JobEventFeed.class);
  private static final int BATCH = 500;

  private final Pool pool;
  private final Vertx vertx;
  private final JobEvents events;
  private final JobRepository jobs;
  private final Duration poll;
  private final Duration keepAlive;
  private final Map<UUID, Set<Runnable>> followers = new ConcurrentHashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile SqlConnection listening;

  JobEventFeed(
      Pool pool,
      Vertx vertx,
      JobEvents events,
      JobRepository jobs,
      @ConfigProperty(name = "autodoc.orchestrator.events.poll", defaultValue = "2s") Duration poll,
      @ConfigProperty(name = "autodoc.orchestrator.events.keep-alive", defaultValue = "15s")
          Duration keepAlive) {
    this.pool = pool;
    this.vertx = vertx;
    this.events = events;
    this.jobs = jobs;
    this.poll = poll;
    this.keepAlive = keepAlive;
  }

  void start(@Observes StartupEvent event) {
    listen();
  }

  void stop(@Observes ShutdownEvent event) {
    stopped.set(true);
    SqlConnection connection = listening;
    if (connection != null) {
      connection.closeAndForget();
    }
  }

  private void listen() {
    if (stopped.get()) {
      return;
    }
    pool.getConnection()
        .call(c -> c.query("listen " + JobEvents.CHANNEL).execute().replaceWith(c))
        .subscribe()
        .with(
            connection -> {
              listening = connection;
              PgConnection pg = PgConnection.cast(connection);
              pg.notificationHandler(n -> wake(n.getPayload()));
              pg.closeHandler(
                  () -> {
                    listening = null;
                    LOG.debug("the connection listening for job events closed; listening again");
                    vertx.setTimer(1_000, t -> listen());
                  });
              // What was written while no connection listened is read by the next poll.
              followers.values().forEach(set -> set.forEach(Runnable::run));
            },
            failure -> {
              LOG.debugf("cannot listen for job events yet: %s", failure.getMessage());
              vertx.setTimer(1_000, t -> listen());
            });
  }

  private void wake(String payload) {
    try {
      Set<Runnable> waiting = followers.get(UUID.fromString(payload));
      if (waiting != null) {
        waiting.forEach(Runnable::run);
      }
    } catch (IllegalArgumentException e) {
      LOG.debugf("a job event notification without a job id: %s", payload);
    }
  }

  /**
   * The job's events after {@code after}, then each new one as it is written, until the job's final
   * status; an empty item asks for a keep-alive, sent when nothing else was for a while. A job that
   * ended before its events were kept ends the stream once its log is read.
   */
  public Multi<Optional<JobEvents.JobEvent>> follow(UUID jobId, long after) {
    return Multi.createFrom().emitter(emitter -> new Follower(jobId, after, emitter).start());
  }

  /** Reads a job's log one batch at a time: never two reads at once, never a wake-up lost. */
  private final class Follower implements Runnable {
    private final UUID jobId;
    private final AtomicLong last;
    private final MultiEmitter<? super Optional<JobEvents.JobEvent>> emitter;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile long lastSentNanos = System.nanoTime();
    private long timer = -1;

    Follower(UUID jobId, long after, MultiEmitter<? super Optional<JobEvents.JobEvent>> emitter) {
      this.jobId = jobId;
      this.last = new AtomicLong(after);
      this.emitter = emitter;
    }

    void start() {
      followers.computeIfAbsent(jobId, k -> ConcurrentHashMap.newKeySet()).add(this);
      timer = vertx.setPeriodic(poll.toMillis(), t -> tick());
      emitter.onTermination(this::forget);
      run();
    }

    private void tick() {
      if (System.nanoTime() - lastSentNanos > keepAlive.toNanos()) {
        lastSentNanos = System.nanoTime();
        emitter.emit(Optional.empty());
      }
      run();
    }

    private void forget() {
      vertx.cancelTimer(timer);
      followers.computeIfPresent(
          jobId,
          (k, set) -> {
            set.remove(this);
            return set.isEmpty() ? null : set;
          });
    }

    @Override
    public void run() {
      again.set(true);
      if (emitter.isCancelled() || !reading.compareAndSet(false, true)) {
        return;
      }
      again.set(false);
      events
          .after(pool, jobId, last.get(), BATCH)
          .chain(batch -> batch.isEmpty() ? readIfEnded() : just(new Read(batch, false)))
          .subscribe()
          .with(this::send, this::fail);
    }

    /**
     * Nothing new: if the job has ended, its log is read once more (its final event may have been
     * committed just after the first read) and is all there will be: a job that ended before its
     * events were kept has no final event.
     */
    private Uni<Read> readIfEnded() {
      return jobs.find(pool, jobId)
          .chain(
              job ->
                  job.isEmpty() || !job.get().status().isFinal()
                      ? just(new Read(List.of(), false))
                      : events
                          .after(pool, jobId, last.get(), BATCH)
                          .map(batch -> new Read(batch, batch.size() < BATCH)));
    }

    private void send(Read read) {
      for (JobEvents.JobEvent event : read.events()) {
        last.set(event.seq());
        lastSentNanos = System.nanoTime();
        emitter.emit(Optional.of(event));
        if (event.ends()) {
          emitter.complete();
          return;
        }
      }
      if (read.over()) {
        emitter.complete();
        return;
      }
      reading.set(false);
      if (read.events().size() == BATCH || again.get()) {
        run();
      }
    }

    private void fail(Throwable failure) {
      reading.set(false);
      // The next notification or poll reads again; the client keeps its stream.
      LOG.debugf("reading the events of job %s: %s", jobId, failure.getMessage());
    }
  }

  /** A batch of events, and whether the job has ended with nothing after it. */
  private record Read(List<JobEvents.JobEvent> events, boolean over) {}

  private static <T> Uni<T> just(T item) {
    return Uni.createFrom().item(item);
  }
}
