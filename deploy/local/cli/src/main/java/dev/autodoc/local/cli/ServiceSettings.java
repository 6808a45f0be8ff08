package dev.autodoc.local.cli;

import dev.autodoc.local.stack.Ports;
import dev.autodoc.local.stack.StackEndpoints;
import dev.autodoc.local.stack.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of each service of the local deployment: where the stack is, its own port, what one
 * machine allows (local repositories, loopback addresses), and the secrets made once and kept in
 * owner-only files of the data directory.
 */
final class ServiceSettings {
  private ServiceSettings() {}

  /** What every service needs: the stack's endpoints and its own port on loopback. */
  static Map<String, String> serviceConfig(StackEndpoints endpoints, int port) {
    Map<String, String> config = new LinkedHashMap<>(endpoints.serviceConfig());
    config.put("quarkus.http.port", Integer.toString(port));
    config.put("quarkus.http.host", "127.0.0.1");
    // On one machine, repositories, providers and callback receivers on loopback are allowed.
    config.put("autodoc.support.allowed-hosts", "127.0.0.0/8,::1,localhost");
    // A cold start launches the services while the broker starts: they connect within a quarter
    // second of its answering, not after the client's default back-off of up to a second.
    config.put("kafka.reconnect.backoff.max.ms", "250");
    config.putAll(tracing(System.getenv()));
    return config;
  }

  /**
   * Traces are off on one machine unless asked for with OpenTelemetry's own variables: {@code
   * OTEL_EXPORTER_OTLP_ENDPOINT} (a collector, Jaeger, Tempo…) and optionally {@code
   * OTEL_EXPORTER_OTLP_PROTOCOL} ({@code grpc}, the default, or {@code http/protobuf}). With an
   * endpoint every service samples every trace and exports it there; a deployment already running
   * keeps the settings it was started with.
   */
  static Map<String, String> tracing(Map<String, String> env) {
    String endpoint = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      return Map.of();
    }
    Map<String, String> config = new LinkedHashMap<>();
    config.put("quarkus.otel.traces.sampler.arg", "1.0");
    config.put("quarkus.otel.exporter.otlp.traces.endpoint", endpoint);
    config.put(
        "quarkus.otel.exporter.otlp.traces.protocol",
        env.getOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
    // A job on a laptop is short: its spans show within a second of its end.
    config.put("quarkus.otel.bsp.schedule.delay", "500ms");
    return config;
  }

  /**
   * The orchestrator, with the deployment's admin key (file {@value LocalDeployment#API_KEY_FILE}).
   */
  static ServiceLauncher.Spec orchestratorSpec(
      StackEndpoints endpoints, Path dataDir, String name, int port, Map<String, String> settings) {
    Map<String, String> orchestrator = ServiceSettings.serviceConfig(endpoints, port);
    orchestrator.put("autodoc.orchestrator.git.allow-local", "true");
    orchestrator.put("autodoc.orchestrator.workspace-dir", dataDir.resolve(name).toString());
    orchestrator.put(
        "autodoc.orchestrator.api-keys.local.key",
        ServiceSettings.secret(dataDir, LocalDeployment.API_KEY_FILE, "adk_"));
    orchestrator.put("autodoc.orchestrator.api-keys.local.roles", "admin");
    orchestrator.putAll(settings);
    return ServiceLauncher.configure(
        dataDir,
        name,
        "orchestrator-service",
        port,
        orchestrator,
        ServiceLauncher.ORCHESTRATOR_HEAP);
  }

  static ServiceLauncher.Spec workerSpec(
      StackEndpoints endpoints,
      Path dataDir,
      String name,
      Map<String, String> settings,
      String heap) {
    int port = Ports.free();
    Map<String, String> config = serviceConfig(endpoints, port);
    config.put(
        "autodoc.worker.id",
        name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000);
    config.put("autodoc.worker.git.allow-local", "true");
    config.put("autodoc.worker.workspace-dir", dataDir.resolve("worker").toString());
    // Archived sessions leave the database soon after the reconciler archived them.
    config.put("autodoc.worker.session-purge-interval", "5s");
    config.putAll(settings);
    return ServiceLauncher.configure(dataDir, name, "scope-worker-service", port, config, heap);
  }

  /**
   * The callback service signs with a secret kept in the data directory (file {@value
   * LocalDeployment#CALLBACK_SECRET_FILE}), for receivers to verify with.
   */
  static ServiceLauncher.Spec callbackSpec(
      StackEndpoints endpoints, Path dataDir, Map<String, String> settings) {
    int port = Ports.free();
    Map<String, String> config = serviceConfig(endpoints, port);
    config.put(
        "autodoc.callback.secret", secret(dataDir, LocalDeployment.CALLBACK_SECRET_FILE, "adcb_"));
    config.putAll(settings);
    return ServiceLauncher.configure(dataDir, "callback", "callback-service", port, config);
  }

  static ServiceLauncher.Spec reconcilerSpec(
      StackEndpoints endpoints, Path dataDir, String name, Map<String, String> settings) {
    int port = Ports.free();
    Map<String, String> config = serviceConfig(endpoints, port);
    config.putAll(settings);
    return ServiceLauncher.configure(dataDir, name, "reconciler-service", port, config);
  }

  /** The data directory holds keys and the database: only its owner may look inside. */
  static void ownerOnly(Path dataDir) {
    try {
      Files.setPosixFilePermissions(
          dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A secret kept in a file of the data directory, readable by its owner only; made once. */
  static String secret(Path dataDir, String name, String prefix) {
    Path file = dataDir.resolve(name);
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      String key = prefix + HexFormat.of().formatHex(bytes);
      try (var w = StateFiles.ownerOnlyWriter(file)) {
        w.write(key);
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
