package dev.autodoc.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.JibContainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every service's image, built on the locally assembled base as the tests and the local cluster use
 * it: reproducible, non-root, and running on a read-only root file system under podman. Prints each
 * image's size and build time.
 */
class ImagesIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("autodoc.project.dir", "../..")).toAbsolutePath().normalize();
  private static final Path OUT = PROJECT.resolve("deploy/images/target/it");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Service, JibContainer> BUILT = new HashMap<>();

  @BeforeAll
  static void buildEveryImage() throws Exception {
    Files.createDirectories(OUT);
    for (Service service : Service.values()) {
      long start = System.nanoTime();
      Path tar = OUT.resolve(service.image() + ".tar");
      BUILT.put(service, build(service, tar, "first"));
      System.out.printf(
          "image %-13s %4d MiB in %.1f s%n",
          service.image(), layerBytes(tar) >> 20, (System.nanoTime() - start) / 1e9);
    }
  }

  @Test
  void twoCleanBuildsGiveTheSameDigest() throws Exception {
    Path again = OUT.resolve("orchestrator-again.tar");
    JibContainer second = build(Service.ORCHESTRATOR, again, "second");
    assertThat(second.getDigest()).isEqualTo(BUILT.get(Service.ORCHESTRATOR).getDigest());
    assertThat(Files.mismatch(again, OUT.resolve("orchestrator.tar"))).isEqualTo(-1);
  }

  @Test
  void anImageRunsAsItsOwnUserFromFilesItCannotWrite() throws Exception {
    JsonNode config = config(OUT.resolve("scope-worker.tar"));
    assertThat(config.path("config").path("User").asText()).isEqualTo("10001:10001");
    assertThat(config.path("config").path("WorkingDir").asText()).isEqualTo("/app");
    assertThat(config.path("config").path("Entrypoint").toString())
        .isEqualTo("[\"/opt/java/openjdk/bin/java\",\"-jar\",\"/app/quarkus-run.jar\"]");
    assertThat(config.path("config").path("ExposedPorts").has("8081/tcp")).isTrue();
    // system, java, then the quarkus-app from what changes least to what changes most
    assertThat(config.path("rootfs").path("diff_ids")).hasSize(6);

    var podman = new Podman(PROJECT);
    var load = podman.run(300, "load", "-i", OUT.resolve("scope-worker.tar").toString());
    assertThat(load.status()).as(load.output()).isZero();
    var run =
        podman.run(
            120,
            "run",
            "--rm",
            "--read-only",
            "--entrypoint",
            "/opt/java/openjdk/bin/java",
            "localhost/autodoc/scope-worker:" + ImageBuild.VERSION,
            "-XshowSettings:properties",
            "-version");
    assertThat(run.status()).as(run.output()).isZero();
    assertThat(run.output()).contains("user.name = autodoc").contains("java.io.tmpdir = /tmp");
    // The application's files belong to root and only root may write them.
    for (TarArchiveEntry file : lastLayer(OUT.resolve("scope-worker.tar"))) {
      assertThat(file.getLongUserId()).as(file.getName()).isZero();
      assertThat(file.getMode() & 0022).as(file.getName()).isZero();
    }
  }

  private static JibContainer build(Service service, Path tar, String cacheName) throws Exception {
    // A clean build: no application layer cached from before.
    Path appCache = OUT.resolve("cache-" + cacheName + "-" + service.image());
    LocalBase.deleteRecursively(appCache);
    return ImageBuild.buildLocal(PROJECT, service, tar, appCache);
  }

  /** The image's configuration, read from its OCI tarball. */
  private static JsonNode config(Path tar) throws IOException {
    Map<String, byte[]> blobs = blobs(tar);
    JsonNode index = JSON.readTree(blobs.get("index.json"));
    JsonNode manifest =
        JSON.readTree(blobs.get(blob(index.path("manifests").get(0).path("digest").asText())));
    return JSON.readTree(blobs.get(blob(manifest.path("config").path("digest").asText())));
  }

  /** What the layers weigh, compressed, as a registry would store them. */
  private static long layerBytes(Path tar) throws IOException {
    Map<String, byte[]> blobs = blobs(tar);
    JsonNode index = JSON.readTree(blobs.get("index.json"));
    JsonNode manifest =
        JSON.readTree(blobs.get(blob(index.path("manifests").get(0).path("digest").asText())));
    long total = 0;
    for (JsonNode layer : manifest.path("layers")) {
      total += layer.path("size").asLong();
    }
    return total;
  }

  /** The entries of the image's last layer: the application's own files. */
  private static java.util.List<TarArchiveEntry> lastLayer(Path tar) throws IOException {
    Map<String, byte[]> blobs = blobs(tar);
    JsonNode index = JSON.readTree(blobs.get("index.json"));
    JsonNode manifest =
        JSON.readTree(blobs.get(blob(index.path("manifests").get(0).path("digest").asText())));
    JsonNode layers = manifest.path("layers");
    String last = blob(layers.get(layers.size() - 1).path("digest").asText());
    java.util.List<TarArchiveEntry> entries = new java.util.ArrayList<>();
    try (InputStream in = Files.newInputStream(tar);
        var archive = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e; (e = archive.getNextEntry()) != null; ) {
        if (e.getName().equals(last)) {
          var layer =
              new TarArchiveInputStream(
                  new java.util.zip.GZIPInputStream(new java.io.BufferedInputStream(archive)));
          for (TarArchiveEntry f; (f = layer.getNextEntry()) != null; ) {
            entries.add(f);
          }
        }
      }
    }
    assertThat(entries).isNotEmpty();
    return entries;
  }

  private static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  /** The small files of an OCI tarball (index, manifests, configs), by path. */
  private static Map<String, byte[]> blobs(Path tar) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (InputStream in = Files.newInputStream(tar);
        var archive = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e; (e = archive.getNextEntry()) != null; ) {
        if (e.isFile() && e.getSize() < 1 << 20) {
          files.put(e.getName(), archive.readAllBytes());
        }
      }
    }
    return files;
  }
}
