package dev.autodoc.reconciler;

import dev.autodoc.common.event.WorkerIds;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Asks the Kubernetes API server whether a worker's pod still exists. Outside Kubernetes (the
 * default) it knows nothing and the heartbeat alone decides.
 */
@ApplicationScoped
public class WorkerPods {
  private static final Logger LOG = Logger.getLogger(WorkerPods.class);

  private final KubernetesClient client;
  private final String namespace;

  WorkerPods(ReconcilerConfig config) {
    if (!config.kubernetes().enabled()) {
      this.client = null;
      this.namespace = null;
      return;
    }
    ConfigBuilder builder = new ConfigBuilder(Config.autoConfigure(null));
    config.kubernetes().masterUrl().ifPresent(builder::withMasterUrl);
    this.client = new KubernetesClientBuilder().withConfig(builder.build()).build();
    this.namespace = config.kubernetes().namespace().orElse(client.getNamespace());
    LOG.infof("checking worker pods in namespace %s at %s", namespace, client.getMasterUrl());
  }

  /**
   * Whether the pod of the worker is known to be gone: empty outside Kubernetes or when the API
   * server could not be asked (then the heartbeat decides).
   */
  public Optional<Boolean> gone(String workerId) {
    if (client == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          client.pods().inNamespace(namespace).withName(WorkerIds.hostOf(workerId)).get() == null);
    } catch (KubernetesClientException e) {
      LOG.warnf("could not ask the API server about worker %s: %s", workerId, e.getMessage());
      return Optional.empty();
    }
  }

  void close(@Observes ShutdownEvent event) {
    if (client != null) {
      client.close();
    }
  }
}
