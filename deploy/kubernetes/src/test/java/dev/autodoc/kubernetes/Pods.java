package dev.autodoc.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.autodoc.images.ImageBuild;
import dev.autodoc.images.Podman;
import dev.autodoc.images.Service;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs rendered workloads in real containers, as a kubelet would: each Secret becomes a podman
 * secret, the ConfigMaps and Deployments go to {@code podman kube play} (which ignores the kinds it
 * has no use for), and the probes each Deployment declares are called over HTTP. podman would run
 * an {@code httpGet} probe with curl inside the container, which these images leave out, and runs
 * none without systemd: the test plays that part of the kubelet.
 */
final class Pods implements AutoCloseable {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Podman podman;
  private final Path file;
  private final List<String> secrets;
  private final Map<String, JsonNode> deployments = new LinkedHashMap<>();
  private final StringBuilder configMaps = new StringBuilder();
  private final List<Path> replicas = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final long playedAt;

  private Pods(Podman podman, Path file, List<String> secrets, List<JsonNode> rendered)
      throws IOException {
    this.podman = podman;
    this.file = file;
    this.secrets = secrets;
    for (JsonNode object : rendered) {
      if (object.path("kind").asText().equals("Deployment")) {
        deployments.put(object.path("metadata").path("name").asText(), object);
      } else if (object.path("kind").asText().equals("ConfigMap")) {
        configMaps.append(YAML.writeValueAsString(object).replaceFirst("^(---\n)?", "---\n"));
      }
    }
    this.playedAt = System.nanoTime();
  }

  /**
   * Builds every service's image on the locally assembled base and loads it into podman; prints
   * each image's size and how long its build took.
   */
  static void loadImages(Podman podman, Path project, Path out) throws Exception {
    Files.createDirectories(out);
    for (Service service : Service.values()) {
      long start = System.nanoTime();
      Path tar = out.resolve(service.image() + ".tar");
      ImageBuild.buildLocal(project, service, tar, out.resolve("cache-" + service.image()));
      System.out.printf(
          "pods: image %-13s %4d MiB built in %.1f s%n",
          service.image(), Files.size(tar) >> 20, (System.nanoTime() - start) / 1e9);
      expect(podman.run(300, "load", "-i", tar.toString()), "podman load " + tar);
    }
  }

  /** Creates the Secrets and plays the ConfigMaps and Deployments of {@code rendered}. */
  static Pods play(Podman podman, List<JsonNode> rendered, Path file) throws Exception {
    List<String> secrets = new ArrayList<>();
    var yaml = new StringBuilder();
    for (JsonNode object : rendered) {
      String kind = object.path("kind").asText();
      String name = object.path("metadata").path("name").asText();
      if (kind.equals("Secret")) {
        // podman reads a secretKeyRef from a podman secret holding the Secret's data as JSON.
        Path data = Files.createTempFile(file.getParent(), "secret", ".json");
        Files.writeString(data, JSON.writeValueAsString(object.path("data")));
        podman.run(60, "secret", "rm", name);
        expect(podman.run(60, "secret", "create", name, data.toString()), "podman secret create");
        Files.delete(data);
        secrets.add(name);
      } else if (kind.equals("ConfigMap") || kind.equals("Deployment")) {
        yaml.append(document(object));
      }
    }
    Files.writeString(file, yaml);
    var pods = new Pods(podman, file, secrets, rendered);
    expect(podman.run(300, "kube", "play", "--replace", file.toString()), "podman kube play");
    return pods;
  }

  /**
   * An object as podman gets it. On the host network a container's ports are the host's: podman
   * refuses to map them, so they are left out (the probes still find them by name here).
   */
  static String document(JsonNode object) throws IOException {
    JsonNode copy = object.deepCopy();
    // podman makes an emptyDir a volume named as in the manifest, shared by every pod that names
    // it so; in Kubernetes each pod has its own.
    String pod = copy.path("metadata").path("name").asText();
    for (JsonNode volume : copy.at("/spec/template/spec/volumes")) {
      if (volume.has("emptyDir")) {
        String name = volume.path("name").asText();
        ((ObjectNode) volume).put("name", pod + "-" + name);
        for (JsonNode container : copy.at("/spec/template/spec/containers")) {
          for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals(name)) {
              ((ObjectNode) mount).put("name", pod + "-" + name);
            }
          }
        }
      }
    }
    if (copy.at("/spec/template/spec/hostNetwork").asBoolean()) {
      for (JsonNode container : copy.at("/spec/template/spec/containers")) {
        ((ObjectNode) container).remove("ports");
      }
    }
    return "---\n" + YAML.writeValueAsString(copy).replaceFirst("^---\n", "");
  }

  /** The pod of a Deployment's replica {@code index}. */
  String replicaPod(String deployment, int index) {
    return pod(deployment + "-" + index);
  }

  /**
   * Starts one more pod of a Deployment, as its ReplicaSet would: named after it and {@code index},
   * on a port of its own (the pods share the host's network); the pod's name.
   */
  String startReplica(String deployment, int index) throws Exception {
    ObjectNode replica = deployments.get(deployment).deepCopy();
    String name = deployment + "-" + index;
    ((ObjectNode) replica.path("metadata")).put("name", name);
    ObjectNode container = (ObjectNode) replica.at("/spec/template/spec/containers/0");
    int port = dev.autodoc.local.stack.Ports.free();
    ((ObjectNode) container.path("ports").get(0)).put("containerPort", port);
    ((com.fasterxml.jackson.databind.node.ArrayNode) container.withArray("env"))
        .addObject()
        .put("name", "QUARKUS_HTTP_PORT")
        .put("value", Integer.toString(port));
    Path replicaFile = file.resolveSibling(name + ".yaml");
    Files.writeString(replicaFile, configMaps + document(replica));
    replicas.add(replicaFile);
    expect(
        podman.run(300, "kube", "play", "--replace", replicaFile.toString()), "podman kube play");
    return pod(name);
  }

  /**
   * Stops a pod as Kubernetes does: SIGTERM, then SIGKILL after the Deployment's grace period;
   * prints how long it took to stop.
   */
  void stopReplica(String deployment, String pod) {
    long grace =
        deployments
            .get(deployment)
            .at("/spec/template/spec/terminationGracePeriodSeconds")
            .asLong(30);
    long start = System.nanoTime();
    try {
      expect(podman.run((int) grace + 60, "pod", "stop", "-t", Long.toString(grace), pod), "stop");
      System.out.printf(
          "autoscaler: %s stopped %.1f s after SIGTERM%n", pod, (System.nanoTime() - start) / 1e9);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Deployments played, by name. */
  Map<String, JsonNode> deployments() {
    return deployments;
  }

  /** The pod podman plays a Deployment as. */
  String pod(String deployment) {
    return deployment + "-pod-0";
  }

  /** The container of a Deployment's (single) pod, as podman names it. */
  String container(String deployment) {
    String name = deployments.get(deployment).at("/spec/template/spec/containers/0/name").asText();
    return pod(deployment) + "-" + name;
  }

  /**
   * Waits until every Deployment's readiness probe answers 200; how long each took from the play.
   */
  Map<String, Duration> awaitReady(Duration timeout) throws InterruptedException {
    Map<String, Duration> ready = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ready.size() < deployments.size()) {
      for (String deployment : deployments.keySet()) {
        if (!ready.containsKey(deployment) && probe(deployment, "readinessProbe") == 200) {
          ready.put(deployment, Duration.ofNanos(System.nanoTime() - playedAt));
        }
      }
      if (System.nanoTime() > deadline) {
        var logs = new StringBuilder();
        for (String deployment : deployments.keySet()) {
          if (!ready.containsKey(deployment)) {
            logs.append("\n---- ").append(deployment).append(":\n").append(logs(deployment));
          }
        }
        throw new AssertionError(
            "not ready after " + timeout.toSeconds() + " s: only " + ready.keySet() + logs);
      }
      Thread.sleep(250);
    }
    return ready;
  }

  /** The HTTP status the Deployment's probe ({@code readinessProbe}, ...) answers; 0 if none. */
  int probe(String deployment, String kind) {
    JsonNode container = deployments.get(deployment).at("/spec/template/spec/containers/0");
    JsonNode get = container.path(kind).path("httpGet");
    int port = port(container, get.path("port"));
    try {
      return HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + get.path("path").asText()))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  static int port(JsonNode container, JsonNode port) {
    if (port.isInt()) {
      return port.asInt();
    }
    for (JsonNode declared : container.path("ports")) {
      if (declared.path("name").asText().equals(port.asText())) {
        return declared.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no port named " + port + " in " + container.path("name"));
  }

  /** What podman says of a Deployment's container. */
  JsonNode inspect(String deployment) throws Exception {
    var result = podman.run(60, "inspect", container(deployment));
    expect(result, "podman inspect");
    return JSON.readTree(result.output()).get(0);
  }

  /**
   * The files a Deployment's container changed in its image's file system ({@code podman diff}).
   */
  List<String> changedFiles(String deployment) throws Exception {
    var result = podman.run(60, "diff", container(deployment));
    expect(result, "podman diff");
    return result.output().lines().filter(l -> !l.isBlank()).toList();
  }

  /**
   * Each Deployment's memory in use now, in bytes: the resident set of its container's process.
   * (podman's own stats read nothing under these machines' hybrid cgroups.)
   */
  Map<String, Long> memory() throws Exception {
    Map<String, Long> used = new LinkedHashMap<>();
    for (String deployment : deployments.keySet()) {
      var pid = podman.run(60, "inspect", "--format", "{{.State.Pid}}", container(deployment));
      Path status = Path.of("/proc", pid.output().strip(), "status");
      if (pid.status() == 0 && Files.exists(status)) {
        Files.readAllLines(status).stream()
            .filter(line -> line.startsWith("VmRSS:"))
            .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
            .findFirst()
            .ifPresent(bytes -> used.put(deployment, bytes));
      }
    }
    return used;
  }

  String logs(String deployment) {
    try {
      var lines = podman.run(60, "logs", "--tail", "40", container(deployment)).output();
      return lines;
    } catch (Exception e) {
      return "(no logs: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws Exception {
    for (Path replica : replicas) {
      podman.run(300, "kube", "down", replica.toString());
    }
    podman.run(300, "kube", "down", file.toString());
    for (String secret : secrets) {
      podman.run(60, "secret", "rm", secret);
    }
  }

  private static void expect(Podman.Result result, String what) {
    if (result.status() != 0) {
      throw new IllegalStateException(what + " failed: " + result.output());
    }
  }
}
