package dev.autodoc.images;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import java.io.IOException;

/**
 * What the application layers sit on: a Java runtime at {@code /opt/java/openjdk} and what it needs
 * of an operating system. Both bases put Java in the same place, so the application layers and the
 * entrypoint are the same on either.
 */
public sealed interface Base permits Base.Temurin, LocalBase {
  /** The builder, started on this base. */
  JibContainerBuilder start() throws IOException, InterruptedException;

  /** Whether the base is pulled from a registry (the build then cannot be offline). */
  boolean remote();

  /**
   * The production base: Eclipse Temurin's official 21 JRE image, pinned by digest (Dependabot or
   * Renovate bump it; the tag says what it is).
   */
  record Temurin() implements Base {
    public static final String IMAGE =
        "eclipse-temurin:21-jre@sha256:7a65df4b22d2de92d4e04056e884f3b9122d70b21e2847fd66084278bd0ce037";

    @Override
    public JibContainerBuilder start() {
      try {
        return Jib.from(RegistryImage.named(IMAGE));
      } catch (InvalidImageReferenceException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public boolean remote() {
      return true;
    }
  }
}
