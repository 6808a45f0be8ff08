package dev.autodoc.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with {@code kubectl kustomize}, offline, as Kubernetes would get it. */
final class Kustomize {
  /** The directory of the manifests: this module's. */
  static final Path ROOT = Path.of(System.getProperty("user.dir"));

  /** Every kustomization a user can apply. */
  static final List<String> OVERLAYS =
      List.of("base", "overlays/keda", "overlays/hpa", "overlays/operators");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Kustomize() {}

  private static boolean installed;

  /** kubectl, installed by {@code install-tools.sh} when the machine lacks it. */
  private static synchronized void install() throws IOException, InterruptedException {
    if (!installed) {
      Process script =
          new ProcessBuilder(ROOT.resolve("install-tools.sh").toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (script.waitFor() != 0) {
        throw new IOException("kubectl could not be installed: " + out);
      }
      installed = true;
    }
  }

  /** The objects the kustomization at {@code dir} (relative to this module) renders. */
  static List<JsonNode> render(String dir) {
    try {
      install();
      Process kubectl =
          new ProcessBuilder("kubectl", "kustomize", ROOT.resolve(dir).toString())
              .redirectErrorStream(false)
              .start();
      String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
      }
      return parse(out);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "kubectl is needed to render the manifests (deploy/kubernetes/README.md)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static List<JsonNode> parse(String yaml) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
      var docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
          objects.add(doc);
        }
      }
    }
    return objects;
  }

  /** {@code Kind/name}, how an object is named in messages. */
  static String id(JsonNode object) {
    return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
  }
}
