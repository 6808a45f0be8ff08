package dev.autodoc.local.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the build put the servers: the broker's classpath, the S3 server's jar and the PostgreSQL
 * binaries, as recorded by the {@code autodoc-local-servers} module.
 */
record ServerRuntime(
    String kafkaVersion,
    String kafkaClasspath,
    Path s3mockJar,
    String postgresVersion,
    Path postgresBinariesJar) {

  static ServerRuntime load() {
    var props = new Properties();
    try (InputStream in =
        ServerRuntime.class.getResourceAsStream("/autodoc-local/runtime.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "autodoc-local/runtime.properties is not on the classpath; build deploy/local/servers first");
      }
      props.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read autodoc-local/runtime.properties", e);
    }
    var runtime =
        new ServerRuntime(
            props.getProperty("kafka.version"),
            props.getProperty("kafka.classpath"),
            Path.of(props.getProperty("s3mock.jar")),
            props.getProperty("postgres.version"),
            Path.of(props.getProperty("postgres.binaries.jar")));
    for (Path jar : new Path[] {runtime.s3mockJar, runtime.postgresBinariesJar}) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing; run the build again to resolve it");
      }
    }
    return runtime;
  }

  /** The {@code java} launcher of the JDK this process runs on. */
  static String javaLauncher() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
