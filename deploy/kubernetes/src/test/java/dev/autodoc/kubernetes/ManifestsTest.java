package dev.autodoc.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autodoc.common.messaging.Topics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every overlay renders, every object holds to its kind's real schema with no unknown field, and
 * the objects agree with each other: what selects, targets, references or bounds another finds it.
 */
class ManifestsTest {
  private static final List<String> OVERLAYS = Kustomize.OVERLAYS;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Strimzi's kinds, checked as its own typed model. */
  private static final Map<String, Class<?>> STRIMZI =
      Map.of(
          "Kafka",
          Kafka.class,
          "KafkaTopic",
          KafkaTopic.class,
          "KafkaNodePool",
          KafkaNodePool.class);

  private static final Set<String> HEALTH_PATHS =
      Set.of("/q/health/live", "/q/health/ready", "/q/health/started");

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void everyObjectHoldsToItsSchemaWithNoUnknownField(String overlay) throws Exception {
    List<JsonNode> objects = Kustomize.render(overlay);
    assertThat(objects).isNotEmpty();
    List<String> problems = new ArrayList<>(SchemaCheck.installed().problems(objects));
    problems.addAll(strimziProblems(objects));
    for (JsonNode object : objects) {
      assertThat(SchemaCheck.covers(object) || STRIMZI.containsKey(object.path("kind").asText()))
          .as("a schema for " + object.path("apiVersion").asText() + " " + Kustomize.id(object))
          .isTrue();
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @Test
  void aMisspelledOrMistypedFieldFails() throws Exception {
    List<JsonNode> objects = Kustomize.render("overlays/operators");
    ObjectNode scaled = copyOf(objects, "ScaledObject");
    ((ObjectNode) scaled.path("spec")).put("maxReplicaCout", 6);
    ObjectNode deployment = copyOf(objects, "Deployment");
    ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0))
        .put("imagePullPolicyy", "Always");
    ObjectNode monitor = copyOf(objects, "ServiceMonitor");
    ((ObjectNode) monitor.path("spec").path("endpoints").get(0)).put("interval", 15);
    ObjectNode topic = copyOf(objects, "KafkaTopic");
    ((ObjectNode) topic.path("spec")).put("partitionz", 3);

    List<String> problems = SchemaCheck.installed().problems(List.of(scaled, deployment, monitor));
    assertThat(String.join("\n", problems))
        .contains("maxReplicaCout")
        .contains("imagePullPolicyy")
        .contains(Kustomize.id(monitor));
    assertThat(strimziProblems(List.of(topic))).anyMatch(p -> p.contains("partitionz"));
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void servicesProbesAndPoliciesFindWhatTheyName(String overlay) {
    List<JsonNode> objects = Kustomize.render(overlay);
    List<JsonNode> deployments = ofKind(objects, "Deployment");
    assertThat(deployments).hasSize(4);
    for (JsonNode service : ofKind(objects, "Service")) {
      JsonNode deployment = selected(deployments, service.path("spec").path("selector"));
      assertThat(deployment).as(Kustomize.id(service) + " selects a Deployment").isNotNull();
      for (JsonNode port : service.path("spec").path("ports")) {
        assertThat(containerPort(deployment, port.path("targetPort")))
            .as(Kustomize.id(service) + " port " + port)
            .isTrue();
      }
    }
    for (String kind : List.of("PodDisruptionBudget", "NetworkPolicy")) {
      for (JsonNode object : ofKind(objects, kind)) {
        JsonNode selector =
            kind.equals("NetworkPolicy")
                ? object.path("spec").path("podSelector").path("matchLabels")
                : object.path("spec").path("selector").path("matchLabels");
        assertThat(selected(deployments, selector)).as(Kustomize.id(object)).isNotNull();
      }
    }
    for (JsonNode deployment : deployments) {
      JsonNode pod = deployment.path("spec").path("template").path("spec");
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
      for (JsonNode container : pod.path("containers")) {
        String id = Kustomize.id(deployment) + " " + container.path("name").asText();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
          JsonNode get = container.path(probe).path("httpGet");
          assertThat(HEALTH_PATHS).as(id + " " + probe).contains(get.path("path").asText());
          assertThat(containerPort(deployment, get.path("port"))).as(id + " " + probe).isTrue();
        }
        JsonNode security = container.path("securityContext");
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(id).isFalse();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(id).isTrue();
        assertThat(security.path("capabilities").path("drop").toString()).as(id).contains("ALL");
        assertThat(container.path("resources").path("requests").path("memory").isTextual())
            .as(id)
            .isTrue();
        assertThat(container.path("resources").path("limits").path("memory").isTextual())
            .as(id)
            .isTrue();
      }
    }
    for (JsonNode monitor : ofKind(objects, "ServiceMonitor")) {
      JsonNode service =
          ofKind(objects, "Service").stream()
              .filter(
                  s ->
                      matches(
                          monitor.path("spec").path("selector").path("matchLabels"),
                          s.path("metadata").path("labels")))
              .findFirst()
              .orElse(null);
      assertThat(service).as(Kustomize.id(monitor)).isNotNull();
      for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
        assertThat(service.path("spec").path("ports").toString())
            .contains("\"name\":\"" + endpoint.path("port").asText() + "\"");
      }
    }
  }

  @ParameterizedTest
  @FieldSource("OVERLAYS")
  void everySecretKeyReferencedIsDocumented(String overlay) throws IOException {
    Set<String> documented = new HashSet<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| `([a-z0-9-]+)` \\|")
            .matcher(Files.readString(Kustomize.ROOT.resolve("README.md")));
    while (row.find()) {
      documented.add(row.group(1) + "/" + row.group(2));
    }
    List<String> referenced = new ArrayList<>();
    for (JsonNode object : Kustomize.render(overlay)) {
      object
          .findValues("secretKeyRef")
          .forEach(
              ref -> referenced.add(ref.path("name").asText() + "/" + ref.path("key").asText()));
      object
          .findValues("secret")
          .forEach(
              ref -> {
                if (ref.has("name") && object.path("kind").asText().equals("Cluster")) {
                  referenced.add(ref.path("name").asText() + "/username");
                  referenced.add(ref.path("name").asText() + "/password");
                }
              });
    }
    assertThat(referenced).isNotEmpty();
    assertThat(documented).containsAll(referenced);
  }

  @Test
  void theOverlaysWithMonitoringShipEveryDashboardForTheGrafanaSidecar() throws IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("../grafana/dashboards");
    java.util.Map<String, String> files = new java.util.TreeMap<>();
    try (var listing = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path f : listing.toList()) {
        files.put(f.getFileName().toString(), java.nio.file.Files.readString(f));
      }
    }
    assertThat(files).hasSize(6);
    for (String overlay : List.of("overlays/keda", "overlays/hpa")) {
      java.util.Map<String, String> shipped = new java.util.TreeMap<>();
      for (JsonNode map : ofKind(Kustomize.render(overlay), "ConfigMap")) {
        if (map.path("metadata").path("labels").path("grafana_dashboard").asText().equals("1")) {
          map.path("data")
              .properties()
              .forEach(e -> shipped.put(e.getKey(), e.getValue().asText()));
        }
      }
      assertThat(shipped).as(overlay).isEqualTo(files);
    }
    assertThat(String.join("", files.values())).doesNotContain("${DS_");
  }

  @Test
  void everyServiceMayReachTheTraceCollectorTheConfigNames() {
    List<JsonNode> base = Kustomize.render("base");
    String endpoint =
        ofKind(base, "ConfigMap").stream()
            .map(c -> c.path("data").path("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").asText())
            .filter(e -> !e.isEmpty())
            .findFirst()
            .orElseThrow();
    int port = java.net.URI.create(endpoint).getPort();
    List<JsonNode> policies = ofKind(base, "NetworkPolicy");
    assertThat(policies).hasSize(4);
    for (JsonNode policy : policies) {
      List<Integer> open = new java.util.ArrayList<>();
      policy
          .path("spec")
          .path("egress")
          .forEach(r -> r.path("ports").forEach(p -> open.add(p.path("port").asInt())));
      assertThat(open).as(policy.path("metadata").path("name").asText()).contains(port, 4318);
    }
  }

  @Test
  void theReconcilerMayOnlyReadPods() {
    JsonNode role = ofKind(Kustomize.render("base"), "Role").getFirst();
    assertThat(role.path("rules")).hasSize(1);
    JsonNode rule = role.path("rules").get(0);
    assertThat(rule.path("resources").toString()).isEqualTo("[\"pods\"]");
    assertThat(rule.path("verbs").toString()).isEqualTo("[\"get\",\"list\",\"watch\"]");
  }

  @Test
  void workersScaleUpToNoMoreThanThePartitionsCanKeepBusy() throws IOException {
    List<JsonNode> operators = Kustomize.render("overlays/operators");
    int partitions =
        ofKind(operators, "KafkaTopic").stream()
            .filter(t -> t.path("spec").path("topicName").asText().equals(Topics.SCOPE_REQUESTED))
            .findFirst()
            .orElseThrow()
            .path("spec")
            .path("partitions")
            .asInt();
    Properties worker = new Properties();
    worker.load(
        new StringReader(
            ofKind(operators, "ConfigMap").stream()
                .filter(c -> Kustomize.id(c).equals("ConfigMap/autodoc-scope-worker"))
                .findFirst()
                .orElseThrow()
                .path("data")
                .path("application.properties")
                .asText()));
    int perPod = Integer.parseInt(worker.getProperty("autodoc.worker.scopes-in-flight"));
    JsonNode scaled = ofKind(operators, "ScaledObject").getFirst();
    assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText())
        .isEqualTo("autodoc-scope-worker");
    assertThat(scaled.path("spec").path("maxReplicaCount").asInt())
        .isPositive()
        .isLessThanOrEqualTo(partitions / perPod);
    JsonNode trigger = scaled.path("spec").path("triggers").get(0).path("metadata");
    assertThat(trigger.path("topic").asText()).isEqualTo(Topics.SCOPE_REQUESTED);
    assertThat(trigger.path("consumerGroup").asText()).isEqualTo("autodoc-scope-worker");
    JsonNode hpa = ofKind(Kustomize.render("overlays/hpa"), "HorizontalPodAutoscaler").getFirst();
    assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText())
        .isEqualTo("autodoc-scope-worker");
    assertThat(hpa.path("spec").path("maxReplicas").asInt())
        .isLessThanOrEqualTo(partitions / perPod);
    // Every topic the code uses, and its dead-letter topic, is created.
    assertThat(
            ofKind(operators, "KafkaTopic").stream()
                .map(t -> t.path("spec").path("topicName").asText())
                .toList())
        .containsExactlyInAnyOrderElementsOf(Topics.all());
  }

  private static List<String> strimziProblems(List<JsonNode> objects) {
    List<String> problems = new ArrayList<>();
    for (JsonNode object : objects) {
      Class<?> type = STRIMZI.get(object.path("kind").asText());
      if (type == null) {
        continue;
      }
      try {
        Object typed = JSON.treeToValue(object, type);
        UnknownFields.of(typed)
            .forEach(f -> problems.add(Kustomize.id(object) + ": unknown field " + f));
      } catch (IOException e) {
        problems.add(Kustomize.id(object) + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static ObjectNode copyOf(List<JsonNode> objects, String kind) {
    return ofKind(objects, kind).getFirst().deepCopy();
  }

  private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  /** The Deployment whose pods carry every label of the selector. */
  private static JsonNode selected(List<JsonNode> deployments, JsonNode selector) {
    return deployments.stream()
        .filter(
            d -> matches(selector, d.path("spec").path("template").path("metadata").path("labels")))
        .findFirst()
        .orElse(null);
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    return selector.size() > 0
        && StreamSupport.stream(
                ((Iterable<Map.Entry<String, JsonNode>>) selector::fields).spliterator(), false)
            .allMatch(e -> e.getValue().equals(labels.path(e.getKey())));
  }

  /** Whether a port, by name or number, is one a container of the Deployment declares. */
  private static boolean containerPort(JsonNode deployment, JsonNode port) {
    for (JsonNode container :
        deployment.path("spec").path("template").path("spec").path("containers")) {
      for (JsonNode declared : container.path("ports")) {
        if (port.isTextual()
            ? declared.path("name").asText().equals(port.asText())
            : declared.path("containerPort").asInt() == port.asInt()) {
          return true;
        }
      }
    }
    return false;
  }
}
