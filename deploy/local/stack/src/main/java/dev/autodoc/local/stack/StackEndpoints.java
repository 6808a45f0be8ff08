package dev.autodoc.local.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/** How to reach the servers of a running local stack. */
public record StackEndpoints(
    String kafkaBootstrapServers,
    String postgresHost,
    int postgresPort,
    String postgresDatabase,
    String postgresUser,
    String postgresPassword,
    String s3Endpoint,
    String s3Bucket) {

  public String jdbcUrl() {
    return "jdbc:postgresql://" + postgresHost + ":" + postgresPort + "/" + postgresDatabase;
  }

  public String reactiveUrl() {
    return "postgresql://" + postgresHost + ":" + postgresPort + "/" + postgresDatabase;
  }

  /** The configuration a service needs to use this stack, as Quarkus keys. */
  public Map<String, String> serviceConfig() {
    var config = new LinkedHashMap<String, String>();
    config.put("kafka.bootstrap.servers", kafkaBootstrapServers);
    config.put("quarkus.datasource.jdbc.url", jdbcUrl());
    config.put("quarkus.datasource.reactive.url", reactiveUrl());
    config.put("quarkus.datasource.username", postgresUser);
    config.put("quarkus.datasource.password", postgresPassword);
    config.put("autodoc.s3.endpoint", s3Endpoint);
    config.put("autodoc.s3.bucket", s3Bucket);
    // The stack is the real infrastructure: nothing may start containers in its place.
    config.put("quarkus.devservices.enabled", "false");
    return config;
  }
}
