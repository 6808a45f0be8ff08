package dev.autodoc.local.testing;

import dev.autodoc.local.stack.StackEndpoints;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.flywaydb.core.Flyway;

/**
 * A service's tests that read another service's tables create them with that service's own
 * migrations, from its source folder beside the module under test, so they cannot drift; the tests
 * then play that service by writing rows.
 */
public final class NeighbourSchemas {
  private static final Set<String> MIGRATED = new HashSet<>();

  private NeighbourSchemas() {}

  /**
   * Migrates schema {@code schema} with the migrations of module {@code module} (for example {@code
   * orchestrator}, {@code orchestrator-service}), once per stack.
   */
  public static synchronized void migrate(StackEndpoints stack, String schema, String module) {
    if (!MIGRATED.add(stack.jdbcUrl() + " " + schema)) {
      return;
    }
    Path migrations =
        Path.of("..", module, "src/main/resources/db/migration").toAbsolutePath().normalize();
    Flyway.configure()
        .dataSource(stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword())
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(true)
        .locations("filesystem:" + migrations, "classpath:db/support")
        .load()
        .migrate();
  }
}
