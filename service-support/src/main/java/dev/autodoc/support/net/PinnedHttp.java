package dev.autodoc.support.net;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP requests to URLs that come from outside (callbacks, git provider APIs) that go to the very
 * address the {@link AddressPolicy} checked: the host is resolved once, every address it has is
 * checked, and the connection is made to the first of them while the request (Host header, TLS name
 * and certificate check) still speaks of the host by name. No second lookup happens, so a name that
 * resolves to a public address for the check and a private one for the connection (DNS rebinding)
 * gets nowhere. Redirects are never followed: the caller decides about a 3xx.
 *
 * <p>Blocking: call it from a worker thread, never from an event loop.
 */
public final class PinnedHttp implements AutoCloseable {
  private final Vertx vertx;
  private final HttpClient client;
  private final AddressPolicy policy;

  public PinnedHttp(Vertx vertx, AddressPolicy policy, Duration connectTimeout) {
    this.vertx = vertx;
    this.policy = policy;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setForceSni(true)
                .setVerifyHost(true)
                .setKeepAlive(true));
  }

  /** An answer: status, headers (any case), and the body as text. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    public Optional<String> header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
  }

  /** A request that did not answer in time. */
  public static final class Timeout extends IOException {
    Timeout(String message) {
      super(message);
    }
  }

  /**
   * Sends one request and reads the whole answer.
   *
   * @throws AddressPolicy.Refused when the host is at an address the policy does not allow
   * @throws Timeout when no whole answer came within {@code timeout}
   * @throws IOException when the host does not resolve or the connection fails
   */
  public Response send(
      String method, URI uri, Map<String, String> headers, String body, Duration timeout)
      throws IOException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new AddressPolicy.Refused("only http:// and https:// can be reached, not " + uri);
    }
    if (uri.getHost() == null) {
      throw new AddressPolicy.Refused(uri + " has no host");
    }
    boolean tls = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    InetAddress address = policy.resolve(uri.getHost()).getFirst();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setHost(bare(uri.getHost()))
            .setPort(port)
            .setSsl(tls)
            .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
            .setURI(path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
            .setFollowRedirects(false)
            .setTimeout(timeout.toMillis());
    headers.forEach(options::putHeader);
    // The whole exchange is set up on one Vert.x context, which also receives its events: set up
    // from this (non-Vert.x) thread, the response could end before its body handler is attached.
    var answer = new java.util.concurrent.CompletableFuture<Response>();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(
        started ->
            client
                .request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(
                    (HttpClientResponse response) ->
                        response.body().map(b -> response(response, b)))
                .onSuccess(answer::complete)
                .onFailure(answer::completeExceptionally));
    try {
      return answer.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new Timeout("no answer from " + uri.getHost() + " within " + timeout);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof io.vertx.core.impl.NoStackTraceTimeoutException
          || cause instanceof java.util.concurrent.TimeoutException) {
        throw new Timeout("no answer from " + uri.getHost() + " within " + timeout);
      }
      throw cause instanceof IOException io ? io : new IOException(describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for " + uri.getHost(), e);
    }
  }

  private static Response response(HttpClientResponse response, Buffer body) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : response.headers().names()) {
      headers.put(name, response.headers().getAll(name));
    }
    return new Response(response.statusCode(), headers, body.toString());
  }

  private static String describe(Throwable cause) {
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  @Override
  public void close() {
    client.close();
  }
}
