# flake8: noqa

# import apis into api package
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

