package dev.autodoc.local.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a service's {@code @QuarkusTest}s against real infrastructure: one stack per test run,
 * stopped (and its directory deleted) when the tests end, also when they fail.
 *
 * <p>By default the stack runs Kafka and PostgreSQL as local processes. With {@code
 * -Dautodoc.stack=testcontainers} (or {@code AUTODOC_STACK=testcontainers}), on a machine with a
 * Docker engine, Testcontainers runs them instead and the same tests run against those.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
  public static final String SWITCH = "autodoc.stack";

  private static LocalStack stack;
  private static ContainerServers containers;

  /** Where the running tests' Kafka, PostgreSQL and S3 server are. */
  public static StackEndpoints endpoints() {
    if (stack == null) {
      throw new IllegalStateException("the local stack is not started");
    }
    return stack.endpoints();
  }

  /** The running tests' stack, for tests that stop and start one of its servers. */
  public static LocalStack stack() {
    if (stack == null) {
      throw new IllegalStateException("the local stack is not started");
    }
    return stack;
  }

  static boolean useTestcontainers() {
    String chosen =
        Optional.ofNullable(System.getProperty(SWITCH)).orElse(System.getenv("AUTODOC_STACK"));
    return "testcontainers".equalsIgnoreCase(chosen);
  }

  @Override
  public Map<String, String> start() {
    try {
      Path base =
          Path.of(System.getProperty("autodoc.build.dir", System.getProperty("java.io.tmpdir")));
      Files.createDirectories(base);
      LocalStackOptions options =
          LocalStackOptions.forTests(Files.createTempDirectory(base, "local-stack-"));
      if (useTestcontainers()) {
        containers = ContainerServers.start();
        options = containers.applyTo(options);
      }
      stack = LocalStack.start(options);
      return stack.endpoints().serviceConfig();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (stack != null) {
      stack.close();
      stack = null;
    }
    if (containers != null) {
      containers.close();
      containers = null;
    }
  }
}
