package dev.autodoc.local.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An S3-compatible server (Adobe's S3Mock executable jar) with its store in the data directory. */
final class S3Server {
  /** The bucket agent sessions are archived to; created when the server starts. */
  static final String BUCKET = "autodoc-sessions";

  private S3Server() {}

  static ManagedProcess start(
      ServerRuntime runtime, Path dir, int httpPort, int httpsPort, boolean background)
      throws IOException {
    Files.createDirectories(dir.resolve("store"));
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                ServerRuntime.javaLauncher(),
                "-Xms32m",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
    command.addAll(ClassDataSharing.options("s3", List.of(runtime.s3mockJar())));
    command.addAll(
        List.of(
            "-jar",
            runtime.s3mockJar().toString(),
            "--http.port=" + httpPort,
            "--server.port=" + httpsPort,
            "--server.address=127.0.0.1",
            // Beans made on first use and no JMX: a quicker start; the readiness check's first
            // request makes what the store needs.
            "--spring.main.lazy-initialization=true",
            "--spring.jmx.enabled=false"));
    Map<String, String> env =
        Map.of(
            "COM_ADOBE_TESTING_S3MOCK_STORE_ROOT",
            dir.resolve("store").toString(),
            "COM_ADOBE_TESTING_S3MOCK_STORE_RETAIN_FILES_ON_EXIT",
            "true",
            "COM_ADOBE_TESTING_S3MOCK_STORE_INITIAL_BUCKETS",
            BUCKET);
    return ManagedProcess.start(
        "s3",
        background ? ManagedProcess.lowPriority(command) : command,
        env,
        dir,
        dir.resolve("s3.log"),
        ManagedProcess.StopSignal.TERM);
  }

  static void awaitReady(ManagedProcess server, String endpoint) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    server.awaitReady(
        Duration.ofSeconds(90),
        () -> {
          var response =
              http.send(
                  HttpRequest.newBuilder(URI.create(endpoint + "/"))
                      .timeout(Duration.ofSeconds(5))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          return response.statusCode() == 200;
        });
  }
}
