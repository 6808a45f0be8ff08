package dev.autodoc.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs callback requests: {@code sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">} with the shared
 * secret. Signing the timestamp with the body lets a receiver reject replays of an old request.
 */
public final class Signatures {
  public static final String SIGNATURE_HEADER = "X-Autodoc-Signature";
  public static final String TIMESTAMP_HEADER = "X-Autodoc-Timestamp";
  public static final String DELIVERY_HEADER = "X-Autodoc-Delivery";
  public static final String EVENT_HEADER = "X-Autodoc-Event";

  private Signatures() {}

  /** The signature header's value for the timestamp (epoch seconds) and body. */
  public static String sign(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "sha256="
          + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
