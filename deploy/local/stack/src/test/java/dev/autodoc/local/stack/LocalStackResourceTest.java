package dev.autodoc.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalStackResourceTest {
  @AfterEach
  void clearSwitch() {
    System.clearProperty(LocalStackResource.SWITCH);
  }

  @Test
  void theDefaultIsTheLocalProcessStack() {
    assertThat(LocalStackResource.useTestcontainers()).isFalse();
  }

  @Test
  void theSwitchChoosesTestcontainersAndSaysSoWhenNoDockerEngineAnswers() {
    System.setProperty(LocalStackResource.SWITCH, "testcontainers");
    assertThat(LocalStackResource.useTestcontainers()).isTrue();
    // These machines have no Docker engine; where one runs, the same call starts the containers.
    org.junit.jupiter.api.Assumptions.assumeFalse(
        java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock")),
        "a Docker engine is present: the containers would start, which the service tests exercise");
    assertThatThrownBy(() -> new LocalStackResource().start())
        .hasMessageContaining(
            "Testcontainers could not start Kafka and PostgreSQL (is a Docker engine running?)");
  }
}
