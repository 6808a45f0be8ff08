package dev.autodoc.reconciler;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 bucket archives go to: AWS S3 itself, or any S3-compatible server named by {@code
 * autodoc.s3.endpoint} (the local stack's). Blocking: call it from worker threads.
 */
@ApplicationScoped
public class ObjectStore {
  @ConfigMapping(prefix = "autodoc.s3")
  public interface S3Config {
    /** An S3-compatible server; absent for AWS S3. */
    Optional<URI> endpoint();

    String bucket();

    @WithDefault("us-east-1")
    String region();

    /** Static credentials; absent to use the AWS default chain (environment, profile, role). */
    Optional<String> accessKey();

    Optional<String> secretKey();

    @WithDefault("30s")
    Duration timeout();
  }

  private final S3Client client;
  private final String bucket;

  ObjectStore(S3Config config) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(config.region()))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(config.timeout())
                    .socketTimeout(config.timeout()))
            // Our own SHA-256 read-back check covers integrity; S3-compatible servers differ in
            // which of the SDK's newer checksum schemes they accept.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (config.accessKey().isPresent() && config.secretKey().isPresent()) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().get())));
    } else if (config.endpoint().isPresent()) {
      // A local S3-compatible server accepts any credentials.
      builder.credentialsProvider(
          StaticCredentialsProvider.create(AwsBasicCredentials.create("autodoc", "autodoc")));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    config
        .endpoint()
        .ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
    this.client = builder.build();
    this.bucket = config.bucket();
  }

  public String bucket() {
    return bucket;
  }

  public void put(String key, byte[] bytes, String contentType) {
    client.putObject(
        b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
  }

  public byte[] get(String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  void close(@Observes ShutdownEvent event) {
    client.close();
  }
}
