package dev.autodoc.images;

import java.nio.file.Path;

/** The services that ship as images: each image's name, the module it is built from, its port. */
public enum Service {
  ORCHESTRATOR("orchestrator", "orchestrator-service", 8080),
  SCOPE_WORKER("scope-worker", "scope-worker-service", 8081),
  CALLBACK("callback", "callback-service", 8082),
  RECONCILER("reconciler", "reconciler-service", 8083);

  private final String image;
  private final String module;
  private final int port;

  Service(String image, String module, int port) {
    this.image = image;
    this.module = module;
    this.port = port;
  }

  public String image() {
    return image;
  }

  public int port() {
    return port;
  }

  /** The Quarkus application (aot-jar layout: quarkus-app) the build left in the module. */
  public Path app(Path projectRoot) {
    return projectRoot.resolve(module).resolve("target/quarkus-app");
  }
}
