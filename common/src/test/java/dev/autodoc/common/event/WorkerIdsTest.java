package dev.autodoc.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkerIdsTest {
  @Test
  void theHostOfAWorkerIdIsItsPod() {
    String id = WorkerIds.of("autodoc-worker-7d9c5-x2kqp", 1);
    assertThat(id).matches("autodoc-worker-7d9c5-x2kqp-1-[0-9a-f]{6}");
    assertThat(WorkerIds.hostOf(id)).isEqualTo("autodoc-worker-7d9c5-x2kqp");
    // Ids set by configuration keep their whole value.
    assertThat(WorkerIds.hostOf("worker-2")).isEqualTo("worker-2");
    assertThat(WorkerIds.hostOf("worker-1-4711-abcdef")).isEqualTo("worker-1");
  }
}
