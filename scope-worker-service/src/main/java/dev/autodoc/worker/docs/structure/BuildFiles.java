package dev.autodoc.worker.docs.structure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How to build and test a scope, read from the build files it has. */
public final class BuildFiles {
  private BuildFiles() {}

  /**
   * Commands for the build files among the scope-relative paths, at the scope's top level first.
   */
  public static List<String> commands(Set<String> paths) {
    List<String> commands = new ArrayList<>();
    if (paths.contains("pom.xml")) {
      commands.add(paths.contains("mvnw") ? "./mvnw -B verify" : "mvn -B verify");
    }
    if (paths.contains("build.gradle") || paths.contains("build.gradle.kts")) {
      commands.add(paths.contains("gradlew") ? "./gradlew build" : "gradle build");
    }
    if (paths.contains("package.json")) {
      commands.add("npm ci && npm test");
    }
    if (paths.contains("go.mod")) {
      commands.add("go build ./... && go test ./...");
    }
    if (paths.contains("Cargo.toml")) {
      commands.add("cargo build && cargo test");
    }
    if (paths.contains("pyproject.toml")) {
      commands.add("pip install -e . && python -m pytest");
    }
    return commands;
  }
}
