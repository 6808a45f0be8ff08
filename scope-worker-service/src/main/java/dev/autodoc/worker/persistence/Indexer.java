package dev.autodoc.worker.persistence;

import dev.autodoc.support.embedding.Embedder;
import dev.autodoc.support.messaging.Failures;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Makes the vectors scopes queued ({@link VectorStore#queueMissing}), batch after batch until the
 * queue is empty, then looks again every {@code autodoc.worker.index.interval}. Every worker runs
 * one; they share the queue. Search finds a page's new text once its vectors are made.
 */
@ApplicationScoped
public class Indexer {
  private static final Logger LOG = Logger.getLogger(Indexer.class);

  private final VectorStore vectors;
  private final Embedder embedder;
  private volatile boolean stopping;

  Indexer(VectorStore vectors, Embedder embedder) {
    this.vectors = vectors;
    this.embedder = embedder;
  }

  @Scheduled(
      every = "${autodoc.worker.index.interval:1s}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void drain() {
    try {
      int made = 0;
      for (int batch; !stopping && (batch = vectors.indexBatch(embedder)) > 0; ) {
        made += batch;
      }
      if (made > 0) {
        LOG.infof("indexed %d queued texts", made);
      }
    } catch (RuntimeException e) {
      if (!Failures.isUndefinedTable(e)) {
        LOG.warnf("indexing queued texts: %s", Failures.describe(e));
      }
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopping = true;
  }
}
