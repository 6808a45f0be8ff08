package dev.autodoc.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Objects checked against the real schemas of their kinds: Kubernetes' own (kubernetes-models,
 * generated from its OpenAPI), KEDA's, the Prometheus Operator's and CloudNativePG's (generated
 * from their CRDs). Each object is type-checked by the TypeScript compiler as an object literal of
 * its kind's type, so a misspelled or unknown field fails (an excess property), as does a wrong
 * type or a missing required field; then each is validated at run time by its model's JSON-schema
 * validator, which checks formats and patterns. The packages are pinned in {@code
 * schemas/package-lock.json} and installed by {@code npm ci} into {@code target/schemas}.
 */
final class SchemaCheck {
  /** API groups whose schemas the packages hold; the empty group is the core one. */
  static final Set<String> GROUPS =
      Set.of(
          "",
          "apps",
          "policy",
          "networking.k8s.io",
          "rbac.authorization.k8s.io",
          "autoscaling",
          "keda.sh",
          "monitoring.coreos.com",
          "postgresql.cnpg.io");

  private static final Map<String, String> PACKAGES =
      Map.of(
          "keda.sh", "@kubernetes-models/keda/",
          "monitoring.coreos.com", "@kubernetes-models/prometheus-operator/",
          "postgresql.cnpg.io", "@kubernetes-models/cloudnative-pg/");

  private static final Pattern TS_ERROR = Pattern.compile("^check\\.mts\\((\\d+),\\d+\\): (.*)$");

  private final Path dir;

  private SchemaCheck(Path dir) {
    this.dir = dir;
  }

  /** The schema packages, installed once per build directory. */
  static synchronized SchemaCheck installed() throws IOException, InterruptedException {
    Path dir = Kustomize.ROOT.resolve("target/schemas");
    Files.createDirectories(dir);
    for (String file : List.of("package.json", "package-lock.json")) {
      Files.copy(
          Kustomize.ROOT.resolve("schemas").resolve(file),
          dir.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(dir.resolve("node_modules/typescript"))) {
      run(dir, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    }
    return new SchemaCheck(dir);
  }

  static boolean covers(JsonNode object) {
    return GROUPS.contains(group(object.path("apiVersion").asText()));
  }

  /** What is wrong with each object, as {@code Kind/name: problem}; empty when nothing. */
  List<String> problems(List<JsonNode> objects) throws IOException, InterruptedException {
    List<JsonNode> covered = objects.stream().filter(SchemaCheck::covers).toList();
    var types = new StringBuilder();
    var validators = new StringBuilder();
    var checks = new StringBuilder("const objects = [\n");
    for (int i = 0; i < covered.size(); i++) {
      JsonNode object = covered.get(i);
      String module = module(object);
      String kind = object.path("kind").asText();
      types.append("import type { I").append(kind).append(" as T").append(i);
      types.append(" } from \"").append(module).append("\";\n");
      validators.append("import { ").append(kind).append(" as K").append(i);
      validators.append(" } from \"").append(module).append("\";\n");
      checks.append("  [").append(quote(Kustomize.id(object))).append(", K").append(i);
      checks.append(", ").append(object).append("],\n");
    }
    int firstObjectLine = covered.size() + 1;
    for (int i = 0; i < covered.size(); i++) {
      types.append("export const o").append(i).append(": T").append(i).append(" = ");
      types.append(covered.get(i)).append(";\n");
    }
    Files.writeString(dir.resolve("check.mts"), types);
    checks.append(
        """
        ];
        for (const [id, Model, json] of objects) {
          try {
            new Model(json).validate();
          } catch (e) {
            console.log(id + ": " + String(e.message).replace(/\\n/g, " "));
          }
        }
        """);
    Files.writeString(dir.resolve("validate.mjs"), validators.append(checks));

    List<String> problems = new ArrayList<>();
    String compiled =
        run(
            dir,
            120,
            "node_modules/.bin/tsc",
            "--noEmit",
            "--strict",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "--skipLibCheck",
            "check.mts");
    for (String line : compiled.split("\n")) {
      Matcher error = TS_ERROR.matcher(line.strip());
      if (error.matches()) {
        int index = Integer.parseInt(error.group(1)) - firstObjectLine;
        String id =
            index >= 0 && index < covered.size() ? Kustomize.id(covered.get(index)) : "check.mts";
        problems.add(id + ": " + error.group(2));
      }
    }
    for (String line : run(dir, 120, "node", "validate.mjs").split("\n")) {
      if (!line.isBlank()) {
        problems.add(line.strip());
      }
    }
    return problems;
  }

  /** {@code kubernetes-models/apps/v1/Deployment}: the module of an object's kind. */
  static String module(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String group = group(apiVersion);
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    return PACKAGES.getOrDefault(group, "kubernetes-models/")
        + (group.isEmpty() ? "" : group + "/")
        + version
        + "/"
        + object.path("kind").asText();
  }

  private static String group(String apiVersion) {
    return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Runs a command in a directory; its output, whatever its exit status. */
  private static String run(Path dir, int timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish: " + out);
    }
    if (command[0].equals("npm") && process.exitValue() != 0) {
      throw new IllegalStateException("npm ci failed: " + out);
    }
    return out;
  }
}
