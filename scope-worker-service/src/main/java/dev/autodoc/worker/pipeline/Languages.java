package dev.autodoc.worker.pipeline;

import java.util.Locale;
import java.util.Map;

/** The language of a file, by its name. Files of no known language count as {@code other}. */
public final class Languages {
  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("java", "java"),
          Map.entry("kt", "kotlin"),
          Map.entry("kts", "kotlin"),
          Map.entry("scala", "scala"),
          Map.entry("groovy", "groovy"),
          Map.entry("py", "python"),
          Map.entry("pyi", "python"),
          Map.entry("js", "javascript"),
          Map.entry("mjs", "javascript"),
          Map.entry("cjs", "javascript"),
          Map.entry("jsx", "javascript"),
          Map.entry("ts", "typescript"),
          Map.entry("tsx", "typescript"),
          Map.entry("go", "go"),
          Map.entry("rs", "rust"),
          Map.entry("c", "c"),
          Map.entry("h", "c"),
          Map.entry("cc", "cpp"),
          Map.entry("cpp", "cpp"),
          Map.entry("cxx", "cpp"),
          Map.entry("hpp", "cpp"),
          Map.entry("hh", "cpp"),
          Map.entry("cs", "csharp"),
          Map.entry("rb", "ruby"),
          Map.entry("php", "php"),
          Map.entry("swift", "swift"),
          Map.entry("m", "objective-c"),
          Map.entry("sh", "shell"),
          Map.entry("bash", "shell"),
          Map.entry("sql", "sql"),
          Map.entry("md", "markdown"),
          Map.entry("markdown", "markdown"),
          Map.entry("adoc", "asciidoc"),
          Map.entry("rst", "restructuredtext"),
          Map.entry("yaml", "yaml"),
          Map.entry("yml", "yaml"),
          Map.entry("json", "json"),
          Map.entry("toml", "toml"),
          Map.entry("xml", "xml"),
          Map.entry("html", "html"),
          Map.entry("css", "css"),
          Map.entry("scss", "css"),
          Map.entry("proto", "protobuf"),
          Map.entry("gradle", "gradle"),
          Map.entry("properties", "properties"));
  private static final Map<String, String> BY_NAME =
      Map.of(
          "Dockerfile",
          "dockerfile",
          "Makefile",
          "make",
          "pom.xml",
          "maven",
          "go.mod",
          "go-module",
          "Cargo.toml",
          "cargo",
          "package.json",
          "npm");

  private Languages() {}

  public static String of(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    String byName = BY_NAME.get(name);
    if (byName != null) {
      return byName;
    }
    int dot = name.lastIndexOf('.');
    return dot < 0
        ? "other"
        : BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "other");
  }
}
