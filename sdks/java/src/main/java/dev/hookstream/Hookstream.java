package dev.hookstream;

import dev.hookstream.client.api.ApiKeysApi;
import dev.hookstream.client.api.CallbacksApi;
import dev.hookstream.client.api.DeadLettersApi;
import dev.hookstream.client.api.DeliveriesApi;
import dev.hookstream.client.api.EndpointHealthApi;
import dev.hookstream.client.api.EndpointHealthReportApi;
import dev.hookstream.client.api.EventHistoryApi;
import dev.hookstream.client.api.EventTypesApi;
import dev.hookstream.client.api.EventsApi;
import dev.hookstream.client.api.IntegrationsApi;
import dev.hookstream.client.api.QuarantineApi;
import dev.hookstream.client.api.QuotasApi;
import dev.hookstream.client.api.ReplayJobsApi;
import dev.hookstream.client.api.SubscriptionFeedApi;
import dev.hookstream.client.api.SubscriptionsApi;
import dev.hookstream.client.api.TenantsApi;
import dev.hookstream.client.invoker.ApiClient;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The Hookstream API: one object, each area of the API bound to the service that serves it (the
 * document's per-operation {@code servers}, which the generated client does not route by itself).
 * Every request carries the API key as a bearer token.
 *
 * <pre>{@code
 * Hookstream hs = Hookstream.builder()
 *     .apiKey(System.getenv("HOOKSTREAM_API_KEY"))
 *     .ingressGateway("https://hooks-in.example.com")
 *     .subscriptionRegistry("https://hooks.example.com")
 *     .dlqInspector("https://hooks-ops.example.com")
 *     .build();
 * hs.subscriptions().subscriptionsList(null, 50, null).getData();
 * }</pre>
 */
public final class Hookstream {
  /** The three services a client talks to; each names the area it serves in the API document. */
  public enum Service {
    INGRESS_GATEWAY("ingress-gateway"),
    SUBSCRIPTION_REGISTRY("subscription-registry"),
    DLQ_INSPECTOR("dlq-inspector");

    /** The name the API document gives the service in each operation's {@code servers}. */
    public final String documentName;

    Service(String documentName) {
      this.documentName = documentName;
    }
  }

  private final ApiClient gateway;
  private final ApiClient registry;
  private final ApiClient dlqInspector;
  private final Retries retries;

  private Hookstream(Builder b) {
    this.gateway = client(b, b.ingressGateway);
    this.registry = client(b, b.subscriptionRegistry);
    this.dlqInspector = client(b, b.dlqInspector);
    this.retries = new Retries(b.maxRetries, b.retryBaseDelay);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The generated client bound to one service, for an API class this object does not offer yet. */
  public ApiClient client(Service service) {
    return switch (service) {
      case INGRESS_GATEWAY -> gateway;
      case SUBSCRIPTION_REGISTRY -> registry;
      case DLQ_INSPECTOR -> dlqInspector;
    };
  }

  /** Retries with one Idempotency-Key across tries: {@code hs.retries().call(key -> ...)}. */
  public Retries retries() {
    return retries;
  }

  public EventsApi events() {
    return new EventsApi(gateway);
  }

  public CallbacksApi callbacks() {
    return new CallbacksApi(gateway);
  }

  public IntegrationsApi integrations() {
    return new IntegrationsApi(gateway);
  }

  public TenantsApi tenants() {
    return new TenantsApi(registry);
  }

  public ApiKeysApi apiKeys() {
    return new ApiKeysApi(registry);
  }

  public QuotasApi quotas() {
    return new QuotasApi(registry);
  }

  public SubscriptionsApi subscriptions() {
    return new SubscriptionsApi(registry);
  }

  public EventTypesApi eventTypes() {
    return new EventTypesApi(registry);
  }

  public EndpointHealthApi endpointHealth() {
    return new EndpointHealthApi(registry);
  }

  public DeliveriesApi deliveries() {
    return new DeliveriesApi(dlqInspector);
  }

  public DeadLettersApi deadLetters() {
    return new DeadLettersApi(dlqInspector);
  }

  public ReplayJobsApi replayJobs() {
    return new ReplayJobsApi(dlqInspector);
  }

  public QuarantineApi quarantine() {
    return new QuarantineApi(dlqInspector);
  }

  public EventHistoryApi eventHistory() {
    return new EventHistoryApi(dlqInspector);
  }

  public EndpointHealthReportApi endpointHealthReport() {
    return new EndpointHealthReportApi(dlqInspector);
  }

  /** A subscription's catch-up feed and recover. */
  public SubscriptionFeedApi subscriptionFeed() {
    return new SubscriptionFeedApi(dlqInspector);
  }

  private static ApiClient client(Builder b, String baseUrl) {
    Objects.requireNonNull(b.apiKey, "apiKey");
    Objects.requireNonNull(baseUrl, "each service's URL (ingressGateway, subscriptionRegistry, dlqInspector)");
    URI uri = URI.create(baseUrl.replaceAll("/+$", ""));
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("a service URL is http(s): " + baseUrl);
    }
    ApiClient client = new ApiClient();
    client.updateBaseUri(uri.toString());
    client.setConnectTimeout(b.connectTimeout);
    client.setReadTimeout(b.readTimeout);
    String authorization = "Bearer " + b.apiKey;
    String userAgent = "hookstream-java/0.1.0";
    client.setRequestInterceptor(req -> req.header("Authorization", authorization).header("User-Agent", userAgent));
    return client;
  }

  public static final class Builder {
    private String apiKey;
    private String ingressGateway;
    private String subscriptionRegistry;
    private String dlqInspector;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private int maxRetries = 3;
    private Duration retryBaseDelay = Duration.ofMillis(500);

    private Builder() {}

    /** A tenant key (hsk_…), or the admin key. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** Events and partner callbacks. */
    public Builder ingressGateway(String url) {
      this.ingressGateway = url;
      return this;
    }

    /** Tenants, keys, subscriptions, event types. */
    public Builder subscriptionRegistry(String url) {
      this.subscriptionRegistry = url;
      return this;
    }

    /** Deliveries, dead letters, replay, quarantine. */
    public Builder dlqInspector(String url) {
      this.dlqInspector = url;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder readTimeout(Duration d) {
      this.readTimeout = d;
      return this;
    }

    /** How often {@link Retries} tries again after the first try (default 3). */
    public Builder maxRetries(int n) {
      this.maxRetries = n;
      return this;
    }

    public Builder retryBaseDelay(Duration d) {
      this.retryBaseDelay = d;
      return this;
    }

    public Hookstream build() {
      return new Hookstream(this);
    }
  }
}
