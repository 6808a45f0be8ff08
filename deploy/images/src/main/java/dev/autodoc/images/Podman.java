package dev.autodoc.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** podman, installed and configured by the project's own files, run as these machines allow. */
public final class Podman {
  private final Path project;

  public Podman(Path project) throws IOException, InterruptedException {
    this.project = project;
    Result install =
        exec(List.of(project.resolve("deploy/images/podman/install.sh").toString()), 600);
    if (install.status() != 0) {
      throw new IllegalStateException("podman could not be installed: " + install.output());
    }
  }

  public record Result(int status, String output) {}

  /** {@code podman <args>}, with the project's containers.conf. */
  public Result run(int timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    return exec(command, timeoutSeconds);
  }

  private Result exec(List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .put("CONTAINERS_CONF", project.resolve("deploy/images/podman/containers.conf").toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish: " + output);
    }
    return new Result(process.exitValue(), output);
  }
}
