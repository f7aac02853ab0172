"""One object for the Hookstream API, each call sent to the service the API document names."""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Optional, TypeVar
from urllib.parse import urlsplit

from hookstream._generated.api.api_keys_api import APIKeysApi
from hookstream._generated.api.callbacks_api import CallbacksApi
from hookstream._generated.api.dead_letters_api import DeadLettersApi
from hookstream._generated.api.deliveries_api import DeliveriesApi
from hookstream._generated.api.endpoint_health_api import EndpointHealthApi
from hookstream._generated.api.endpoint_health_report_api import EndpointHealthReportApi
from hookstream._generated.api.event_history_api import EventHistoryApi
from hookstream._generated.api.event_types_api import EventTypesApi
from hookstream._generated.api.events_api import EventsApi
from hookstream._generated.api.integrations_api import IntegrationsApi
from hookstream._generated.api.quarantine_api import QuarantineApi
from hookstream._generated.api.quotas_api import QuotasApi
from hookstream._generated.api.replay_jobs_api import ReplayJobsApi
from hookstream._generated.api.subscription_feed_api import SubscriptionFeedApi
from hookstream._generated.api.subscriptions_api import SubscriptionsApi
from hookstream._generated.api.tenants_api import TenantsApi
from hookstream._generated.api_client import ApiClient
from hookstream._generated.configuration import Configuration
from hookstream.retries import with_retries

T = TypeVar("T")
_VARIABLE = re.compile(r"\{([A-Za-z]+)\}")
USER_AGENT = "hookstream-python/0.1.0"


def _base_url(name: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http(s) URL, not {url!r}")
    return url.rstrip("/")


class RoutingApiClient(ApiClient):
    """The generated client, sending each operation to its service.

    Each operation in the document names its service as a server variable (``{dlqInspector}``);
    the generated code passes that template through unresolved, so it is filled in here from the
    URLs this deployment gave.
    """

    def __init__(self, configuration: Configuration, service_urls: Dict[str, str]):
        super().__init__(configuration)
        self.service_urls = dict(service_urls)
        self.user_agent = USER_AGENT

    def resolve_host(self, host: str) -> str:
        def fill(match: "re.Match[str]") -> str:
            name = match.group(1)
            if name not in self.service_urls:
                raise ValueError(f"no URL was given for the service {name}")
            return self.service_urls[name]

        return _VARIABLE.sub(fill, host)

    def call_api(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("_host") is not None:
            kwargs["_host"] = self.resolve_host(kwargs["_host"])
        return super().call_api(*args, **kwargs)


class Hookstream:
    """The Hookstream API: ``hs.subscriptions.subscriptions_create(...)``, ``hs.dead_letters...``.

    ``api_key`` is a tenant key (``hsk_…``) or the admin key, sent as a bearer token. The three URLs
    are where this deployment's services answer.
    """

    def __init__(
        self,
        api_key: str,
        *,
        ingress_gateway: str,
        subscription_registry: str,
        dlq_inspector: str,
        max_retries: int = 3,
        retry_base_delay: float = 0.5,
    ):
        if not api_key:
            raise ValueError("api_key is required")
        configuration = Configuration(access_token=api_key)
        self.api_client = RoutingApiClient(
            configuration,
            {
                "ingressGateway": _base_url("ingress_gateway", ingress_gateway),
                "subscriptionRegistry": _base_url("subscription_registry", subscription_registry),
                "dlqInspector": _base_url("dlq_inspector", dlq_inspector),
            },
        )
        self._max_retries = max_retries
        self._retry_base_delay = retry_base_delay
        c = self.api_client
        # ingress-gateway
        self.events = EventsApi(c)
        self.callbacks = CallbacksApi(c)
        self.integrations = IntegrationsApi(c)
        # subscription-registry
        self.tenants = TenantsApi(c)
        self.api_keys = APIKeysApi(c)
        self.quotas = QuotasApi(c)
        self.subscriptions = SubscriptionsApi(c)
        self.event_types = EventTypesApi(c)
        self.endpoint_health = EndpointHealthApi(c)
        # dlq-inspector
        self.deliveries = DeliveriesApi(c)
        self.dead_letters = DeadLettersApi(c)
        self.replay_jobs = ReplayJobsApi(c)
        self.quarantine = QuarantineApi(c)
        self.event_history = EventHistoryApi(c)
        self.endpoint_health_report = EndpointHealthReportApi(c)
        self.subscription_feed = SubscriptionFeedApi(c)

    def with_retries(self, call: Callable[[str], T], idempotency_key: Optional[str] = None) -> T:
        """Retries ``call(key)`` on a network failure, 408, 429 or 5xx with one Idempotency-Key."""
        return with_retries(call, idempotency_key, self._max_retries, self._retry_base_delay)

    def close(self) -> None:
        self.api_client.close()

    def __enter__(self) -> "Hookstream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
