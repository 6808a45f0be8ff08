package dev.autodoc.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** How {@code generate} shows a job: its plan, and its summary scope by scope. */
final class JobReport {
  private JobReport() {}

  /** Each scope's decision with its reason, and each page to write with its own. */
  static void printPlan(JsonNode job, PrintWriter out) {
    JsonNode plan = job.path("plan");
    if (!plan.isObject()) {
      return;
    }
    out.println();
    out.printf(
        "Plan (%s%s): %d of %d scopes to document, about %,d LLM tokens%n",
        plan.path("mode").asText().toLowerCase(java.util.Locale.ROOT),
        plan.hasNonNull("baselineSha")
            ? " since " + plan.path("baselineSha").asText().substring(0, 10)
            : "",
        java.util.stream.StreamSupport.stream(plan.path("scopes").spliterator(), false)
            .filter(s -> !s.path("action").asText().equals("SKIP"))
            .count(),
        plan.path("scopes").size(),
        plan.path("estimatedTokens").asLong());
    for (JsonNode scope : plan.path("scopes")) {
      out.printf(
          "  %-32s %-11s %s%n",
          label(scope.path("scope").asText(), scope.path("name").asText()),
          scope.path("action").asText(),
          scope.path("reason").asText());
      if (scope.hasNonNull("problem")) {
        out.printf("  %-32s   problem: %s%n", "", scope.path("problem").asText());
      }
      for (JsonNode page : scope.path("pages")) {
        out.printf(
            "  %-32s   %s: %s%n", "", page.path("page").asText(), page.path("reason").asText());
      }
    }
    for (JsonNode removed : plan.path("removedScopes")) {
      out.printf(
          "  %-32s %-11s its documentation is removed%n",
          display(removed.path("scope").asText()), "REMOVED");
    }
  }

  static void printSummary(JsonNode job, PrintWriter out) {
    out.println();
    out.printf("Job %s %s%n", job.path("id").asText(), job.path("status").asText());
    if (job.hasNonNull("traceId")) {
      // The id to find the job's spans by in a collector, and its lines in the services' logs.
      out.printf("  trace %s%n", job.path("traceId").asText());
    }
    out.printf(
        "  %-32s %-9s %7s %6s %10s  %-28s %5s %-11s %s%n",
        "SCOPE", "STATUS", "ATTEMPT", "FILES", "BYTES", "LANGUAGES", "PAGES", "QUALITY", "TIME");
    for (JsonNode scope : job.path("scopes")) {
      JsonNode inventory = scope.path("inventory");
      String languages = counts(inventory.path("languages"), v -> v.path("files").asInt(), false);
      JsonNode quality = scope.path("quality");
      out.printf(
          "  %-32s %-9s %7d %6s %10s  %-28s %5s %-11s %s%n",
          label(scope.path("path").asText(), scope.path("name").asText()),
          scope.path("status").asText(),
          scope.path("attempt").asInt(),
          inventory.isObject() ? inventory.path("files").asText() : "-",
          inventory.isObject() ? Format.bytes(inventory.path("bytes").asLong()) : "-",
          languages.isEmpty() ? "-" : languages,
          quality.isObject() ? quality.path("pages").asText() : "-",
          quality.isObject()
              ? String.format(
                  java.util.Locale.ROOT,
                  "%.2f (≥%.2f)",
                  quality.path("meanScore").asDouble(),
                  quality.path("minScore").asDouble())
              : "-",
          scope.hasNonNull("durationMillis")
              ? Format.millis(scope.path("durationMillis").asLong())
              : "-");
      if (inventory.path("skipped").size() > 0) {
        String skipped = counts(inventory.path("skipped"), JsonNode::asInt, true);
        out.printf("  %-32s skipped: %s%n", "", skipped);
      }
      if (scope.path("error").isObject()) {
        out.printf(
            "  %-32s error: %s: %s%n",
            "",
            scope.path("error").path("reason").asText(),
            scope.path("error").path("message").asText());
      }
    }
  }

  /**
   * Where the job's time went: each step's time summed over its runs (scopes run side by side, so
   * the sum of a scope step can exceed the job's wall time), with how many runs and failures.
   */
  static void printStepTotals(JsonNode job, PrintWriter out) {
    JsonNode totals = job.path("stepTotals");
    if (totals.isEmpty()) {
      return;
    }
    out.println("Time by step (summed over scopes):");
    for (JsonNode total : totals) {
      int runs = total.path("runs").asInt();
      int failed = total.path("failed").asInt();
      out.printf(
          "  %-10s %9s  %d run%s%s%n",
          total.path("step").asText(),
          Format.millis(total.path("millis").asLong()),
          runs,
          runs == 1 ? "" : "s",
          failed == 0 ? "" : ", " + failed + " failed");
    }
  }

  /**
   * {@code "java 2, yaml 1"} from a JSON object; sorted, as PostgreSQL's jsonb keeps no key order.
   */
  private static String counts(
      JsonNode object, java.util.function.ToIntFunction<JsonNode> count, boolean countFirst) {
    var sorted = new java.util.TreeMap<String, Integer>();
    object.properties().forEach(e -> sorted.put(e.getKey(), count.applyAsInt(e.getValue())));
    return String.join(
        ", ",
        sorted.entrySet().stream()
            .map(
                e -> countFirst ? e.getValue() + " " + e.getKey() : e.getKey() + " " + e.getValue())
            .toList());
  }

  static String display(String scopePath) {
    return scopePath.isEmpty() ? "." : scopePath;
  }

  /** A scope's path, and its configured name when that says something the path does not. */
  static String label(String scopePath, String name) {
    String path = display(scopePath);
    return name.isEmpty() || name.equals(scopePath) || name.equals(path)
        ? path
        : path + " (" + name + ")";
  }
}
