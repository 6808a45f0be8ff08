package dev.autodoc.support.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets whose connection is checked against an {@link AddressPolicy} at the moment it is
 * made, on the address the host name resolved to for that very connection, so a name that resolves
 * to a public address when a job is submitted and to a private one when the service connects (DNS
 * rebinding) is still refused.
 *
 * <p>{@code HttpsURLConnection} asks for an unconnected socket, connects it to the resolved address
 * and then layers TLS over it with {@link #createSocket(Socket, String, int, boolean)}; the
 * unconnected socket is a plain one that checks before it connects.
 */
public final class PolicySocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory tls;
  private final AddressPolicy policy;

  public PolicySocketFactory(SSLSocketFactory tls, AddressPolicy policy) {
    this.tls = tls;
    this.policy = policy;
  }

  @Override
  public Socket createSocket() {
    return new CheckedSocket(policy);
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
      throws IOException {
    return tls.createSocket(socket, host, port, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), host);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(host, port), host);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), host.getHostAddress());
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(address, port), address.getHostAddress());
  }

  private Socket connected(InetSocketAddress endpoint, String host) throws IOException {
    Socket plain = createSocket();
    plain.connect(endpoint);
    return tls.createSocket(plain, host, endpoint.getPort(), true);
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return tls.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return tls.getSupportedCipherSuites();
  }

  /** A plain socket that checks the address it is asked to connect to. */
  static final class CheckedSocket extends Socket {
    private final AddressPolicy policy;

    CheckedSocket(AddressPolicy policy) {
      this.policy = policy;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (endpoint instanceof InetSocketAddress inet) {
        if (inet.isUnresolved()) {
          throw new java.net.UnknownHostException(inet.getHostString());
        }
        policy.check(inet.getHostString(), inet.getAddress());
      }
      super.connect(endpoint, timeout);
    }
  }
}
