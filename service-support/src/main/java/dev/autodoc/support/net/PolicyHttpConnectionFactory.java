package dev.autodoc.support.net;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * JGit's HTTP connections with every TLS connection checked by an {@link AddressPolicy} as it is
 * made ({@link PolicySocketFactory}), redirects included, since JGit opens each through this
 * factory. Plain {@code http://} is refused: its sockets cannot be checked, and repositories are
 * reached over {@code https://} only. Through a proxy the socket goes to the proxy, so the target's
 * name is resolved and checked before connecting instead.
 */
public final class PolicyHttpConnectionFactory extends JDKHttpConnectionFactory {
  private final AddressPolicy policy;

  public PolicyHttpConnectionFactory(AddressPolicy policy) {
    this.policy = policy;
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    return create(url, Proxy.NO_PROXY);
  }

  @Override
  public HttpConnection create(URL url, Proxy proxy) throws IOException {
    if (!"https".equalsIgnoreCase(url.getProtocol())) {
      throw new AddressPolicy.Refused(
          "only https:// repositories can be reached, not " + url.getProtocol() + "://");
    }
    if (proxy != null && proxy.type() != Proxy.Type.DIRECT) {
      policy.resolve(url.getHost());
    }
    var handler = new CheckingHandler(policy, proxy);
    URL checked;
    try {
      checked = URL.of(url.toURI(), handler);
    } catch (java.net.URISyntaxException e) {
      throw new IOException("not a URL: " + url, e);
    }
    return new JDKHttpConnection(checked, proxy) {
      @Override
      public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random)
          throws NoSuchAlgorithmException, KeyManagementException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(km, tm, random);
        handler.opened.setSSLSocketFactory(
            new PolicySocketFactory(context.getSocketFactory(), policy));
      }
    };
  }

  /** Opens the JDK's own HTTPS connection and gives it the checking socket factory. */
  private static final class CheckingHandler extends URLStreamHandler {
    private final AddressPolicy policy;
    private final Proxy proxy;
    HttpsURLConnection opened;

    CheckingHandler(AddressPolicy policy, Proxy proxy) {
      this.policy = policy;
      this.proxy = proxy;
    }

    @Override
    protected URLConnection openConnection(URL url) throws IOException {
      return openConnection(url, proxy == null ? Proxy.NO_PROXY : proxy);
    }

    @Override
    protected URLConnection openConnection(URL url, Proxy through) throws IOException {
      HttpURLConnection connection =
          (HttpURLConnection) URI.create(url.toExternalForm()).toURL().openConnection(through);
      if (!(connection instanceof HttpsURLConnection https)) {
        throw new AddressPolicy.Refused("only https:// can be reached, not " + url);
      }
      if (through.type() == Proxy.Type.DIRECT) {
        https.setSSLSocketFactory(new PolicySocketFactory(https.getSSLSocketFactory(), policy));
      }
      opened = https;
      return https;
    }
  }
}
