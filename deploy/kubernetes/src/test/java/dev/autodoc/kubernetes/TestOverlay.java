package dev.autodoc.kubernetes;

import dev.autodoc.images.ImageBuild;
import dev.autodoc.images.Service;
import dev.autodoc.local.stack.StackEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The overlay a test deploys the base with, as a user would write one for their cluster: the
 * Secrets from the README's {@code secretGenerator}, the images by the name podman loaded them
 * under, and the endpoints of the real Kafka, PostgreSQL and S3 server of the local stack.
 *
 * <p>What only these machines need: host networking (the stack's servers listen on loopback and
 * there is no cluster DNS), one replica per Deployment (podman plays a Deployment as one pod), the
 * test repositories mounted where the job names them, and the reconciler's pod watch off (there is
 * no API server; the reconciler's own tests prove the watch), and scopes that take seconds ({@link
 * #STEP_DELAY}).
 */
final class TestOverlay {
  /**
   * Every pipeline step of a scope waits this long first: scopes take seconds, as scopes waiting on
   * an LLM do, so that the autoscaler meets scopes in flight when it scales in. (Without it a scope
   * here takes a fraction of a second, and the work is bound by the machine's two cores.)
   */
  static final String STEP_DELAY = "1s";

  private final Path dir;
  private final Map<String, String> secrets = new LinkedHashMap<>();

  private TestOverlay(Path dir) {
    this.dir = dir;
  }

  /** Writes the overlay into {@code dir}, for the stack's endpoints and repositories under it. */
  static TestOverlay write(Path dir, StackEndpoints stack, Path repositories) {
    var overlay = new TestOverlay(dir);
    try {
      overlay.writeSecrets(stack);
      Files.writeString(
          dir.resolve("kustomization.yaml"), overlay.kustomization(stack, repositories));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return overlay;
  }

  Path dir() {
    return dir;
  }

  /** A secret's value as the overlay generated it, by {@code secret/key}. */
  String secret(String secretAndKey) {
    return secrets.get(secretAndKey);
  }

  private void writeSecrets(StackEndpoints stack) throws IOException {
    Path generator = dir.resolve("secrets");
    Files.createDirectories(generator);
    env(
        generator,
        "database",
        "username",
        stack.postgresUser(),
        "password",
        stack.postgresPassword());
    env(generator, "api-keys", "admin", random("adk_"));
    env(generator, "callback", "secret", random("adcb_"));
    env(generator, "s3", "access-key", "autodoc", "secret-key", random(""));
    // The README's example, word for word: the test proves it.
    String readme = Files.readString(Kustomize.ROOT.resolve("README.md"));
    int start = readme.indexOf("```yaml\napiVersion: kustomize.config.k8s.io/v1beta1");
    String example = readme.substring(start + 8, readme.indexOf("```", start + 8));
    Files.writeString(generator.resolve("kustomization.yaml"), example);
    Files.writeString(generator.resolve("git.env"), "");
  }

  private void env(Path generator, String name, String... keysAndValues) throws IOException {
    var text = new StringBuilder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      text.append(keysAndValues[i]).append('=').append(keysAndValues[i + 1]).append('\n');
      secrets.put("autodoc-" + name + "/" + keysAndValues[i], keysAndValues[i + 1]);
    }
    Files.writeString(generator.resolve(name + ".env"), text);
  }

  private static String random(String prefix) {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }

  private String kustomization(StackEndpoints stack, Path repositories) {
    String base = dir.relativize(Kustomize.ROOT.resolve("base")).toString();
    var images = new StringBuilder();
    for (Service service : Service.values()) {
      images
          .append("  - name: autodoc/")
          .append(service.image())
          .append("\n    newName: localhost/autodoc/")
          .append(service.image())
          .append("\n    newTag: \"")
          .append(ImageBuild.VERSION)
          .append("\"\n");
    }
    return """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - %s
          - secrets
        images:
        %s
        patches:
          - target:
              kind: Deployment
            patch: |
              - op: add
                path: /spec/template/spec/hostNetwork
                value: true
              - op: replace
                path: /spec/replicas
                value: 1
          - target:
              kind: Deployment
              name: autodoc-(orchestrator|scope-worker)
            patch: |
              - op: add
                path: /spec/template/spec/volumes/-
                value:
                  name: repositories
                  hostPath:
                    path: %s
                    type: Directory
              - op: add
                path: /spec/template/spec/containers/0/volumeMounts/-
                value:
                  name: repositories
                  mountPath: %s
          - patch: |
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: autodoc-common
              data:
                KAFKA_BOOTSTRAP_SERVERS: "%s"
                QUARKUS_DATASOURCE_REACTIVE_URL: "%s"
                QUARKUS_DATASOURCE_JDBC_URL: "%s"
                AUTODOC_SUPPORT_ALLOWED_HOSTS: "127.0.0.0/8"
                AUTODOC_S3_ENDPOINT: "%s"
                AUTODOC_ORCHESTRATOR_GIT_ALLOW_LOCAL: "true"
                AUTODOC_WORKER_GIT_ALLOW_LOCAL: "true"
                AUTODOC_RECONCILER_KUBERNETES_ENABLED: "false"
                AUTODOC_WORKER_FAULT_INJECTION_STEP_DELAY: "%s"
        """
        .formatted(
            base,
            images.toString().stripTrailing(),
            repositories,
            repositories,
            stack.kafkaBootstrapServers(),
            stack.reactiveUrl(),
            stack.jdbcUrl(),
            stack.s3Endpoint(),
            STEP_DELAY);
  }
}
