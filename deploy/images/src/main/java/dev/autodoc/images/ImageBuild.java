package dev.autodoc.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One service's image, built by jib-core into an OCI tarball: no Docker daemon, and reproducible
 * (every file and the image itself dated at the epoch, entries in a fixed order), so two builds of
 * the same code on the same base give the same digest. The Quarkus application (its aot-jar) goes
 * in four layers, from what changes least to what changes most: the boot libraries, the
 * dependencies, Quarkus's generated classes, the application. The service runs as user 10001, from
 * {@code /app}, which it cannot write: everything it writes goes to {@code /work} and {@code /tmp},
 * volumes in Kubernetes.
 *
 * <p>{@code java -cp <this module's jar and dependencies> dev.autodoc.images.ImageBuild <service>
 * <out.tar> [local|temurin]} builds one; {@code deploy/images/build.sh} builds them all.
 */
public final class ImageBuild {
  /** Where either base keeps its Java runtime. */
  public static final String JAVA_HOME = "/opt/java/openjdk";

  public static final String VERSION = "0.1.0";

  private ImageBuild() {}

  /**
   * The image a service's quarkus-app makes on a base, written to {@code out}; {@code cache} keeps
   * base layers, {@code appCache} the application's.
   */
  public static JibContainer build(
      Service service, Path app, Base base, Path out, Path cache, Path appCache)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
      throw new IOException(app + " holds no Quarkus application: build the service first");
    }
    JibContainerBuilder image = base.start();
    image
        .addFileEntriesLayer(layer("boot", app, List.of("lib/boot")))
        .addFileEntriesLayer(layer("dependencies", app, List.of("lib/main")))
        .addFileEntriesLayer(layer("quarkus", app, List.of("quarkus")))
        .addFileEntriesLayer(layer("application", app, List.of("app", "quarkus-run.jar")))
        .setEntrypoint(JAVA_HOME + "/bin/java", "-jar", "/app/quarkus-run.jar")
        .setWorkingDirectory(AbsoluteUnixPath.get("/app"))
        .setUser("10001:10001")
        .addEnvironmentVariable("HOME", "/work/home")
        .setExposedPorts(Port.tcp(service.port()))
        .addLabel("org.opencontainers.image.title", "autodoc-" + service.image())
        .addLabel("org.opencontainers.image.version", VERSION)
        .setFormat(ImageFormat.OCI)
        .setCreationTime(Instant.EPOCH);
    Files.createDirectories(out.toAbsolutePath().getParent());
    try {
      return image.containerize(
          Containerizer.to(TarImage.at(out).named("autodoc/" + service.image() + ":" + VERSION))
              .setBaseImageLayersCache(cache.resolve("base-layers"))
              .setApplicationLayersCache(appCache)
              .setOfflineMode(!base.remote())
              .setToolName("autodoc-images"));
    } catch (com.google.cloud.tools.jib.api.InvalidImageReferenceException
        | com.google.cloud.tools.jib.api.RegistryException
        | com.google.cloud.tools.jib.api.CacheDirectoryCreationException
        | java.util.concurrent.ExecutionException e) {
      throw new IOException("building the " + service.image() + " image failed: " + e, e);
    }
  }

  /** The files of some paths of the quarkus-app, under {@code /app}, readable by everyone. */
  private static FileEntriesLayer layer(String name, Path app, List<String> paths)
      throws IOException {
    var layer = FileEntriesLayer.builder().setName(name);
    for (String path : paths) {
      layer.addEntryRecursive(app.resolve(path), AbsoluteUnixPath.get("/app/" + path));
    }
    return layer.build();
  }

  /** Where a checkout keeps base layers and the parts of the local base. */
  public static Path cache(Path project) {
    return project.resolve("deploy/images/target/cache");
  }

  /**
   * The image of a service of the checkout at {@code project}, on the locally assembled base, as
   * the tests run it; {@code appCache} keeps the application's layers.
   */
  public static JibContainer buildLocal(Path project, Service service, Path out, Path appCache)
      throws Exception {
    Path cache = cache(project);
    return build(service, service.app(project), new LocalBase(cache), out, cache, appCache);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: ImageBuild <orchestrator|scope-worker|callback|reconciler> <out.tar> [local|temurin]");
      System.exit(2);
    }
    Service service =
        java.util.Arrays.stream(Service.values())
            .filter(s -> s.image().equals(args[0]))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no service " + args[0]));
    Path root = Path.of(System.getProperty("autodoc.project.dir", ".")).toAbsolutePath();
    Path cache = cache(root);
    Base base =
        args.length > 2 && args[2].equals("temurin") ? new Base.Temurin() : new LocalBase(cache);
    JibContainer image =
        build(
            service,
            service.app(root),
            base,
            Path.of(args[1]),
            cache,
            cache.resolve("application-layers"));
    System.out.println(args[1] + " " + image.getDigest());
  }
}
