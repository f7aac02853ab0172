package dev.hookstream;

import dev.hookstream.client.invoker.ApiException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries a call that is safe to repeat: one that takes an Idempotency-Key (the same key is sent
 * on every try, so the services act once), or an event publish (its id is its idempotency key).
 * It retries a network failure, 408, 429 and 5xx, waiting as Retry-After says or backing off
 * exponentially with jitter; any other answer is final and thrown at once.
 */
public final class Retries {
  /** A call that sends the given Idempotency-Key. */
  @FunctionalInterface
  public interface IdempotentCall<T> {
    T call(String idempotencyKey) throws ApiException;
  }

  private static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private final int maxRetries;
  private final Duration baseDelay;

  public Retries(int maxRetries, Duration baseDelay) {
    if (maxRetries < 0) throw new IllegalArgumentException("maxRetries is 0 or more");
    this.maxRetries = maxRetries;
    this.baseDelay = baseDelay;
  }

  /** Runs the call with a fresh Idempotency-Key, the same one on every try. */
  public <T> T call(IdempotentCall<T> call) throws ApiException {
    return call("hs-" + UUID.randomUUID(), call);
  }

  /** Runs the call with the caller's Idempotency-Key (say, derived from their own request id). */
  public <T> T call(String idempotencyKey, IdempotentCall<T> call) throws ApiException {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.call(idempotencyKey);
      } catch (ApiException e) {
        if (attempt >= maxRetries || !retryable(e.getCode())) throw e;
        sleep(delay(attempt, e.getResponseHeaders()));
      }
    }
  }

  /** 0 is a network failure (no answer at all). */
  static boolean retryable(int status) {
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }

  Duration delay(int attempt, HttpHeaders headers) {
    Duration retryAfter = retryAfter(headers);
    if (retryAfter != null) return retryAfter.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : retryAfter;
    long ceiling = Math.min(MAX_WAIT.toMillis(), baseDelay.toMillis() << Math.min(attempt, 16));
    // Full jitter: many clients retrying after one outage do not come back in step.
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }

  private static Duration retryAfter(HttpHeaders headers) {
    if (headers == null) return null;
    String value = headers.firstValue("retry-after").orElse(null);
    if (value == null) return null;
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      return null; // an HTTP date: back off instead
    }
  }

  private static void sleep(Duration d) throws ApiException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted while waiting to retry");
    }
  }
}
