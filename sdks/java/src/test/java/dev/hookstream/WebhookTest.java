package dev.hookstream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTest {
  // The test vector the Standard Webhooks specification publishes.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final String TIMESTAMP = "1614265330";
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final Instant THEN = Instant.ofEpochSecond(1614265330);

  @Test
  void acceptsTheSpecificationsVector() {
    assertDoesNotThrow(() -> new Webhook(SECRET).verify(BODY, ID, TIMESTAMP, SIGNATURE, THEN));
  }

  @Test
  void acceptsAnyOfSeveralSignaturesAsDuringARotation() {
    String both = "v1,aW52YWxpZA== " + SIGNATURE;
    assertDoesNotThrow(() -> new Webhook(SECRET).verify(BODY, ID, TIMESTAMP, both, THEN));
  }

  @Test
  void refusesAChangedBodyIdOrTimestamp() {
    Webhook wh = new Webhook(SECRET);
    byte[] changed = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
    assertThrows(WebhookVerificationException.class, () -> wh.verify(changed, ID, TIMESTAMP, SIGNATURE, THEN));
    assertThrows(WebhookVerificationException.class, () -> wh.verify(BODY, ID + "x", TIMESTAMP, SIGNATURE, THEN));
    assertThrows(WebhookVerificationException.class, () -> wh.verify(BODY, ID, "1614265331", SIGNATURE, THEN.plusSeconds(1)));
  }

  @Test
  void refusesAStaleOrFutureTimestampAndMalformedHeaders() {
    Webhook wh = new Webhook(SECRET);
    WebhookVerificationException stale = assertThrows(WebhookVerificationException.class, () -> wh.verify(BODY, ID, TIMESTAMP, SIGNATURE, THEN.plusSeconds(301)));
    assertEquals("webhook-timestamp is outside the tolerance", stale.getMessage());
    assertThrows(WebhookVerificationException.class, () -> wh.verify(BODY, ID, TIMESTAMP, SIGNATURE, THEN.minusSeconds(301)));
    assertThrows(WebhookVerificationException.class, () -> wh.verify(BODY, ID, "soon", SIGNATURE, THEN));
    assertThrows(WebhookVerificationException.class, () -> wh.verify(BODY, ID, TIMESTAMP, "v1,%%%", THEN));
    assertThrows(WebhookVerificationException.class, () -> wh.verify(BODY, ID, TIMESTAMP, "v1a," + SIGNATURE.substring(3), THEN));
    assertThrows(WebhookVerificationException.class, () -> wh.verify(BODY, Map.of("webhook-id", ID)));
  }

  @Test
  void readsHeadersWhateverTheirCase() {
    Map<String, String> headers = Map.of("Webhook-Id", ID, "WEBHOOK-TIMESTAMP", TIMESTAMP, "webhook-signature", SIGNATURE);
    // Against the wall clock the 2021 vector is stale: the headers were found, the timestamp refused.
    WebhookVerificationException e = assertThrows(WebhookVerificationException.class, () -> new Webhook(SECRET).verify(BODY, headers));
    assertEquals("webhook-timestamp is outside the tolerance", e.getMessage());
  }

  @Test
  void verifiesEd25519SignaturesWithAWhpkPublicKey() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = pair.getPublic().getEncoded();
    String publicKey = "whpk_" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update((ID + "." + TIMESTAMP + ".").getBytes(StandardCharsets.UTF_8));
    signer.update(BODY);
    String signature = "v1a," + Base64.getEncoder().encodeToString(signer.sign());
    Webhook wh = new Webhook(publicKey);
    assertDoesNotThrow(() -> wh.verify(BODY, ID, TIMESTAMP, signature, THEN));
    assertThrows(WebhookVerificationException.class, () -> wh.verify("{}".getBytes(StandardCharsets.UTF_8), ID, TIMESTAMP, signature, THEN));
    // An HMAC signature is no answer for an ed25519 key.
    assertThrows(WebhookVerificationException.class, () -> wh.verify(BODY, ID, TIMESTAMP, SIGNATURE, THEN));
  }

  @Test
  void refusesAKeyThatIsNeitherASecretNorAPublicKey() {
    assertThrows(IllegalArgumentException.class, () -> new Webhook("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    assertThrows(IllegalArgumentException.class, () -> new Webhook("whpk_AAAA"));
  }
}
