package dev.autodoc.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.testing.KafkaProbe;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In Kubernetes the reconciler asks the API server (here the fabric8 mock server, which keeps
 * resources like the real one) whether a worker's pod exists. The heartbeat limit is ten minutes,
 * so only a vanished pod can explain a dispatch within the test.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@TestProfile(WorkerPodsIT.InKubernetes.class)
class WorkerPodsIT {
  static final String NAMESPACE = "autodoc";

  public static class InKubernetes implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "autodoc.reconciler.kubernetes.enabled", "true",
          "autodoc.reconciler.kubernetes.namespace", NAMESPACE,
          "autodoc.reconciler.stale-after", "10m",
          "autodoc.reconciler.stuck-after", "10m");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(ApiServer.class));
    }
  }

  public static class ApiServer implements QuarkusTestResourceLifecycleManager {
    static KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
      server =
          new KubernetesMockServer(
              new io.fabric8.mockwebserver.Context(),
              new MockWebServer(),
              new HashMap<>(),
              new KubernetesCrudDispatcher(),
              false);
      server.init();
      return Map.of("autodoc.reconciler.kubernetes.master-url", server.url("/"));
    }

    @Override
    public void stop() {
      server.destroy();
    }
  }

  @Inject Pool pool;

  @BeforeEach
  void neighbours() {
    Neighbours.migrate();
  }

  @Test
  void aScopeWhoseWorkerPodIsGoneIsDispatchedAgainAtOnceAndOneWhosePodLivesIsNot() {
    try (NamespacedKubernetesClient kubernetes = ApiServer.server.createClient();
        KafkaProbe kafka = Neighbours.probe()) {
      kubernetes
          .pods()
          .inNamespace(NAMESPACE)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("autodoc-worker-5f7-alive")
                  .withNamespace(NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
      UUID alive = Neighbours.job(pool, "RUNNING", "api", null);
      Neighbours.running(pool, alive, "api", 1, "autodoc-worker-5f7-alive-1-abc123", 0);
      UUID gone = Neighbours.job(pool, "RUNNING", "api", null);
      Neighbours.running(pool, gone, "api", 1, "autodoc-worker-5f7-gone-1-abc123", 0);

      var requests =
          kafka.await(
              r -> r.topic().equals(Topics.SCOPE_REQUESTED) && r.key().startsWith(gone.toString()),
              1,
              Duration.ofSeconds(30));
      var request =
          (ScopeRequested)
              EventCodec.decode(
                  Topics.SCOPE_REQUESTED,
                  KafkaProbe.header(requests.getFirst(), "ce_type"),
                  requests.getFirst().value());
      assertThat(request.attempt()).isEqualTo(2);
      assertThat(
              kafka.records(
                  r ->
                      r.topic().equals(Topics.SCOPE_REQUESTED)
                          && r.key().startsWith(alive.toString()),
                  Duration.ofSeconds(3)))
          .isEmpty();
      // Until a worker takes attempt 2, the vanished pod is not asked about again.
      assertThat(
              kafka.records(
                  r ->
                      r.topic().equals(Topics.SCOPE_REQUESTED)
                          && r.key().startsWith(gone.toString()),
                  Duration.ofSeconds(1)))
          .hasSize(1);
    }
  }
}
