package dev.hookstream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a delivery the way Standard Webhooks defines it: {@code webhook-signature} holds one or
 * more space-separated signatures of {@code "<webhook-id>.<webhook-timestamp>.<raw body>"}, and one
 * of them must match. A {@code whsec_} secret checks {@code v1,} (HMAC-SHA256); a {@code whpk_}
 * public key checks {@code v1a,} (Ed25519). The timestamp must be within five minutes of now, so a
 * captured delivery cannot be replayed later. Verify the raw bytes before parsing them.
 */
public final class Webhook {
  private static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
  // The DER prefix that wraps a raw 32-byte Ed25519 public key as an X.509 SubjectPublicKeyInfo.
  private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");

  private final byte[] hmacKey;
  private final PublicKey ed25519Key;
  private final Duration tolerance;

  public Webhook(String secretOrPublicKey) {
    this(secretOrPublicKey, DEFAULT_TOLERANCE);
  }

  public Webhook(String secretOrPublicKey, Duration tolerance) {
    if (secretOrPublicKey == null) throw new IllegalArgumentException("a whsec_ secret or a whpk_ public key is required");
    this.tolerance = tolerance;
    if (secretOrPublicKey.startsWith("whsec_")) {
      this.hmacKey = Base64.getDecoder().decode(secretOrPublicKey.substring(6));
      this.ed25519Key = null;
    } else if (secretOrPublicKey.startsWith("whpk_")) {
      this.hmacKey = null;
      this.ed25519Key = ed25519PublicKey(Base64.getDecoder().decode(secretOrPublicKey.substring(5)));
    } else {
      throw new IllegalArgumentException("a signing secret starts with whsec_, an ed25519 public key with whpk_");
    }
  }

  /** Verifies with headers as a map; header names are matched case-insensitively. */
  public void verify(byte[] body, Map<String, String> headers) throws WebhookVerificationException {
    String id = null;
    String timestamp = null;
    String signature = null;
    for (Map.Entry<String, String> h : headers.entrySet()) {
      switch (h.getKey().toLowerCase(Locale.ROOT)) {
        case "webhook-id" -> id = h.getValue();
        case "webhook-timestamp" -> timestamp = h.getValue();
        case "webhook-signature" -> signature = h.getValue();
        default -> { }
      }
    }
    verify(body, id, timestamp, signature, Instant.now());
  }

  /** Verifies against an explicit clock reading (tests, or a receiver with its own clock). */
  public void verify(byte[] body, String id, String timestamp, String signature, Instant now) throws WebhookVerificationException {
    if (id == null || timestamp == null || signature == null) {
      throw new WebhookVerificationException("missing webhook-id, webhook-timestamp or webhook-signature");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw new WebhookVerificationException("webhook-timestamp is not a number of seconds");
    }
    if (Math.abs(now.getEpochSecond() - seconds) > tolerance.getSeconds()) {
      throw new WebhookVerificationException("webhook-timestamp is outside the tolerance");
    }
    byte[] prefix = (id + "." + seconds + ".").getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, content, 0, prefix.length);
    System.arraycopy(body, 0, content, prefix.length, body.length);
    String version = hmacKey != null ? "v1" : "v1a";
    byte[] expected = hmacKey != null ? hmac(content) : null;
    for (String candidate : signature.trim().split(" +")) {
      int comma = candidate.indexOf(',');
      if (comma < 0 || !candidate.substring(0, comma).equals(version)) continue;
      byte[] given;
      try {
        given = Base64.getDecoder().decode(candidate.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (expected != null ? MessageDigest.isEqual(expected, given) : ed25519Verifies(content, given)) return;
    }
    throw new WebhookVerificationException("no signature matches");
  }

  private byte[] hmac(byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
      return mac.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private boolean ed25519Verifies(byte[] content, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(ed25519Key);
      verifier.update(content);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PublicKey ed25519PublicKey(byte[] raw) {
    if (raw.length != 32) throw new IllegalArgumentException("an ed25519 public key is 32 bytes");
    byte[] spki = new byte[SPKI_PREFIX.length + raw.length];
    System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
    System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an ed25519 public key", e);
    }
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    return out;
  }
}
