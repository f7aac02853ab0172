package dev.hookstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hookstream.client.invoker.ApiException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetriesTest {
  private static HttpHeaders headers(Map<String, List<String>> headers) {
    return HttpHeaders.of(headers, (a, b) -> true);
  }

  private static ApiException answer(int status, Map<String, List<String>> headers) {
    return new ApiException(status, "status " + status, headers(headers), "{}");
  }

  @Test
  void sendsTheSameIdempotencyKeyOnEveryTryUntilOneSucceeds() throws ApiException {
    List<String> keys = new ArrayList<>();
    String result = new Retries(3, Duration.ofMillis(1)).call(key -> {
      keys.add(key);
      if (keys.size() < 3) throw answer(keys.size() == 1 ? 503 : 0, Map.of());
      return "done";
    });
    assertEquals("done", result);
    assertEquals(3, keys.size());
    assertEquals(1, keys.stream().distinct().count());
    assertTrue(keys.get(0).startsWith("hs-"));
  }

  @Test
  void stopsAtTheFirstFinalAnswerAndAfterMaxRetries() {
    int[] tries = {0};
    ApiException notFound = assertThrows(ApiException.class, () -> new Retries(5, Duration.ofMillis(1)).call("k", key -> {
      tries[0]++;
      throw answer(404, Map.of());
    }));
    assertEquals(404, notFound.getCode());
    assertEquals(1, tries[0]);

    tries[0] = 0;
    assertThrows(ApiException.class, () -> new Retries(2, Duration.ofMillis(1)).call("k", key -> {
      tries[0]++;
      throw answer(500, Map.of());
    }));
    assertEquals(3, tries[0]);
  }

  @Test
  void waitsAsRetryAfterSaysCappedAtAMinuteAndOtherwiseBacksOffWithJitter() {
    Retries r = new Retries(3, Duration.ofMillis(500));
    assertEquals(Duration.ofSeconds(2), r.delay(0, headers(Map.of("Retry-After", List.of("2")))));
    assertEquals(Duration.ofSeconds(60), r.delay(0, headers(Map.of("retry-after", List.of("3600")))));
    for (int i = 0; i < 50; i++) {
      long ms = r.delay(2, headers(Map.of())).toMillis();
      assertTrue(ms >= 1000 && ms <= 2000, "attempt 2 waits 1-2 s, not " + ms);
    }
    assertTrue(r.delay(40, headers(Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:28:00 GMT")))).toMillis() <= 60_000);
  }

  @Test
  void retriesNetworkFailures408429And5xxOnly() {
    for (int s : new int[] {0, 408, 429, 500, 502, 503, 504}) assertTrue(Retries.retryable(s), "retries " + s);
    for (int s : new int[] {400, 401, 403, 404, 409, 422}) assertTrue(!Retries.retryable(s), "does not retry " + s);
  }
}
