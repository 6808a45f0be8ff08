package dev.autodoc.common.scope;

import dev.autodoc.common.error.PermanentException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads and validates {@code .autodoc.yaml}. It walks the YAML node tree rather than binding to
 * classes so that every problem names its file, line and field; it reports all problems at once,
 * and unknown keys are errors so that a typo never silently falls back to a default.
 */
public final class ScopeConfigParser {
  /** Larger files are refused before parsing: a scope configuration is a few lines. */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  private static final int MAX_ATTEMPTS_LIMIT = 10;
  private static final long MAX_FILE_BYTES_LIMIT = 64L * 1024 * 1024;
  private static final int MAX_FILES_LIMIT = 1_000_000;

  private final String file;
  private final List<ConfigProblem> problems = new ArrayList<>();

  private ScopeConfigParser(String file) {
    this.file = file;
  }

  /** The outcome of reading one file: the configuration when valid, else every problem. */
  public record Result(ScopeConfig config, List<ConfigProblem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /**
   * Reads the configuration of the scope at {@code scopePath}.
   *
   * @param file the file's repository-relative path, used in error messages
   */
  public static Result read(String file, String scopePath, String content) {
    var parser = new ScopeConfigParser(file);
    ScopeConfig config = parser.read(scopePath, content);
    return new Result(parser.problems.isEmpty() ? config : null, parser.problems);
  }

  /**
   * Parses, throwing when invalid.
   *
   * @throws PermanentException with {@code INVALID_SCOPE_CONFIG} listing every problem
   */
  public static ScopeConfig parse(String file, String scopePath, String content) {
    Result result = read(file, scopePath, content);
    if (!result.valid()) {
      throw InvalidScopeConfigException.of(result.problems());
    }
    return result.config();
  }

  /** Parses, returning the problems instead of throwing; empty when the file is valid. */
  public static List<ConfigProblem> problems(String file, String scopePath, String content) {
    return read(file, scopePath, content).problems();
  }

  private ScopeConfig read(String scopePath, String content) {
    String defaultName = scopePath.isEmpty() ? "." : scopePath;
    if (content.length() > MAX_FILE_BYTES) {
      problem(1, "", "file is larger than " + MAX_FILE_BYTES + " bytes");
      return null;
    }
    Node root;
    try {
      var options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      options.setAllowRecursiveKeys(false);
      root = new Yaml(options).compose(new StringReader(content));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
      problem(line, "", "not valid YAML: " + e.getProblem());
      return null;
    } catch (YAMLException e) {
      problem(1, "", "not valid YAML: " + e.getMessage());
      return null;
    }
    if (root == null) {
      return ScopeConfig.defaults(defaultName);
    }
    Map<String, Node> top = mapping(root, "");
    if (top == null) {
      return null;
    }
    checkKeys(
        top, "", Set.of("version", "name", "include", "exclude", "output", "agent", "limits"));

    int version = integer(top, "version", "version", ScopeConfig.CURRENT_VERSION, 1, 1);
    String name = text(top, "name", "name", defaultName, false);
    List<String> include = globs(top, "include");
    List<String> exclude = globs(top, "exclude");

    var output = ScopeConfig.Output.DEFAULT;
    Map<String, Node> out = section(top, "output");
    if (out != null) {
      checkKeys(out, "output", Set.of("readme", "pages_dir", "llms_txt"));
      String readme = text(out, "readme", "output.readme", output.readme(), false);
      String pagesDir = text(out, "pages_dir", "output.pages_dir", output.pagesDir(), true);
      relativePath(out, "readme", "output.readme", readme);
      relativePath(out, "pages_dir", "output.pages_dir", pagesDir);
      boolean llmsTxt = flag(out, "llms_txt", "output.llms_txt", output.llmsTxt());
      output = new ScopeConfig.Output(readme, pagesDir, llmsTxt);
    }

    var agent = ScopeConfig.Agent.DEFAULT;
    Map<String, Node> ag = section(top, "agent");
    if (ag != null) {
      checkKeys(ag, "agent", Set.of("mode", "quality_threshold", "max_attempts"));
      ScopeConfig.AgentMode mode = agentMode(ag, agent.mode());
      double threshold =
          decimal(ag, "quality_threshold", "agent.quality_threshold", agent.qualityThreshold());
      int attempts =
          integer(
              ag, "max_attempts", "agent.max_attempts", agent.maxAttempts(), 1, MAX_ATTEMPTS_LIMIT);
      agent = new ScopeConfig.Agent(mode, threshold, attempts);
    }

    var limits = ScopeConfig.Limits.DEFAULT;
    Map<String, Node> lim = section(top, "limits");
    if (lim != null) {
      checkKeys(lim, "limits", Set.of("max_file_bytes", "max_files"));
      long maxFileBytes =
          integer(
              lim,
              "max_file_bytes",
              "limits.max_file_bytes",
              limits.maxFileBytes(),
              1,
              MAX_FILE_BYTES_LIMIT);
      int maxFiles =
          (int)
              integer(lim, "max_files", "limits.max_files", limits.maxFiles(), 1, MAX_FILES_LIMIT);
      limits = new ScopeConfig.Limits(maxFileBytes, maxFiles);
    }
    return new ScopeConfig(version, name, include, exclude, output, agent, limits);
  }

  private Map<String, Node> mapping(Node node, String field) {
    if (!(node instanceof MappingNode map)) {
      problem(line(node), field, "must be a mapping of keys to values");
      return null;
    }
    var result = new LinkedHashMap<String, Node>();
    for (NodeTuple tuple : map.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key) {
        if (result.putIfAbsent(key.getValue(), tuple.getValueNode()) != null) {
          // compose() leaves duplicates in the tree; only object construction would catch them.
          problem(line(key), qualified(field, key.getValue()), "duplicate key");
        }
      } else {
        problem(line(tuple.getKeyNode()), field, "keys must be plain words");
      }
    }
    return result;
  }

  private Map<String, Node> section(Map<String, Node> parent, String key) {
    Node node = parent.get(key);
    return node == null || isNull(node) ? null : mapping(node, key);
  }

  private void checkKeys(Map<String, Node> map, String prefix, Set<String> known) {
    map.keySet().stream()
        .filter(k -> !known.contains(k))
        .forEach(
            k ->
                problem(
                    line(map.get(k)),
                    qualified(prefix, k),
                    "unknown key; expected one of " + known.stream().sorted().toList()));
  }

  private String text(
      Map<String, Node> map, String key, String field, String fallback, boolean allowEmpty) {
    Node node = map.get(key);
    if (node == null || isNull(node)) {
      return fallback;
    }
    if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
      problem(line(node), field, "must be a string");
      return fallback;
    }
    if (!allowEmpty && scalar.getValue().isBlank()) {
      problem(line(node), field, "must not be empty");
      return fallback;
    }
    return scalar.getValue();
  }

  private long integer(
      Map<String, Node> map, String key, String field, long fallback, long min, long max) {
    Node node = map.get(key);
    if (node == null || isNull(node)) {
      return fallback;
    }
    if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.INT)) {
      problem(line(node), field, "must be a whole number");
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(scalar.getValue().replace("_", ""));
    } catch (NumberFormatException e) {
      problem(line(node), field, "must be a whole number");
      return fallback;
    }
    if (value < min || value > max) {
      problem(line(node), field, "must be between " + min + " and " + max + ", was " + value);
      return fallback;
    }
    return value;
  }

  private int integer(
      Map<String, Node> map, String key, String field, int fallback, int min, int max) {
    return (int) integer(map, key, field, (long) fallback, min, (long) max);
  }

  private boolean flag(Map<String, Node> map, String key, String field, boolean fallback) {
    Node node = map.get(key);
    if (node == null || isNull(node)) {
      return fallback;
    }
    if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.BOOL)) {
      problem(line(node), field, "must be true or false");
      return fallback;
    }
    // YAML 1.1, as the parser reads it, spells true also as yes and on.
    return Set.of("true", "yes", "on", "y")
        .contains(scalar.getValue().toLowerCase(java.util.Locale.ROOT));
  }

  private double decimal(Map<String, Node> map, String key, String field, double fallback) {
    Node node = map.get(key);
    if (node == null || isNull(node)) {
      return fallback;
    }
    if (!(node instanceof ScalarNode scalar)
        || !(scalar.getTag().equals(Tag.FLOAT) || scalar.getTag().equals(Tag.INT))) {
      problem(line(node), field, "must be a number between 0 and 1");
      return fallback;
    }
    double value;
    try {
      value = Double.parseDouble(scalar.getValue());
    } catch (NumberFormatException e) {
      problem(line(node), field, "must be a number between 0 and 1");
      return fallback;
    }
    if (!(value >= 0 && value <= 1)) {
      problem(line(node), field, "must be between 0 and 1, was " + scalar.getValue());
      return fallback;
    }
    return value;
  }

  private ScopeConfig.AgentMode agentMode(Map<String, Node> map, ScopeConfig.AgentMode fallback) {
    String value = text(map, "mode", "agent.mode", null, false);
    if (value == null) {
      return fallback;
    }
    return switch (value) {
      case "static" -> ScopeConfig.AgentMode.STATIC;
      case "llm" -> ScopeConfig.AgentMode.LLM;
      default -> {
        problem(
            line(map.get("mode")), "agent.mode", "must be 'static' or 'llm', was '" + value + "'");
        yield fallback;
      }
    };
  }

  private List<String> globs(Map<String, Node> map, String key) {
    Node node = map.get(key);
    if (node == null || isNull(node)) {
      return List.of();
    }
    if (!(node instanceof SequenceNode seq)) {
      problem(line(node), key, "must be a list of globs, for example [\"**/*.java\"]");
      return List.of();
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      String field = key + "[" + i + "]";
      if (!(item instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
        problem(line(item), field, "must be a string glob");
        continue;
      }
      String problem = Globs.problem(scalar.getValue());
      if (problem != null) {
        problem(line(item), field, problem);
      } else {
        result.add(scalar.getValue());
      }
    }
    return result;
  }

  private void relativePath(Map<String, Node> map, String key, String field, String value) {
    Node node = map.get(key);
    if (node == null || value == null || value.isEmpty()) {
      return;
    }
    Consumer<String> report = message -> problem(line(node), field, message);
    if (value.startsWith("/") || value.contains("\\")) {
      report.accept("must be a relative path with '/' separators, was '" + value + "'");
    } else if (List.of(value.split("/")).contains("..")) {
      report.accept("must stay inside the scope; '..' is not allowed");
    }
  }

  private static String qualified(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  private static boolean isNull(Node node) {
    return node.getTag().equals(Tag.NULL);
  }

  private static int line(Node node) {
    return node == null ? 1 : node.getStartMark().getLine() + 1;
  }

  private void problem(int line, String field, String message) {
    problems.add(new ConfigProblem(file, line, field, message));
  }
}
