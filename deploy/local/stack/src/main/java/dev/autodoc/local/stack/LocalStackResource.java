package dev.autodoc.local.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a service's {@code @QuarkusTest}s against a real local stack: one stack per test run,
 * stopped (and its directory deleted) when the tests end, also when they fail.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
  private static LocalStack stack;

  /** The stack of the running tests, for tests that talk to Kafka or PostgreSQL directly. */
  public static LocalStack stack() {
    if (stack == null) {
      throw new IllegalStateException("the local stack is not started");
    }
    return stack;
  }

  @Override
  public Map<String, String> start() {
    try {
      Path base =
          Path.of(System.getProperty("autodoc.build.dir", System.getProperty("java.io.tmpdir")));
      Files.createDirectories(base);
      stack =
          LocalStack.start(
              LocalStackOptions.forTests(Files.createTempDirectory(base, "local-stack-")));
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
  }
}
