package dev.autodoc.worker.docs.structure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a scope's root module, the code at the top of the scope outside any package
 * directory: what its build file calls the package, else the scope's name. A page titled with an
 * empty name, or a file {@code _.md}, tells a reader nothing.
 */
public final class ModuleNames {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Build files in the order they are asked, each with how its package's name is read. */
  private static final List<Source> SOURCES =
      List.of(
          new Source("package.json", ModuleNames::packageJson),
          new Source("Cargo.toml", text -> tomlName(text, "package")),
          new Source("pyproject.toml", text -> tomlName(text, "project")),
          new Source("go.mod", ModuleNames::goModule),
          new Source("pom.xml", ModuleNames::artifactId),
          new Source(
              "settings.gradle",
              text -> first(text, "rootProject\\.name\\s*=\\s*['\"]([^'\"]+)['\"]")),
          new Source(
              "settings.gradle.kts",
              text -> first(text, "rootProject\\.name\\s*=\\s*\"([^\"]+)\"")),
          new Source("setup.cfg", text -> first(text, "(?m)^name\\s*=\\s*(\\S+)\\s*$")),
          new Source("setup.py", text -> first(text, "\\bname\\s*=\\s*['\"]([^'\"]+)['\"]")));

  private record Source(String file, Function<String, Optional<String>> name) {}

  private ModuleNames() {}

  /** The root module's name: from the first build file that names a package, or the scope's. */
  public static String root(String scopeName, ScopeText text) {
    for (Source source : SOURCES) {
      Optional<String> name = text.read(source.file()).flatMap(source.name());
      if (name.isPresent() && !name.get().isBlank()) {
        return name.get().strip();
      }
    }
    return scopeName;
  }

  private static Optional<String> packageJson(String text) {
    try {
      JsonNode name = JSON.readTree(text).path("name");
      return name.isTextual() ? Optional.of(name.asText()) : Optional.empty();
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code name = "..."} in a TOML table. */
  private static Optional<String> tomlName(String text, String table) {
    Matcher section =
        Pattern.compile("(?ms)^\\[" + Pattern.quote(table) + "]\\s*$(.*?)(?=^\\[|\\z)")
            .matcher(text);
    return section.find()
        ? first(section.group(1), "(?m)^\\s*name\\s*=\\s*[\"']([^\"']+)[\"']")
        : Optional.empty();
  }

  /** The last element of a Go module path that is not a major version: {@code cobra}. */
  private static Optional<String> goModule(String text) {
    return first(text, "(?m)^\\s*module\\s+\"?([^\\s\"]+)")
        .map(path -> path.replaceAll("/v\\d+$", ""))
        .map(path -> path.substring(path.lastIndexOf('/') + 1));
  }

  /** The project's own artifactId, not its parent's. */
  private static Optional<String> artifactId(String text) {
    String own = text.replaceAll("(?s)<parent>.*?</parent>", "");
    return first(own, "<artifactId>\\s*([^<\\s]+)\\s*</artifactId>");
  }

  private static Optional<String> first(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
