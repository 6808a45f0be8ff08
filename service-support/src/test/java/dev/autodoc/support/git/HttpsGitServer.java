package dev.autodoc.support.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefWriter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A git server over HTTPS for tests: git's "dumb" HTTP protocol (the repository's files served as
 * they are), behind TLS with a certificate made by the JDK's keytool, demanding a token as the
 * password the way GitHub and GitLab do. This JVM is made to trust that certificate.
 */
final class HttpsGitServer implements AutoCloseable {
  static final String USER = "x-access-token";

  private final HttpsServer server;
  private final Path bare;
  final AtomicInteger authorized = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();

  private HttpsGitServer(HttpsServer server, Path bare) {
    this.server = server;
    this.bare = bare;
  }

  /** Serves a bare copy of {@code source} at {@code /repo.git}, accepting only {@code token}. */
  static HttpsGitServer serve(Path source, String token, Path workDir) throws Exception {
    Path bare = workDir.resolve("served/repo.git");
    Git.cloneRepository()
        .setURI(source.toUri().toString())
        .setBare(true)
        .setDirectory(bare.toFile())
        .call()
        .close();
    indexForDumbHttp(bare);
    SSLContext tls = tls(workDir);
    HttpsURLConnection.setDefaultSSLSocketFactory(tls.getSocketFactory());
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + token).getBytes(StandardCharsets.UTF_8));
    var git = new HttpsGitServer(server, bare);
    server.createContext("/repo.git/", exchange -> git.answer(exchange, expected));
    server.createContext("/moved.git/", git::redirect);
    server.start();
    return git;
  }

  String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
  }

  /** A repository that moved: every request is redirected to {@link #movedTo} with its path. */
  String movedUrl() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/moved.git";
  }

  volatile String movedTo;

  private void redirect(HttpExchange exchange) throws IOException {
    try (exchange) {
      String rest = exchange.getRequestURI().getRawPath().substring("/moved.git".length());
      String query = exchange.getRequestURI().getRawQuery();
      exchange
          .getResponseHeaders()
          .add("Location", movedTo + rest + (query == null ? "" : "?" + query));
      exchange.sendResponseHeaders(301, -1);
    }
  }

  /** Brings the served copy up to the source's latest commits. */
  void refresh(Path source) throws Exception {
    try (Git served = Git.open(bare.toFile())) {
      served
          .fetch()
          .setRemote(source.toUri().toString())
          .setRefSpecs("+refs/heads/*:refs/heads/*")
          .call();
    }
    indexForDumbHttp(bare);
  }

  private void answer(HttpExchange exchange, String expected) throws IOException {
    try (exchange) {
      if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        refused.incrementAndGet();
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      authorized.incrementAndGet();
      String relative = exchange.getRequestURI().getPath().substring("/repo.git/".length());
      Path file = bare.resolve(relative).normalize();
      if (!file.startsWith(bare) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange
          .getResponseHeaders()
          .add(
              "Content-Type",
              relative.startsWith("info/") || relative.equals("HEAD")
                  ? "text/plain"
                  : "application/octet-stream");
      exchange.sendResponseHeaders(200, Files.size(file));
      try (OutputStream out = exchange.getResponseBody();
          InputStream in = Files.newInputStream(file)) {
        in.transferTo(out);
      }
    }
  }

  /** What git update-server-info writes: info/refs and objects/info/packs. */
  private static void indexForDumbHttp(Path bare) throws IOException {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
      new RefWriter(repo.getRefDatabase().getRefs()) {
        @Override
        protected void writeFile(String name, byte[] content) throws IOException {
          Files.createDirectories(bare.resolve(name).getParent());
          Files.write(bare.resolve(name), content);
        }
      }.writeInfoRefs();
    }
    Path packs = bare.resolve("objects/pack");
    Files.createDirectories(bare.resolve("objects/info"));
    try (Stream<Path> files = Files.list(packs)) {
      List<String> lines =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".pack"))
              .map(n -> "P " + n)
              .toList();
      Files.writeString(bare.resolve("objects/info/packs"), String.join("\n", lines) + "\n");
    }
  }

  /** A self-signed certificate for 127.0.0.1, trusted by this JVM's HTTPS clients only. */
  private static SSLContext tls(Path workDir) throws Exception {
    Path keystore = workDir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "git",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-storetype",
                "PKCS12")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("keytool.log").toFile())
            .start();
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException(
          "keytool failed: " + Files.readString(workDir.resolve("keytool.log")));
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
