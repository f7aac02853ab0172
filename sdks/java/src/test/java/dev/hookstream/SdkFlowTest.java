package dev.hookstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hookstream.client.invoker.ApiException;
import dev.hookstream.client.model.DeadLettersList200ResponseDataInner;
import dev.hookstream.client.model.DeadLettersReplay202Response;
import dev.hookstream.client.model.DeliveriesList200ResponseDataInner;
import dev.hookstream.client.model.EventsPublishRequest;
import dev.hookstream.client.model.SubscriptionsCreate201Response;
import dev.hookstream.client.model.SubscriptionsCreateRequest;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The SDK against the five running services (npm test starts them and sets HOOKSTREAM_* for this
 * run; it also checks that this test ran rather than skipped): create a subscription, publish an
 * event, list deliveries, replay a dead letter, and verify each delivery's signature as a
 * receiver would.
 */
class SdkFlowTest {
  /** One request at the receiver, and whether its Standard Webhooks signature verified. */
  record Received(String webhookId, boolean verified) {}

  @Test
  void subscribesPublishesListsAndReplaysADeadLetter() throws Exception {
    String apiKey = System.getenv("HOOKSTREAM_API_KEY");
    assumeTrue(apiKey != null, "HOOKSTREAM_API_KEY and the three service URLs name running services");
    Hookstream hs = Hookstream.builder()
        .apiKey(apiKey)
        .ingressGateway(System.getenv("HOOKSTREAM_GATEWAY_URL"))
        .subscriptionRegistry(System.getenv("HOOKSTREAM_REGISTRY_URL"))
        .dlqInspector(System.getenv("HOOKSTREAM_DLQ_URL"))
        .build();

    byte[] raw = new byte[24];
    new SecureRandom().nextBytes(raw);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(raw);
    Webhook webhook = new Webhook(secret);
    List<Received> received = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(3); // the first try and both retries fail: dead
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/java", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      boolean verified;
      try {
        webhook.verify(body, Map.of(
            "webhook-id", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")),
            "webhook-timestamp", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-timestamp")),
            "webhook-signature", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature"))));
        verified = true;
      } catch (WebhookVerificationException e) {
        verified = false;
      }
      received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"), verified));
      exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 500 : 200, -1);
      exchange.close();
    });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/java";
      SubscriptionsCreate201Response sub = hs.subscriptions()
          .subscriptionsCreate(new SubscriptionsCreateRequest().url(url).eventTypes(List.of("order.*")).secret(secret), null);
      UUID subscriptionId = sub.getId();

      // Published until the dispatcher's index knows the subscription; the id makes repeats safe.
      String eventId = "evt_java_" + UUID.randomUUID();
      EventsPublishRequest event = new EventsPublishRequest().id(eventId).type("order.placed").occurredAt(OffsetDateTime.now()).data(Map.of("n", 1));
      waitFor("the first attempt at the receiver", () -> {
        try {
          hs.retries().call(key -> hs.events().eventsPublish(event));
        } catch (ApiException e) {
          throw new IllegalStateException(e);
        }
        return received.isEmpty() ? null : true;
      });

      DeadLettersList200ResponseDataInner dead = waitFor("the dead letter", () -> {
        try {
          List<DeadLettersList200ResponseDataInner> page = hs.deadLetters()
              .deadLettersList(null, subscriptionId, null, null, null, null, null, null, null, null).getData();
          return page.isEmpty() ? null : page.get(0);
        } catch (ApiException e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals("order.placed", dead.getEventType());
      assertEquals(eventId, dead.getEventId());
      List<DeliveriesList200ResponseDataInner> deliveries = hs.deliveries()
          .deliveriesList(null, subscriptionId, null, null, null, null, null, null, null).getData();
      assertEquals(1, deliveries.size());
      assertEquals("dead", deliveries.get(0).getStatus().getValue());

      // One Idempotency-Key, two calls: the second is answered from the first, nothing sent twice.
      String key = "java-" + dead.getId();
      DeadLettersReplay202Response replay = hs.retries().call(key, k -> hs.deadLetters().deadLettersReplay(dead.getId(), k, null, null));
      assertTrue(replay.getCreated());
      DeadLettersReplay202Response again = hs.deadLetters().deadLettersReplay(dead.getId(), key, null, null);
      assertFalse(again.getCreated());
      assertEquals(replay.getReplayId(), again.getReplayId());

      Received redelivered = waitFor("the replayed delivery", () -> received.size() >= 4 ? received.get(3) : null);
      assertEquals(eventId, redelivered.webhookId());
      assertTrue(received.stream().allMatch(Received::verified), "every delivery verified: " + received);

      // An error is the API's own { code, message, details }.
      ApiException missing = assertThrows(ApiException.class, () -> hs.subscriptions().subscriptionsGet(UUID.randomUUID().toString(), null));
      assertEquals(404, missing.getCode());
      assertNotNull(missing.getResponseBody());
      assertEquals("not_found", hs.client(Hookstream.Service.SUBSCRIPTION_REGISTRY).getObjectMapper().readTree(missing.getResponseBody()).get("code").asText());
    } finally {
      receiver.stop(0);
    }
  }

  private static <T> T waitFor(String what, Supplier<T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) return value;
      Thread.sleep(500);
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
