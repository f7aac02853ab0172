// Generated from docs/openapi.json by `npm run client` (openapi-typescript): do not edit.
export interface paths {
    "/v1/api-keys/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling key: its tenant and scopes (any valid key may ask) */
        get: operations["apiKeysCurrent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List dead letters, newest first, by subscription, event type, time of death, last status code, error class */
        get: operations["deadLettersList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dead-letters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a dead letter with its payload, its attempt history and its replays */
        get: operations["deadLettersGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dead-letters/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replay a dead letter (Idempotency-Key: the same key never sends twice; a death already replayed needs force=true) */
        post: operations["deadLettersReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deliveries, newest first, by subscription, event type, status, last HTTP status code (503 or 5xx) and creation time */
        get: operations["deliveriesList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a delivery with every attempt (request headers as sent, redacted; status; truncated answer; duration; error class) and its retries */
        get: operations["deliveriesGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again now, whatever its state, keeping its webhook-id (audited with who, when and the reason given; Idempotency-Key: the same key never sends twice) */
        post: operations["deliveriesRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live attempt outcomes (Server-Sent Events, event "delivery-status"; a comment every 15 s keeps the connection open), optionally of one subscription */
        get: operations["deliveriesWatch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoint-health/{subscriptionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Success rate, attempts and p50/p95 latency over the last hour and day (totals, and a series per minute and per hour), last success, last failure and why, breaker state, pending retries and dead letters of a subscription */
        get: operations["endpointHealthReportGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List event types (filters: prefix, deprecated) */
        get: operations["eventTypesList"];
        put?: never;
        /** Add an event type to the catalog */
        post: operations["eventTypesCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an event type */
        get: operations["eventTypesGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update an event type */
        patch: operations["eventTypesUpdate"];
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List accepted events, newest received first, by type and time received */
        get: operations["eventHistoryList"];
        put?: never;
        /** Publish an event (202 accepted; 200 for a duplicate id) */
        post: operations["eventsPublish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The deliveries one event caused, one per subscription it matched */
        get: operations["eventHistoryForEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish a batch of events, a result per event */
        post: operations["eventsPublishBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/incoming/{provider}/{integrationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Receive a partner callback (stripe, github, payfast, standard-webhooks, hmac): verified, then published as <provider>.<type> */
        post: operations["callbacksReceive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List integrations (filters: provider, status) */
        get: operations["integrationsList"];
        put?: never;
        /** Register a partner integration (secrets are sealed and never shown again) */
        post: operations["integrationsCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an integration (without its secrets) */
        get: operations["integrationsGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update an integration: name, settings, secrets (with an optional overlap), or disable it */
        patch: operations["integrationsUpdate"];
        trace?: never;
    };
    "/v1/integrations/{id}/callbacks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The callbacks an integration received, newest first (the audit trail) */
        get: operations["integrationsCallbacks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/quarantine": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List quarantined messages, newest first, by source topic, tenant, reason code, status and time */
        get: operations["quarantineList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/quarantine/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a quarantined message: its reason, its original key, value and headers */
        get: operations["quarantineGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/quarantine/{id}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-drive a quarantined message: its original bytes and headers go back to its source topic, once */
        post: operations["quarantineRedrive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/replay-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List replay jobs, newest first */
        get: operations["replayJobsList"];
        put?: never;
        /** Replay every dead letter matching a filter, as a job at a bounded rate (Idempotency-Key: the same key never starts a second job) */
        post: operations["replayJobsCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/replay-jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A replay job and its progress */
        get: operations["replayJobsGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/replay-jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a replay job: nothing more is sent once this answers */
        post: operations["replayJobsCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/replay-jobs/{id}/replays": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A replay job’s audit: each dead letter it set out to replay and what came of it */
        get: operations["replayJobsReplays"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/replay-jobs/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Recover a subscription: re-send its dead letters that died since a time, as a job at a bounded rate */
        post: operations["replayJobsRecover"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List subscriptions */
        get: operations["subscriptionsList"];
        put?: never;
        /** Create a subscription (endpoint) */
        post: operations["subscriptionsCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a subscription */
        get: operations["subscriptionsGet"];
        put?: never;
        post?: never;
        /** Delete a subscription */
        delete: operations["subscriptionsRemove"];
        options?: never;
        head?: never;
        /** Update a subscription (filters, headers, limits, enable/disable, …) */
        patch: operations["subscriptionsUpdate"];
        trace?: never;
    };
    "/v1/subscriptions/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The catch-up feed: every event that matched the subscription, in the order matched, delivered or not, after a cursor (poll it to pull, or read it to reconcile after an outage) */
        get: operations["subscriptionFeedEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How a subscription's endpoint is doing: failing since when, and when it would be disabled */
        get: operations["endpointHealthGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Recover the subscription: re-send what was not delivered since a time (its dead letters, including the events that matched while it was disabled), as a replay job at a bounded rate */
        post: operations["subscriptionFeedRecover"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reveal the active signing secrets (ed25519: public keys only) */
        get: operations["subscriptionsRevealSecret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}/secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the signing secret with an overlap window */
        post: operations["subscriptionsRotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a signed sample event now and report the answer */
        post: operations["subscriptionsTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/match": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Which subscriptions would receive an event, and why the others would not */
        post: operations["subscriptionsMatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a tenant (admin) */
        post: operations["tenantsCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenantId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a tenant */
        get: operations["tenantsGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update a tenant: name, intake limits at the gateway (null = the gateway default), and `enabled`, which pauses all its deliveries (admin) */
        patch: operations["tenantsUpdate"];
        trace?: never;
    };
    "/v1/tenants/{tenantId}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (no secrets), with last-used time */
        get: operations["apiKeysList"];
        put?: never;
        /** Create an API key (shown once) */
        post: operations["apiKeysCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenantId}/api-keys/{keyId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an API key */
        post: operations["apiKeysRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenantId}/catalog-mode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Switch the catalog between open and strict */
        put: operations["eventTypesSetMode"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{tenantId}/limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A tenant’s quotas: each limit, its default, the override and current usage */
        get: operations["quotasGet"];
        /** Set a tenant’s quota overrides, replacing its previous ones (left out or null: the default; admin) */
        put: operations["quotasPut"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            code: string;
            details: unknown;
            message: string;
        };
    };
    responses: {
        /** @description bad_request: the body is not JSON, or not of the declared media type */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description forbidden: the key lacks the scope this route needs, or reaches outside its tenant */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description not_found: no such resource in the caller’s tenant */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description rate_limited or quota_rate_limited: over a rate limit or a rate quota; retry after Retry-After seconds (details.retry_after_seconds says the same) */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description unauthorized: no API key, or an unknown, revoked or expired one */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description validation_failed (or a more specific code): the input fails its schema; details name each field by its path */
        ValidationFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
        Cursor: string;
        /** @description A key of the caller’s choosing (1-255 printable ASCII characters, no spaces): a second request with the same key acts nowhere and answers what the first did */
        IdempotencyKey: string;
    };
    requestBodies: never;
    headers: {
        /** @description Seconds to wait before trying again */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    apiKeysCurrent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The key’s id (admin:bootstrap for ADMIN_API_KEY); never the key itself */
                        key_id: string;
                        /**
                         * @description admin: an operator key, which acts for any tenant
                         * @enum {string}
                         */
                        kind: "tenant" | "admin";
                        /** @description What the key may do; every scope for an admin key */
                        scopes: string[];
                        /** @description The tenant a tenant key acts for; null for an admin key */
                        tenant_id: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deadLettersList: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                error_class?: "http_status" | "gone" | "timeout" | "connection" | "dns" | "tls" | "certificate" | "auth_token" | "ssrf_refused" | "invalid_url" | "egress_proxy" | "breaker_open" | "throttled" | "tenant_disabled" | "subscription_missing" | "subscription_disabled" | "unknown";
                event_type?: string;
                limit?: number;
                replayed?: "true" | "false";
                since?: string;
                status_code?: string;
                subscription_id?: string;
                tenant_id?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            attempts: number;
                            dead_at: string;
                            /** @description The delivery now (dispatcher): delivered, failing, dead or pending */
                            delivery_status: string | null;
                            error_class: string;
                            /** @description Also the webhook-id receivers saw, and will see again on replay */
                            event_id: string;
                            event_type: string;
                            /** @description The attempt series it died in: 0 for the original, higher after replays */
                            generation: number;
                            /** @description The delivery id */
                            id: string;
                            last_status_code: number | null;
                            reason: string;
                            replay_count: number;
                            /** @description Whether its latest death has been replayed */
                            replayed: boolean;
                            replayed_at: string | null;
                            subscription_id: string;
                            tenant_id: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deadLettersGet: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The latest 100 attempts, oldest first, across every generation */
                        attempt_history: {
                            attempt: number;
                            duration_ms: number | null;
                            error_class: string | null;
                            error_message: string | null;
                            origin: string;
                            outcome: string;
                            request_url: string;
                            /** @description The first 4 KiB of the answer */
                            response_body: string | null;
                            started_at: string;
                            status_code: number | null;
                        }[];
                        attempts: number;
                        dead_at: string;
                        /** @description The delivery now (dispatcher): delivered, failing, dead or pending */
                        delivery_status: string | null;
                        error_class: string;
                        /** @description Also the webhook-id receivers saw, and will see again on replay */
                        event_id: string;
                        event_type: string;
                        first_attempt_at: string;
                        /** @description The attempt series it died in: 0 for the original, higher after replays */
                        generation: number;
                        headers_note: string;
                        /** @description The delivery id */
                        id: string;
                        last_status_code: number | null;
                        payload: unknown;
                        reason: string;
                        replay_count: number;
                        /** @description Whether its latest death has been replayed */
                        replayed: boolean;
                        replayed_at: string | null;
                        /** @description Newest first */
                        replays: {
                            detail: string | null;
                            generation: number | null;
                            /** @description The replay job it was part of; null for a single replay */
                            job_id: string | null;
                            replay_id: string;
                            requested_at: string;
                            /** @description The API key id that asked for it */
                            requested_by: string;
                            sent_at: string | null;
                            /** @description pending (its job has yet to reach it), sent, skipped (why: detail) or failed */
                            status: string;
                        }[];
                        subscription_id: string;
                        tenant_id: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deadLettersReplay: {
        parameters: {
            query?: {
                force?: "true" | "false";
                tenant_id?: string;
            };
            header?: {
                /** @description A key of the caller’s choosing (1-255 printable ASCII characters, no spaces): a second request with the same key acts nowhere and answers what the first did */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "replay_id": "b3e0c6f4-1d2a-4c7e-9f10-5a6b7c8d9e0f",
                     *       "job_id": null,
                     *       "delivery_id": "3b6a5cd5-3750-5c3c-a02a-0fbc129a759f",
                     *       "status": "sent",
                     *       "requested_at": "2026-11-22T12:33:12.182Z",
                     *       "requested_by": "uv8jrjm66ag972ml",
                     *       "generation": 1,
                     *       "sent_at": "2026-11-22T12:33:12.190Z",
                     *       "detail": null,
                     *       "created": true
                     *     }
                     */
                    "application/json": {
                        /** @description False when the Idempotency-Key repeated an earlier request: nothing was sent again */
                        created: boolean;
                        delivery_id: string;
                        detail: string | null;
                        generation: number | null;
                        /** @description The replay job it was part of; null for a single replay */
                        job_id: string | null;
                        replay_id: string;
                        requested_at: string;
                        /** @description The API key id that asked for it */
                        requested_by: string;
                        sent_at: string | null;
                        /** @description pending (its job has yet to reach it), sent, skipped (why: detail) or failed */
                        status: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deliveriesList: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                event_type?: string;
                limit?: number;
                since?: string;
                status?: "pending" | "delivered" | "failing" | "dead";
                status_code?: string;
                subscription_id?: string;
                tenant_id?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** @description Attempts made in the current generation */
                            attempts: number;
                            created_at: string;
                            /** @description When it was recorded delivered; null unless status is delivered */
                            delivered_at: string | null;
                            /** @description Also the webhook-id the receiver saw */
                            event_id: string;
                            event_type: string;
                            /** @description 0 for the original attempt series, +1 per replay or manual retry */
                            generation: number;
                            id: string;
                            last_error: string | null;
                            last_status_code: number | null;
                            /** @description When the retry-scheduler sends its next attempt; null when none is scheduled */
                            next_retry_at: string | null;
                            /** @enum {string} */
                            status: "pending" | "delivered" | "failing" | "dead";
                            subscription_id: string;
                            tenant_id: string;
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deliveriesGet: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The latest 100 attempts, oldest first, across every generation */
                        attempt_history: {
                            attempt: number;
                            duration_ms: number | null;
                            error_class: string | null;
                            error_message: string | null;
                            origin: string;
                            outcome: string;
                            /** @description As sent, with signatures and secrets redacted; null for a postponement or an attempt recorded before headers were kept */
                            request_headers: {
                                [key: string]: string;
                            } | null;
                            request_url: string;
                            /** @description The first 4 KiB of the answer */
                            response_body: string | null;
                            started_at: string;
                            status_code: number | null;
                        }[];
                        /** @description Attempts made in the current generation */
                        attempts: number;
                        created_at: string;
                        /** @description When it was recorded delivered; null unless status is delivered */
                        delivered_at: string | null;
                        /** @description Also the webhook-id the receiver saw */
                        event_id: string;
                        event_type: string;
                        /** @description 0 for the original attempt series, +1 per replay or manual retry */
                        generation: number;
                        id: string;
                        last_error: string | null;
                        last_status_code: number | null;
                        /** @description When the retry-scheduler sends its next attempt; null when none is scheduled */
                        next_retry_at: string | null;
                        /** @description Manual retries and dead-letter replays, newest first */
                        retries: {
                            detail: string | null;
                            generation: number | null;
                            /** @enum {string} */
                            kind: "replay" | "retry";
                            reason: string | null;
                            requested_at: string;
                            requested_by: string;
                            retry_id: string;
                            sent_at: string | null;
                            status: string;
                        }[];
                        /** @enum {string} */
                        status: "pending" | "delivered" | "failing" | "dead";
                        subscription_id: string;
                        tenant_id: string;
                        updated_at: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deliveriesRetry: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description False when the Idempotency-Key repeated an earlier request: nothing was sent again */
                        created: boolean;
                        delivery_id: string;
                        detail: string | null;
                        generation: number | null;
                        /** @enum {string} */
                        kind: "replay" | "retry";
                        reason: string | null;
                        requested_at: string;
                        requested_by: string;
                        retry_id: string;
                        sent_at: string | null;
                        status: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deliveriesWatch: {
        parameters: {
            query?: {
                subscription_id?: string;
                tenant_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    endpointHealthReportGet: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                subscriptionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        as_of: string;
                        breaker: {
                            last_opened_at: string | null;
                            /**
                             * @description As the dispatcher last recorded it: open while its latest news is a postponement by the host breaker
                             * @enum {string}
                             */
                            state: "open" | "closed" | "unknown";
                        };
                        /** @description Dead letters not replayed since they died */
                        dead_letters: number;
                        last_day: {
                            attempts: number;
                            failures: number;
                            /** @description From a fixed-bucket histogram: within one bucket width of the true value */
                            p50_ms: number | null;
                            p95_ms: number | null;
                            success_rate: number | null;
                            successes: number;
                        };
                        last_failure: {
                            at: string;
                            error_class: string | null;
                            reason: string | null;
                            status_code: number | null;
                        } | null;
                        last_hour: {
                            attempts: number;
                            failures: number;
                            /** @description From a fixed-bucket histogram: within one bucket width of the true value */
                            p50_ms: number | null;
                            p95_ms: number | null;
                            success_rate: number | null;
                            successes: number;
                        };
                        last_success_at: string | null;
                        pending_retries: number;
                        /** @description The same statistics over time, for charts */
                        series: {
                            /** @description The last day, a point per hour, oldest first */
                            hours: {
                                attempts: number;
                                failures: number;
                                /** @description From a fixed-bucket histogram: within one bucket width of the true value */
                                p50_ms: number | null;
                                p95_ms: number | null;
                                /** @description Where the minute or hour begins */
                                start: string;
                                success_rate: number | null;
                                successes: number;
                            }[];
                            /** @description The last hour, a point per minute, oldest first; a quiet minute has 0 attempts */
                            minutes: {
                                attempts: number;
                                failures: number;
                                /** @description From a fixed-bucket histogram: within one bucket width of the true value */
                                p50_ms: number | null;
                                p95_ms: number | null;
                                /** @description Where the minute or hour begins */
                                start: string;
                                success_rate: number | null;
                                successes: number;
                            }[];
                        };
                        subscription_id: string;
                        tenant_id: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eventTypesList: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                deprecated?: "true" | "false";
                limit?: number;
                prefix?: string;
                tenant_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            created_at: string;
                            deprecated: boolean;
                            description: string | null;
                            name: string;
                            schema: {
                                [key: string]: unknown;
                            } | null;
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eventTypesCreate: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    deprecated?: boolean;
                    description?: string | null;
                    name: string;
                    schema?: {
                        [key: string]: unknown;
                    } | null;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        deprecated: boolean;
                        description: string | null;
                        name: string;
                        schema: {
                            [key: string]: unknown;
                        } | null;
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eventTypesGet: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        deprecated: boolean;
                        description: string | null;
                        name: string;
                        schema: {
                            [key: string]: unknown;
                        } | null;
                        updated_at: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eventTypesUpdate: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    deprecated?: boolean;
                    description?: string | null;
                    schema?: {
                        [key: string]: unknown;
                    } | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        deprecated: boolean;
                        description: string | null;
                        name: string;
                        schema: {
                            [key: string]: unknown;
                        } | null;
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eventHistoryList: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                limit?: number;
                since?: string;
                tenant_id?: string;
                type?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            data: unknown;
                            id: string;
                            occurred_at: string;
                            received_at: string;
                            source: string;
                            tenant_id: string;
                            type: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eventsPublish: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        [key: string]: unknown;
                    };
                    id?: string;
                    /** Format: date-time */
                    occurred_at: string;
                    ordering_key?: string;
                    tenant_id?: string;
                    type: string;
                };
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "evt_01J",
                     *       "status": "accepted"
                     *     }
                     */
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        status: "accepted" | "duplicate";
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eventHistoryForEvent: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                limit?: number;
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** @description Attempts made in the current generation */
                            attempts: number;
                            created_at: string;
                            /** @description When it was recorded delivered; null unless status is delivered */
                            delivered_at: string | null;
                            /** @description Also the webhook-id the receiver saw */
                            event_id: string;
                            event_type: string;
                            /** @description 0 for the original attempt series, +1 per replay or manual retry */
                            generation: number;
                            id: string;
                            last_error: string | null;
                            last_status_code: number | null;
                            /** @description When the retry-scheduler sends its next attempt; null when none is scheduled */
                            next_retry_at: string | null;
                            /** @enum {string} */
                            status: "pending" | "delivered" | "failing" | "dead";
                            subscription_id: string;
                            tenant_id: string;
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eventsPublishBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    events: {
                        data: {
                            [key: string]: unknown;
                        };
                        id?: string;
                        /** Format: date-time */
                        occurred_at: string;
                        ordering_key?: string;
                        tenant_id?: string;
                        type: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            error?: {
                                code: string;
                                details: unknown;
                                message: string;
                            };
                            id: string | null;
                            index: number;
                            /** @enum {string} */
                            status: "accepted" | "duplicate" | "rejected";
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    callbacksReceive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                integrationId: string;
                provider: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
                "application/x-www-form-urlencoded": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "accepted",
                     *       "event_id": "int_k3x7q2m4n5p6r7s2t3u4v5w6:evt_1NG8Du2eZvKYlo2C",
                     *       "event_type": "stripe.payment_intent.succeeded"
                     *     }
                     */
                    "application/json": {
                        event_id: string;
                        event_type: string;
                        /** @enum {string} */
                        status: "accepted" | "duplicate";
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    integrationsList: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                limit?: number;
                provider?: "stripe" | "github" | "payfast" | "standard-webhooks" | "hmac";
                status?: "active" | "disabled";
                tenant_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            callback_path: string;
                            created_at: string;
                            id: string;
                            name: string | null;
                            previous_secrets_valid_until: string | null;
                            /** @enum {string} */
                            provider: "stripe" | "github" | "payfast" | "standard-webhooks" | "hmac";
                            secret_fields: string[];
                            settings: {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "active" | "disabled";
                            tenant_id: string;
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    integrationsCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string | null;
                    /** @constant */
                    provider: "stripe";
                    secrets: {
                        signing_secret: string;
                    };
                    settings?: {
                        /** @default 300 */
                        tolerance_seconds?: number;
                    };
                    tenant_id?: string;
                } | {
                    name?: string | null;
                    /** @constant */
                    provider: "github";
                    secrets: {
                        secret: string;
                    };
                    settings?: Record<string, never>;
                    tenant_id?: string;
                } | {
                    name?: string | null;
                    /** @constant */
                    provider: "payfast";
                    secrets: {
                        passphrase: string;
                    };
                    settings?: {
                        /** @default [] */
                        allowed_source_ips?: string[];
                    };
                    tenant_id?: string;
                } | {
                    name?: string | null;
                    /** @constant */
                    provider: "standard-webhooks";
                    secrets: {
                        secret: string;
                    };
                    settings?: {
                        /** @default 300 */
                        tolerance_seconds?: number;
                    };
                    tenant_id?: string;
                } | {
                    name?: string | null;
                    /** @constant */
                    provider: "hmac";
                    secrets: {
                        secret: string;
                    };
                    settings?: {
                        /**
                         * @default sha256
                         * @enum {string}
                         */
                        algorithm?: "sha1" | "sha256" | "sha512";
                        /**
                         * @default hex
                         * @enum {string}
                         */
                        encoding?: "hex" | "base64";
                        event_id_header?: string;
                        event_id_path?: string;
                        event_type_header?: string;
                        event_type_path?: string;
                        header: string;
                        /** @default  */
                        prefix?: string;
                        /** @default false */
                        trust_unsigned_headers?: boolean;
                    };
                    tenant_id?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "int_k3x7q2m4n5p6r7s2t3u4v5w6",
                     *       "tenant_id": "acme",
                     *       "provider": "stripe",
                     *       "name": "Stripe live account",
                     *       "status": "active",
                     *       "settings": {
                     *         "tolerance_seconds": 300
                     *       },
                     *       "secret_fields": [
                     *         "signing_secret"
                     *       ],
                     *       "previous_secrets_valid_until": null,
                     *       "callback_path": "/v1/incoming/stripe/int_k3x7q2m4n5p6r7s2t3u4v5w6",
                     *       "created_at": "2026-11-22T10:00:00.000Z",
                     *       "updated_at": "2026-11-22T10:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        callback_path: string;
                        created_at: string;
                        id: string;
                        name: string | null;
                        previous_secrets_valid_until: string | null;
                        /** @enum {string} */
                        provider: "stripe" | "github" | "payfast" | "standard-webhooks" | "hmac";
                        secret_fields: string[];
                        settings: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        status: "active" | "disabled";
                        tenant_id: string;
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    integrationsGet: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "int_k3x7q2m4n5p6r7s2t3u4v5w6",
                     *       "tenant_id": "acme",
                     *       "provider": "stripe",
                     *       "name": "Stripe live account",
                     *       "status": "active",
                     *       "settings": {
                     *         "tolerance_seconds": 300
                     *       },
                     *       "secret_fields": [
                     *         "signing_secret"
                     *       ],
                     *       "previous_secrets_valid_until": null,
                     *       "callback_path": "/v1/incoming/stripe/int_k3x7q2m4n5p6r7s2t3u4v5w6",
                     *       "created_at": "2026-11-22T10:00:00.000Z",
                     *       "updated_at": "2026-11-22T10:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        callback_path: string;
                        created_at: string;
                        id: string;
                        name: string | null;
                        previous_secrets_valid_until: string | null;
                        /** @enum {string} */
                        provider: "stripe" | "github" | "payfast" | "standard-webhooks" | "hmac";
                        secret_fields: string[];
                        settings: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        status: "active" | "disabled";
                        tenant_id: string;
                        updated_at: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    integrationsUpdate: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string | null;
                    secret_overlap_seconds?: number;
                    secrets?: {
                        [key: string]: string;
                    };
                    settings?: {
                        [key: string]: unknown;
                    };
                    /** @enum {string} */
                    status?: "active" | "disabled";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        callback_path: string;
                        created_at: string;
                        id: string;
                        name: string | null;
                        previous_secrets_valid_until: string | null;
                        /** @enum {string} */
                        provider: "stripe" | "github" | "payfast" | "standard-webhooks" | "hmac";
                        secret_fields: string[];
                        settings: {
                            [key: string]: unknown;
                        };
                        /** @enum {string} */
                        status: "active" | "disabled";
                        tenant_id: string;
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    integrationsCallbacks: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                limit?: number;
                status?: "pending" | "succeeded" | "failed";
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            content_type: string | null;
                            event_id: string | null;
                            event_type: string | null;
                            failure_reason: string | null;
                            id: string;
                            integration_id: string;
                            last_received_at: string;
                            payload: unknown;
                            processed_at: string | null;
                            provider: string;
                            provider_event_id: string | null;
                            received_at: string;
                            retry_count: number;
                            signature: string | null;
                            source_ip: string | null;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed";
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quarantineList: {
        parameters: {
            query?: {
                code?: string;
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                limit?: number;
                since?: string;
                status?: "quarantined" | "redriven";
                tenant_id?: string;
                topic?: "hookstream.ingest" | "hookstream.events" | "hookstream.subscriptions" | "hookstream.deliveries" | "hookstream.retries" | "hookstream.dlq" | "hookstream.delivery-status";
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** @description Why: validation_failed, malformed_json, pg_<sqlstate>, payload_too_large, … */
                            code: string;
                            consumer_group: string;
                            id: string;
                            quarantined_at: string;
                            reason: string;
                            redrive_count: number;
                            redriven_at: string | null;
                            redriven_by: string | null;
                            source: {
                                offset: string;
                                partition: number;
                                /** @description The topic it was consumed from, without the prefix */
                                topic: string;
                            };
                            /** @enum {string} */
                            status: "quarantined" | "redriven";
                            /** @description The tenant the message names; null when it names none (admin only) */
                            tenant_id: string | null;
                            value_bytes: number;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quarantineGet: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Why: validation_failed, malformed_json, pg_<sqlstate>, payload_too_large, … */
                        code: string;
                        consumer_group: string;
                        /** @description The refusal: field errors, or the error the handler met */
                        details: unknown;
                        /** @description The original headers, as consumed */
                        headers: {
                            name: {
                                data: string;
                                /** @enum {string} */
                                encoding: "utf8" | "base64";
                            } | null;
                            value: {
                                data: string;
                                /** @enum {string} */
                                encoding: "utf8" | "base64";
                            } | null;
                        }[];
                        id: string;
                        key: {
                            data: string;
                            /** @enum {string} */
                            encoding: "utf8" | "base64";
                        } | null;
                        quarantined_at: string;
                        reason: string;
                        redrive_count: number;
                        redriven_at: string | null;
                        redriven_by: string | null;
                        source: {
                            offset: string;
                            partition: number;
                            /** @description The topic it was consumed from, without the prefix */
                            topic: string;
                        };
                        source_timestamp: string | null;
                        /** @enum {string} */
                        status: "quarantined" | "redriven";
                        /** @description The tenant the message names; null when it names none (admin only) */
                        tenant_id: string | null;
                        value: {
                            data: string;
                            /** @enum {string} */
                            encoding: "utf8" | "base64";
                        } | null;
                        value_bytes: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quarantineRedrive: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Why: validation_failed, malformed_json, pg_<sqlstate>, payload_too_large, … */
                        code: string;
                        consumer_group: string;
                        /** @description false: it had been re-driven already, and nothing was sent now */
                        created: boolean;
                        id: string;
                        quarantined_at: string;
                        reason: string;
                        redrive_count: number;
                        redriven_at: string | null;
                        redriven_by: string | null;
                        source: {
                            offset: string;
                            partition: number;
                            /** @description The topic it was consumed from, without the prefix */
                            topic: string;
                        };
                        /** @enum {string} */
                        status: "quarantined" | "redriven";
                        /** @description The tenant the message names; null when it names none (admin only) */
                        tenant_id: string | null;
                        value_bytes: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayJobsList: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                limit?: number;
                status?: "queued" | "running" | "completed" | "cancelled";
                tenant_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            cancelled_by: string | null;
                            created_at: string;
                            filter: {
                                [key: string]: unknown;
                            };
                            finished_at: string | null;
                            id: string;
                            idempotency_key: string | null;
                            /** @enum {string} */
                            kind: "bulk" | "recover";
                            last_error: string | null;
                            pending: number;
                            /** @description (sent + skipped) / total, from 0 to 1 */
                            progress: number;
                            rate_per_second: number;
                            requested_by: string;
                            sent: number;
                            /** @description Replayed by someone else meanwhile, or held because the subscription is disabled or gone */
                            skipped: number;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "completed" | "cancelled";
                            /** @description null: an operator’s job across every tenant */
                            tenant_id: string | null;
                            /** @description Dead letters the job set out to replay: those matching and not replayed since they died, when it was created */
                            total: number;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayJobsCreate: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key of the caller’s choosing (1-255 printable ASCII characters, no spaces): a second request with the same key acts nowhere and answers what the first did */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    dry_run?: boolean;
                    filter?: {
                        /** @description Only these dead letters (their delivery ids), a selection */
                        delivery_ids?: string[];
                        /** @enum {string} */
                        error_class?: "http_status" | "gone" | "timeout" | "connection" | "dns" | "tls" | "certificate" | "auth_token" | "ssrf_refused" | "invalid_url" | "egress_proxy" | "breaker_open" | "throttled" | "tenant_disabled" | "subscription_missing" | "subscription_disabled" | "unknown";
                        event_type?: string;
                        /** Format: date-time */
                        since?: string;
                        status_code?: number | string;
                        /** Format: uuid */
                        subscription_id?: string;
                        /** Format: date-time */
                        until?: string;
                    };
                    /** @description Replays per second at the receivers, at most; default REPLAY_DEFAULT_RATE_PER_SECOND (10) */
                    rate_per_second?: number;
                    tenant_id?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0b8f3c52-6a1e-4f7d-9c3b-2e5d8a1f4c67",
                     *       "tenant_id": "acme",
                     *       "kind": "bulk",
                     *       "filter": {
                     *         "error_class": "timeout",
                     *         "since": "2026-11-22T02:00:00.000Z"
                     *       },
                     *       "rate_per_second": 10,
                     *       "status": "running",
                     *       "total": 1840,
                     *       "sent": 410,
                     *       "skipped": 2,
                     *       "pending": 1428,
                     *       "progress": 0.2239,
                     *       "requested_by": "uv8jrjm66ag972ml",
                     *       "idempotency_key": "recover-erp-2026-11-22",
                     *       "created_at": "2026-11-22T09:12:00.000Z",
                     *       "started_at": "2026-11-22T09:12:00.120Z",
                     *       "finished_at": null,
                     *       "cancelled_by": null,
                     *       "last_error": null,
                     *       "created": true
                     *     }
                     */
                    "application/json": {
                        cancelled_by: string | null;
                        /** @description False when the Idempotency-Key named an existing job: nothing new was started */
                        created: boolean;
                        created_at: string;
                        filter: {
                            [key: string]: unknown;
                        };
                        finished_at: string | null;
                        id: string;
                        idempotency_key: string | null;
                        /** @enum {string} */
                        kind: "bulk" | "recover";
                        last_error: string | null;
                        pending: number;
                        /** @description (sent + skipped) / total, from 0 to 1 */
                        progress: number;
                        rate_per_second: number;
                        requested_by: string;
                        sent: number;
                        /** @description Replayed by someone else meanwhile, or held because the subscription is disabled or gone */
                        skipped: number;
                        started_at: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "completed" | "cancelled";
                        /** @description null: an operator’s job across every tenant */
                        tenant_id: string | null;
                        /** @description Dead letters the job set out to replay: those matching and not replayed since they died, when it was created */
                        total: number;
                    } | {
                        /** @constant */
                        dry_run: true;
                        estimated_seconds: number;
                        matched: number;
                        rate_per_second: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayJobsGet: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0b8f3c52-6a1e-4f7d-9c3b-2e5d8a1f4c67",
                     *       "tenant_id": "acme",
                     *       "kind": "recover",
                     *       "filter": {
                     *         "subscription_id": "6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10",
                     *         "since": "2026-11-22T02:00:00.000Z"
                     *       },
                     *       "rate_per_second": 10,
                     *       "status": "running",
                     *       "total": 1840,
                     *       "sent": 410,
                     *       "skipped": 2,
                     *       "pending": 1428,
                     *       "progress": 0.2239,
                     *       "requested_by": "uv8jrjm66ag972ml",
                     *       "idempotency_key": "recover-erp-2026-11-22",
                     *       "created_at": "2026-11-22T09:12:00.000Z",
                     *       "started_at": "2026-11-22T09:12:00.120Z",
                     *       "finished_at": null,
                     *       "cancelled_by": null,
                     *       "last_error": null
                     *     }
                     */
                    "application/json": {
                        cancelled_by: string | null;
                        created_at: string;
                        filter: {
                            [key: string]: unknown;
                        };
                        finished_at: string | null;
                        id: string;
                        idempotency_key: string | null;
                        /** @enum {string} */
                        kind: "bulk" | "recover";
                        last_error: string | null;
                        pending: number;
                        /** @description (sent + skipped) / total, from 0 to 1 */
                        progress: number;
                        rate_per_second: number;
                        requested_by: string;
                        sent: number;
                        /** @description Replayed by someone else meanwhile, or held because the subscription is disabled or gone */
                        skipped: number;
                        started_at: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "completed" | "cancelled";
                        /** @description null: an operator’s job across every tenant */
                        tenant_id: string | null;
                        /** @description Dead letters the job set out to replay: those matching and not replayed since they died, when it was created */
                        total: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayJobsCancel: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelled_by: string | null;
                        created_at: string;
                        filter: {
                            [key: string]: unknown;
                        };
                        finished_at: string | null;
                        id: string;
                        idempotency_key: string | null;
                        /** @enum {string} */
                        kind: "bulk" | "recover";
                        last_error: string | null;
                        pending: number;
                        /** @description (sent + skipped) / total, from 0 to 1 */
                        progress: number;
                        rate_per_second: number;
                        requested_by: string;
                        sent: number;
                        /** @description Replayed by someone else meanwhile, or held because the subscription is disabled or gone */
                        skipped: number;
                        started_at: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "completed" | "cancelled";
                        /** @description null: an operator’s job across every tenant */
                        tenant_id: string | null;
                        /** @description Dead letters the job set out to replay: those matching and not replayed since they died, when it was created */
                        total: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayJobsReplays: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                limit?: number;
                status?: "pending" | "sent" | "skipped";
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            delivery_id: string;
                            detail: string | null;
                            generation: number | null;
                            /** @description The replay job it was part of; null for a single replay */
                            job_id: string | null;
                            replay_id: string;
                            requested_at: string;
                            /** @description The API key id that asked for it */
                            requested_by: string;
                            sent_at: string | null;
                            /** @description pending (its job has yet to reach it), sent, skipped (why: detail) or failed */
                            status: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replayJobsRecover: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key of the caller’s choosing (1-255 printable ASCII characters, no spaces): a second request with the same key acts nowhere and answers what the first did */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    dry_run?: boolean;
                    /** @description Replays per second at the receivers, at most; default REPLAY_DEFAULT_RATE_PER_SECOND (10) */
                    rate_per_second?: number;
                    /** Format: date-time */
                    since: string;
                    /** Format: uuid */
                    subscription_id: string;
                    tenant_id?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0b8f3c52-6a1e-4f7d-9c3b-2e5d8a1f4c67",
                     *       "tenant_id": "acme",
                     *       "kind": "recover",
                     *       "filter": {
                     *         "subscription_id": "6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10",
                     *         "since": "2026-11-22T02:00:00.000Z"
                     *       },
                     *       "rate_per_second": 10,
                     *       "status": "running",
                     *       "total": 1840,
                     *       "sent": 410,
                     *       "skipped": 2,
                     *       "pending": 1428,
                     *       "progress": 0.2239,
                     *       "requested_by": "uv8jrjm66ag972ml",
                     *       "idempotency_key": "recover-erp-2026-11-22",
                     *       "created_at": "2026-11-22T09:12:00.000Z",
                     *       "started_at": "2026-11-22T09:12:00.120Z",
                     *       "finished_at": null,
                     *       "cancelled_by": null,
                     *       "last_error": null,
                     *       "created": true
                     *     }
                     */
                    "application/json": {
                        cancelled_by: string | null;
                        /** @description False when the Idempotency-Key named an existing job: nothing new was started */
                        created: boolean;
                        created_at: string;
                        filter: {
                            [key: string]: unknown;
                        };
                        finished_at: string | null;
                        id: string;
                        idempotency_key: string | null;
                        /** @enum {string} */
                        kind: "bulk" | "recover";
                        last_error: string | null;
                        pending: number;
                        /** @description (sent + skipped) / total, from 0 to 1 */
                        progress: number;
                        rate_per_second: number;
                        requested_by: string;
                        sent: number;
                        /** @description Replayed by someone else meanwhile, or held because the subscription is disabled or gone */
                        skipped: number;
                        started_at: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "completed" | "cancelled";
                        /** @description null: an operator’s job across every tenant */
                        tenant_id: string | null;
                        /** @description Dead letters the job set out to replay: those matching and not replayed since they died, when it was created */
                        total: number;
                    } | {
                        /** @constant */
                        dry_run: true;
                        estimated_seconds: number;
                        matched: number;
                        rate_per_second: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionsList: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                limit?: number;
                tenant_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            /** @description The endpoint authentication: its type and non-secret parts only */
                            auth: {
                                audience?: string;
                                certificate_expires_at?: string;
                                certificate_sha256?: string;
                                certificate_subject?: string;
                                /** @enum {string} */
                                client_auth?: "basic" | "body";
                                client_id?: string;
                                scope?: string;
                                token_url?: string;
                                /** @enum {string} */
                                type: "basic" | "bearer" | "oauth2_client_credentials" | "mtls";
                                username?: string;
                            } | null;
                            /** @default null */
                            batch: {
                                max_bytes: number;
                                max_events: number;
                                max_wait_ms: number;
                            } | null;
                            config_key: string | null;
                            created_at: string;
                            /** @description The id of the API key that created it (admin:bootstrap for ADMIN_API_KEY), declarative-config, or null when created before this was recorded */
                            created_by: string | null;
                            description: string | null;
                            disabled_reason: string | null;
                            /** @default null */
                            egress_proxy: string | null;
                            enabled: boolean;
                            event_types: string[];
                            /** @default [] */
                            excluded_event_types: string[];
                            /** @default null */
                            filter: {
                                [key: string]: unknown;
                            } | null;
                            /** @default {} */
                            headers: {
                                [key: string]: string;
                            };
                            /** Format: uuid */
                            id: string;
                            /** @default null */
                            max_concurrency: number | null;
                            /** @default {} */
                            metadata: {
                                [key: string]: string;
                            };
                            /** @default null */
                            name: string | null;
                            /**
                             * @default skip
                             * @enum {string}
                             */
                            on_dead_letter: "skip" | "block";
                            /**
                             * @default none
                             * @enum {string}
                             */
                            ordering: "none" | "subscription" | "key";
                            /** @default 10000 */
                            ordering_backlog_max: number;
                            /** @default null */
                            rate_limit_per_second: number | null;
                            retry_policy: ({
                                delays_seconds: number[];
                                /** @constant */
                                kind: "schedule";
                                max_age_seconds?: number;
                                max_attempts?: number;
                            } | {
                                base_seconds: number;
                                cap_seconds: number;
                                /**
                                 * @default full
                                 * @enum {string}
                                 */
                                jitter: "full" | "none";
                                /** @constant */
                                kind: "exponential";
                                max_age_seconds?: number;
                                max_attempts: number;
                            }) | null;
                            /** @default null */
                            signature_header: string | null;
                            /**
                             * @default standard
                             * @enum {string}
                             */
                            signature_scheme: "standard" | "ed25519" | "legacy_sha256" | "legacy_sha256_raw";
                            tenant_id: string;
                            timeout_ms: number;
                            /** Format: date-time */
                            updated_at: string;
                            /** Format: uri */
                            url: string;
                            version: number;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionsCreate: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description How the dispatcher authenticates to the endpoint, besides signing (docs/guides/endpoint-auth.md); write-only: reads show only its type and non-secret parts; null: none */
                    auth?: ({
                        password: string;
                        /** @constant */
                        type: "basic";
                        username: string;
                    } | {
                        token: string;
                        /** @constant */
                        type: "bearer";
                    } | {
                        audience?: string;
                        /**
                         * @default basic
                         * @enum {string}
                         */
                        client_auth?: "basic" | "body";
                        client_id: string;
                        client_secret: string;
                        scope?: string;
                        token_url: string;
                        /** @constant */
                        type: "oauth2_client_credentials";
                    } | {
                        certificate: string;
                        private_key: string;
                        /** @constant */
                        type: "mtls";
                    }) | null;
                    /** @description Batched delivery (docs/guides/batching.md): one signed request carries a JSON array of envelopes; null (default): one event per request */
                    batch?: {
                        /**
                         * @description Body bytes per request at most; a larger envelope goes alone (1024-4194304, default 1048576)
                         * @default 1048576
                         */
                        max_bytes?: number;
                        /**
                         * @description Envelopes per request at most (1-1000, default 100)
                         * @default 100
                         */
                        max_events?: number;
                        /**
                         * @description How long the first event waits for others to join its request (0-60000, default 1000)
                         * @default 1000
                         */
                        max_wait_ms?: number;
                    } | null;
                    description?: string | null;
                    /** @description The name of one of the operator's egress proxies (EGRESS_PROXIES) this subscription's requests leave through, for partners that allowlist caller IPs; null: the default */
                    egress_proxy?: string | null;
                    event_types: string[];
                    excluded_event_types?: string[];
                    /** @description Narrows the events of its types to those whose envelope and data pass it (docs/guides/payload-filters.md); null: every event */
                    filter?: {
                        [key: string]: unknown;
                    } | null;
                    headers?: {
                        [key: string]: string;
                    };
                    max_concurrency?: number | null;
                    metadata?: {
                        [key: string]: string;
                    };
                    name?: string | null;
                    /**
                     * @description For ordered delivery: whether a dead letter lets its key move on (`skip`, default) or stops it until it is replayed or skipped (`block`)
                     * @default skip
                     * @enum {string}
                     */
                    on_dead_letter?: "skip" | "block";
                    /**
                     * @description Ordered delivery (docs/guides/ordering.md): `none` (default), `subscription` (every event in one order) or `key` (per envelope ordering_key; events without one are not ordered)
                     * @default none
                     * @enum {string}
                     */
                    ordering?: "none" | "subscription" | "key";
                    /**
                     * @description For ordered delivery: events held behind their keys' heads past which the subscription is paused (default 10,000)
                     * @default 10000
                     */
                    ordering_backlog_max?: number;
                    rate_limit_per_second?: number | null;
                    retry_policy?: ({
                        delays_seconds: number[];
                        /** @constant */
                        kind: "schedule";
                        max_age_seconds?: number;
                        max_attempts?: number;
                    } | {
                        base_seconds: number;
                        cap_seconds: number;
                        /**
                         * @default full
                         * @enum {string}
                         */
                        jitter?: "full" | "none";
                        /** @constant */
                        kind: "exponential";
                        max_age_seconds?: number;
                        max_attempts: number;
                    }) | null;
                    secret?: string;
                    signature_header?: string | null;
                    /**
                     * @default standard
                     * @enum {string}
                     */
                    signature_scheme?: "standard" | "ed25519" | "legacy_sha256" | "legacy_sha256_raw";
                    tenant_id?: string;
                    timeout_ms?: number;
                    url: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10",
                     *       "tenant_id": "acme",
                     *       "url": "https://erp.partner.example/hooks",
                     *       "name": "Partner ERP",
                     *       "description": null,
                     *       "event_types": [
                     *         "order.*"
                     *       ],
                     *       "excluded_event_types": [],
                     *       "filter": null,
                     *       "enabled": true,
                     *       "disabled_reason": null,
                     *       "retry_policy": null,
                     *       "timeout_ms": 15000,
                     *       "headers": {},
                     *       "metadata": {},
                     *       "rate_limit_per_second": null,
                     *       "max_concurrency": null,
                     *       "signature_scheme": "standard",
                     *       "signature_header": null,
                     *       "egress_proxy": null,
                     *       "ordering": "none",
                     *       "on_dead_letter": "skip",
                     *       "ordering_backlog_max": 10000,
                     *       "batch": null,
                     *       "version": 1,
                     *       "updated_at": "2026-12-06T21:43:27.055Z",
                     *       "created_at": "2026-12-06T21:43:27.055Z",
                     *       "config_key": null,
                     *       "created_by": "k_3f9a1c2e7b4d",
                     *       "auth": null,
                     *       "secret": "whsec_HuwYELxSV2GCCI1FyD7q+gcqIO7M2WWAu11WyRClhbE=",
                     *       "public_key": null
                     *     }
                     */
                    "application/json": {
                        /** @description The endpoint authentication: its type and non-secret parts only */
                        auth: {
                            audience?: string;
                            certificate_expires_at?: string;
                            certificate_sha256?: string;
                            certificate_subject?: string;
                            /** @enum {string} */
                            client_auth?: "basic" | "body";
                            client_id?: string;
                            scope?: string;
                            token_url?: string;
                            /** @enum {string} */
                            type: "basic" | "bearer" | "oauth2_client_credentials" | "mtls";
                            username?: string;
                        } | null;
                        /** @default null */
                        batch: {
                            max_bytes: number;
                            max_events: number;
                            max_wait_ms: number;
                        } | null;
                        config_key: string | null;
                        created_at: string;
                        /** @description The id of the API key that created it (admin:bootstrap for ADMIN_API_KEY), declarative-config, or null when created before this was recorded */
                        created_by: string | null;
                        description: string | null;
                        disabled_reason: string | null;
                        /** @default null */
                        egress_proxy: string | null;
                        enabled: boolean;
                        event_types: string[];
                        /** @default [] */
                        excluded_event_types: string[];
                        /** @default null */
                        filter: {
                            [key: string]: unknown;
                        } | null;
                        /** @default {} */
                        headers: {
                            [key: string]: string;
                        };
                        /** Format: uuid */
                        id: string;
                        /** @default null */
                        max_concurrency: number | null;
                        /** @default {} */
                        metadata: {
                            [key: string]: string;
                        };
                        /** @default null */
                        name: string | null;
                        /**
                         * @default skip
                         * @enum {string}
                         */
                        on_dead_letter: "skip" | "block";
                        /**
                         * @default none
                         * @enum {string}
                         */
                        ordering: "none" | "subscription" | "key";
                        /** @default 10000 */
                        ordering_backlog_max: number;
                        /** @description The ed25519 public key (whpk_…), for ed25519 subscriptions */
                        public_key: string | null;
                        /** @default null */
                        rate_limit_per_second: number | null;
                        retry_policy: ({
                            delays_seconds: number[];
                            /** @constant */
                            kind: "schedule";
                            max_age_seconds?: number;
                            max_attempts?: number;
                        } | {
                            base_seconds: number;
                            cap_seconds: number;
                            /**
                             * @default full
                             * @enum {string}
                             */
                            jitter: "full" | "none";
                            /** @constant */
                            kind: "exponential";
                            max_age_seconds?: number;
                            max_attempts: number;
                        }) | null;
                        /** @description The HMAC secret, shown once (null for ed25519) */
                        secret: string | null;
                        /** @default null */
                        signature_header: string | null;
                        /**
                         * @default standard
                         * @enum {string}
                         */
                        signature_scheme: "standard" | "ed25519" | "legacy_sha256" | "legacy_sha256_raw";
                        tenant_id: string;
                        timeout_ms: number;
                        /** Format: date-time */
                        updated_at: string;
                        /** Format: uri */
                        url: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionsGet: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The endpoint authentication: its type and non-secret parts only */
                        auth: {
                            audience?: string;
                            certificate_expires_at?: string;
                            certificate_sha256?: string;
                            certificate_subject?: string;
                            /** @enum {string} */
                            client_auth?: "basic" | "body";
                            client_id?: string;
                            scope?: string;
                            token_url?: string;
                            /** @enum {string} */
                            type: "basic" | "bearer" | "oauth2_client_credentials" | "mtls";
                            username?: string;
                        } | null;
                        /** @default null */
                        batch: {
                            max_bytes: number;
                            max_events: number;
                            max_wait_ms: number;
                        } | null;
                        config_key: string | null;
                        created_at: string;
                        /** @description The id of the API key that created it (admin:bootstrap for ADMIN_API_KEY), declarative-config, or null when created before this was recorded */
                        created_by: string | null;
                        description: string | null;
                        disabled_reason: string | null;
                        /** @default null */
                        egress_proxy: string | null;
                        enabled: boolean;
                        event_types: string[];
                        /** @default [] */
                        excluded_event_types: string[];
                        /** @default null */
                        filter: {
                            [key: string]: unknown;
                        } | null;
                        /** @default {} */
                        headers: {
                            [key: string]: string;
                        };
                        /** Format: uuid */
                        id: string;
                        /** @default null */
                        max_concurrency: number | null;
                        /** @default {} */
                        metadata: {
                            [key: string]: string;
                        };
                        /** @default null */
                        name: string | null;
                        /**
                         * @default skip
                         * @enum {string}
                         */
                        on_dead_letter: "skip" | "block";
                        /**
                         * @default none
                         * @enum {string}
                         */
                        ordering: "none" | "subscription" | "key";
                        /** @default 10000 */
                        ordering_backlog_max: number;
                        /** @default null */
                        rate_limit_per_second: number | null;
                        retry_policy: ({
                            delays_seconds: number[];
                            /** @constant */
                            kind: "schedule";
                            max_age_seconds?: number;
                            max_attempts?: number;
                        } | {
                            base_seconds: number;
                            cap_seconds: number;
                            /**
                             * @default full
                             * @enum {string}
                             */
                            jitter: "full" | "none";
                            /** @constant */
                            kind: "exponential";
                            max_age_seconds?: number;
                            max_attempts: number;
                        }) | null;
                        /** @default null */
                        signature_header: string | null;
                        /**
                         * @default standard
                         * @enum {string}
                         */
                        signature_scheme: "standard" | "ed25519" | "legacy_sha256" | "legacy_sha256_raw";
                        tenant_id: string;
                        timeout_ms: number;
                        /** Format: date-time */
                        updated_at: string;
                        /** Format: uri */
                        url: string;
                        version: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionsRemove: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionsUpdate: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description How the dispatcher authenticates to the endpoint, besides signing (docs/guides/endpoint-auth.md); write-only: reads show only its type and non-secret parts; null: none */
                    auth?: ({
                        password: string;
                        /** @constant */
                        type: "basic";
                        username: string;
                    } | {
                        token: string;
                        /** @constant */
                        type: "bearer";
                    } | {
                        audience?: string;
                        /**
                         * @default basic
                         * @enum {string}
                         */
                        client_auth?: "basic" | "body";
                        client_id: string;
                        client_secret: string;
                        scope?: string;
                        token_url: string;
                        /** @constant */
                        type: "oauth2_client_credentials";
                    } | {
                        certificate: string;
                        private_key: string;
                        /** @constant */
                        type: "mtls";
                    }) | null;
                    /** @description Batched delivery (docs/guides/batching.md): one signed request carries a JSON array of envelopes; null (default): one event per request */
                    batch?: {
                        /**
                         * @description Body bytes per request at most; a larger envelope goes alone (1024-4194304, default 1048576)
                         * @default 1048576
                         */
                        max_bytes?: number;
                        /**
                         * @description Envelopes per request at most (1-1000, default 100)
                         * @default 100
                         */
                        max_events?: number;
                        /**
                         * @description How long the first event waits for others to join its request (0-60000, default 1000)
                         * @default 1000
                         */
                        max_wait_ms?: number;
                    } | null;
                    description?: string | null;
                    /** @enum {string} */
                    disabled_reason?: "manual" | "auto_disabled" | "gone";
                    /** @description The name of one of the operator's egress proxies (EGRESS_PROXIES) this subscription's requests leave through, for partners that allowlist caller IPs; null: the default */
                    egress_proxy?: string | null;
                    enabled?: boolean;
                    event_types?: string[];
                    excluded_event_types?: string[];
                    /** @description Narrows the events of its types to those whose envelope and data pass it (docs/guides/payload-filters.md); null: every event */
                    filter?: {
                        [key: string]: unknown;
                    } | null;
                    headers?: {
                        [key: string]: string;
                    };
                    max_concurrency?: number | null;
                    metadata?: {
                        [key: string]: string;
                    };
                    name?: string | null;
                    /**
                     * @description For ordered delivery: whether a dead letter lets its key move on (`skip`, default) or stops it until it is replayed or skipped (`block`)
                     * @enum {string}
                     */
                    on_dead_letter?: "skip" | "block";
                    /**
                     * @description Ordered delivery (docs/guides/ordering.md): `none` (default), `subscription` (every event in one order) or `key` (per envelope ordering_key; events without one are not ordered)
                     * @enum {string}
                     */
                    ordering?: "none" | "subscription" | "key";
                    /** @description For ordered delivery: events held behind their keys' heads past which the subscription is paused (default 10,000) */
                    ordering_backlog_max?: number;
                    rate_limit_per_second?: number | null;
                    retry_policy?: ({
                        delays_seconds: number[];
                        /** @constant */
                        kind: "schedule";
                        max_age_seconds?: number;
                        max_attempts?: number;
                    } | {
                        base_seconds: number;
                        cap_seconds: number;
                        /**
                         * @default full
                         * @enum {string}
                         */
                        jitter?: "full" | "none";
                        /** @constant */
                        kind: "exponential";
                        max_age_seconds?: number;
                        max_attempts: number;
                    }) | null;
                    signature_header?: string | null;
                    timeout_ms?: number;
                    url?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The endpoint authentication: its type and non-secret parts only */
                        auth: {
                            audience?: string;
                            certificate_expires_at?: string;
                            certificate_sha256?: string;
                            certificate_subject?: string;
                            /** @enum {string} */
                            client_auth?: "basic" | "body";
                            client_id?: string;
                            scope?: string;
                            token_url?: string;
                            /** @enum {string} */
                            type: "basic" | "bearer" | "oauth2_client_credentials" | "mtls";
                            username?: string;
                        } | null;
                        /** @default null */
                        batch: {
                            max_bytes: number;
                            max_events: number;
                            max_wait_ms: number;
                        } | null;
                        config_key: string | null;
                        created_at: string;
                        /** @description The id of the API key that created it (admin:bootstrap for ADMIN_API_KEY), declarative-config, or null when created before this was recorded */
                        created_by: string | null;
                        description: string | null;
                        disabled_reason: string | null;
                        /** @default null */
                        egress_proxy: string | null;
                        enabled: boolean;
                        event_types: string[];
                        /** @default [] */
                        excluded_event_types: string[];
                        /** @default null */
                        filter: {
                            [key: string]: unknown;
                        } | null;
                        /** @default {} */
                        headers: {
                            [key: string]: string;
                        };
                        /** Format: uuid */
                        id: string;
                        /** @default null */
                        max_concurrency: number | null;
                        /** @default {} */
                        metadata: {
                            [key: string]: string;
                        };
                        /** @default null */
                        name: string | null;
                        /**
                         * @default skip
                         * @enum {string}
                         */
                        on_dead_letter: "skip" | "block";
                        /**
                         * @default none
                         * @enum {string}
                         */
                        ordering: "none" | "subscription" | "key";
                        /** @default 10000 */
                        ordering_backlog_max: number;
                        /** @default null */
                        rate_limit_per_second: number | null;
                        retry_policy: ({
                            delays_seconds: number[];
                            /** @constant */
                            kind: "schedule";
                            max_age_seconds?: number;
                            max_attempts?: number;
                        } | {
                            base_seconds: number;
                            cap_seconds: number;
                            /**
                             * @default full
                             * @enum {string}
                             */
                            jitter: "full" | "none";
                            /** @constant */
                            kind: "exponential";
                            max_age_seconds?: number;
                            max_attempts: number;
                        }) | null;
                        /** @default null */
                        signature_header: string | null;
                        /**
                         * @default standard
                         * @enum {string}
                         */
                        signature_scheme: "standard" | "ed25519" | "legacy_sha256" | "legacy_sha256_raw";
                        tenant_id: string;
                        timeout_ms: number;
                        /** Format: date-time */
                        updated_at: string;
                        /** Format: uri */
                        url: string;
                        version: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionFeedEvents: {
        parameters: {
            query?: {
                after?: string;
                limit?: number;
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "cursor": "WyI3NTMyMTAiLCI0MTIwMDEiXQ",
                     *           "event": {
                     *             "id": "evt_01J9ZK3M8Q",
                     *             "type": "order.placed",
                     *             "occurred_at": "2026-12-07T09:58:01.000Z",
                     *             "received_at": "2026-12-07T09:58:01.214Z",
                     *             "ordering_key": "order-1042",
                     *             "data": {
                     *               "order_id": 1042,
                     *               "total": 99.5
                     *             },
                     *             "expired": false
                     *           },
                     *           "delivery": {
                     *             "id": "0e6f2b8c-5d0a-5f3e-9a61-7c2d4b8e1f03",
                     *             "status": "dead",
                     *             "attempts": 0,
                     *             "last_status_code": null,
                     *             "last_error": "the subscription is disabled (gone: its endpoint answered 410)",
                     *             "matched_at": "2026-12-07T09:58:01.240Z"
                     *           }
                     *         }
                     *       ],
                     *       "next_cursor": "WyI3NTMyMTAiLCI0MTIwMDEiXQ",
                     *       "has_more": false
                     *     }
                     */
                    "application/json": {
                        data: {
                            /** @description This item's place in the feed: pass it as `after` to read on from just after it */
                            cursor: string;
                            delivery: {
                                attempts: number;
                                id: string;
                                last_error: string | null;
                                last_status_code: number | null;
                                /** @description When fan-out matched the event to the subscription, with the filters the subscription had then */
                                matched_at: string;
                                /** @enum {string} */
                                status: "pending" | "delivered" | "failing" | "dead";
                            };
                            event: {
                                /** @description The payload; null once retention has removed the event (see `expired`) */
                                data: unknown;
                                /** @description True when the event is past its retention and only its id and type remain */
                                expired: boolean;
                                /** @description Also the webhook-id the receiver saw */
                                id: string;
                                occurred_at: string | null;
                                ordering_key: string | null;
                                received_at: string | null;
                                type: string;
                            };
                        }[];
                        /** @description True when more items are readable now: read again at once rather than waiting */
                        has_more: boolean;
                        /** @description Always set: where the next read starts. With an empty page it is the `after` sent (or the start), so a poller keeps it and asks again */
                        next_cursor: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    endpointHealthGet: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "subscription_id": "6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10",
                     *       "status": "failing",
                     *       "enabled": true,
                     *       "disabled_reason": null,
                     *       "last_success_at": "2026-11-20T08:12:03.114Z",
                     *       "failing_since": "2026-11-21T09:30:00.512Z",
                     *       "last_failure_at": "2026-11-22T10:00:04.020Z",
                     *       "last_status_code": 503,
                     *       "last_error_class": "http_status",
                     *       "auto_disable_at": "2026-11-26T09:30:00.512Z"
                     *     }
                     */
                    "application/json": {
                        auto_disable_at: string | null;
                        disabled_reason: string | null;
                        enabled: boolean;
                        failing_since: string | null;
                        last_error_class: string | null;
                        last_failure_at: string | null;
                        last_status_code: number | null;
                        last_success_at: string | null;
                        /** @enum {string} */
                        status: "healthy" | "failing" | "disabled";
                        subscription_id: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionFeedRecover: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key of the caller’s choosing (1-255 printable ASCII characters, no spaces): a second request with the same key acts nowhere and answers what the first did */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    dry_run?: boolean;
                    /** @description Replays per second at the receivers, at most; default REPLAY_DEFAULT_RATE_PER_SECOND (10) */
                    rate_per_second?: number;
                    /** Format: date-time */
                    since: string;
                    tenant_id?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelled_by: string | null;
                        /** @description False when the Idempotency-Key named an existing job: nothing new was started */
                        created: boolean;
                        created_at: string;
                        filter: {
                            [key: string]: unknown;
                        };
                        finished_at: string | null;
                        id: string;
                        idempotency_key: string | null;
                        /** @enum {string} */
                        kind: "bulk" | "recover";
                        last_error: string | null;
                        pending: number;
                        /** @description (sent + skipped) / total, from 0 to 1 */
                        progress: number;
                        rate_per_second: number;
                        requested_by: string;
                        sent: number;
                        /** @description Replayed by someone else meanwhile, or held because the subscription is disabled or gone */
                        skipped: number;
                        started_at: string | null;
                        /** @enum {string} */
                        status: "queued" | "running" | "completed" | "cancelled";
                        /** @description null: an operator’s job across every tenant */
                        tenant_id: string | null;
                        /** @description Dead letters the job set out to replay: those matching and not replayed since they died, when it was created */
                        total: number;
                    } | {
                        /** @constant */
                        dry_run: true;
                        estimated_seconds: number;
                        matched: number;
                        rate_per_second: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionsRevealSecret: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            created_at: string;
                            expires_at: string | null;
                            id: string;
                            public_key: string | null;
                            secret: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionsRotateSecret: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 86400 */
                    overlap_seconds?: number;
                    secret?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        previous_expires_at: string;
                        secret: {
                            created_at: string;
                            expires_at: string | null;
                            id: string;
                            public_key: string | null;
                            secret: string | null;
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionsTest: {
        parameters: {
            query?: {
                tenant_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data?: {
                        [key: string]: unknown;
                    };
                    event_type?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error_class: string | null;
                        event_id: string;
                        latency_ms: number;
                        message: string | null;
                        ok: boolean;
                        response_body: string | null;
                        status_code: number | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    subscriptionsMatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data?: {
                        [key: string]: unknown;
                    };
                    event_type: string;
                    tenant_id?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "tenant_id": "acme",
                     *       "event_type": "order.placed",
                     *       "accepted": true,
                     *       "errors": [],
                     *       "receivers": [
                     *         {
                     *           "subscription_id": "6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10",
                     *           "name": "Partner ERP",
                     *           "url": "https://erp.partner.example/hooks",
                     *           "matched_filter": "order.*"
                     *         }
                     *       ],
                     *       "skipped": [
                     *         {
                     *           "subscription_id": "0b7e4c1a-2f3d-4e5f-8a9b-1c2d3e4f5a6b",
                     *           "name": "Billing",
                     *           "url": "https://billing.example/in",
                     *           "reasons": [
                     *             {
                     *               "code": "no_matching_filter",
                     *               "message": "none of its filters (invoice.*) matches order.placed"
                     *             }
                     *           ]
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description Would the gateway take this event (its type, and its data when given)? */
                        accepted: boolean;
                        errors: {
                            message: string;
                            path: string;
                        }[];
                        event_type: string;
                        receivers: {
                            matched_filter: string;
                            name: string | null;
                            subscription_id: string;
                            url: string;
                        }[];
                        skipped: {
                            name: string | null;
                            reasons: {
                                /** @enum {string} */
                                code: "disabled" | "no_matching_filter" | "excluded" | "payload_filter" | "event_refused";
                                message: string;
                            }[];
                            subscription_id: string;
                            url: string;
                        }[];
                        tenant_id: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    tenantsCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        /** @description false: events are accepted and stored, not delivered until enabled again */
                        enabled: boolean;
                        /** @description When `enabled` last changed; null if never */
                        enabled_changed_at: string | null;
                        id: string;
                        max_event_bytes: number | null;
                        name: string;
                        rate_limit_burst: number | null;
                        rate_limit_per_second: number | null;
                        retention_days: number | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    tenantsGet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        /** @description false: events are accepted and stored, not delivered until enabled again */
                        enabled: boolean;
                        /** @description When `enabled` last changed; null if never */
                        enabled_changed_at: string | null;
                        id: string;
                        max_event_bytes: number | null;
                        name: string;
                        rate_limit_burst: number | null;
                        rate_limit_per_second: number | null;
                        retention_days: number | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    tenantsUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enabled?: boolean;
                    max_event_bytes?: number | null;
                    name?: string;
                    rate_limit_burst?: number | null;
                    rate_limit_per_second?: number | null;
                    retention_days?: number | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "acme",
                     *       "name": "Acme Inc",
                     *       "created_at": "2026-11-22T10:00:00.000Z",
                     *       "max_event_bytes": 1048576,
                     *       "rate_limit_per_second": 200,
                     *       "rate_limit_burst": 400,
                     *       "retention_days": null,
                     *       "enabled": true,
                     *       "enabled_changed_at": null
                     *     }
                     */
                    "application/json": {
                        created_at: string;
                        /** @description false: events are accepted and stored, not delivered until enabled again */
                        enabled: boolean;
                        /** @description When `enabled` last changed; null if never */
                        enabled_changed_at: string | null;
                        id: string;
                        max_event_bytes: number | null;
                        name: string;
                        rate_limit_burst: number | null;
                        rate_limit_per_second: number | null;
                        retention_days: number | null;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    apiKeysList: {
        parameters: {
            query?: {
                /** @description The next_cursor of the previous page (opaque; omit for the first page). Every list answers { data, next_cursor }, and next_cursor is null on the last page. */
                cursor?: components["parameters"]["Cursor"];
                limit?: number;
            };
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            created_at: string;
                            /** @description The key that created it (admin:bootstrap for ADMIN_API_KEY) */
                            created_by: string | null;
                            /** @description Made by an operator: the tenant cannot revoke it */
                            created_by_admin: boolean;
                            expires_at: string | null;
                            id: string;
                            last_used_at: string | null;
                            name: string;
                            revoked_at: string | null;
                            /** @enum {string} */
                            scope: "tenant" | "admin";
                            /** @description What the key may do; every scope for an admin key */
                            scopes: string[];
                            tenant_id: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    apiKeysCreate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    expires_at?: string;
                    name: string;
                    /**
                     * @default tenant
                     * @enum {string}
                     */
                    scope?: "tenant" | "admin";
                    scopes?: ("events:publish" | "deliveries:read" | "deliveries:retry" | "subscriptions:read" | "subscriptions:write" | "secrets:reveal" | "keys:manage" | "integrations:manage")[];
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        /** @description The key that created it (admin:bootstrap for ADMIN_API_KEY) */
                        created_by: string | null;
                        /** @description Made by an operator: the tenant cannot revoke it */
                        created_by_admin: boolean;
                        expires_at: string | null;
                        id: string;
                        /** @description Shown once; only its hash is stored */
                        key: string;
                        last_used_at: string | null;
                        name: string;
                        revoked_at: string | null;
                        /** @enum {string} */
                        scope: "tenant" | "admin";
                        /** @description What the key may do; every scope for an admin key */
                        scopes: string[];
                        tenant_id: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    apiKeysRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        /** @description The key that created it (admin:bootstrap for ADMIN_API_KEY) */
                        created_by: string | null;
                        /** @description Made by an operator: the tenant cannot revoke it */
                        created_by_admin: boolean;
                        expires_at: string | null;
                        id: string;
                        last_used_at: string | null;
                        name: string;
                        revoked_at: string | null;
                        /** @enum {string} */
                        scope: "tenant" | "admin";
                        /** @description What the key may do; every scope for an admin key */
                        scopes: string[];
                        tenant_id: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    eventTypesSetMode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    strict_event_types: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        strict_event_types: boolean;
                        tenant_id: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quotasGet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        limits: {
                            [key: string]: {
                                /** @description The platform default (QUOTA_<NAME>) */
                                default: number;
                                description: string;
                                /** @enum {string} */
                                kind: "count" | "size" | "concurrency" | "rate";
                                /** @description In force for this tenant */
                                limit: number;
                                /** @description Set by an operator for this tenant; null: the default applies */
                                override: number | null;
                                /** @description Current use, where it is cheap to count; null otherwise */
                                usage: number | null;
                            };
                        };
                        tenant_id: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    quotasPut: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description signing secrets of one subscription active at once (every one signs every attempt) */
                    active_secrets_per_subscription?: number | null;
                    /** @description API keys not revoked */
                    api_keys?: number | null;
                    /** @description changes to the tenant’s configuration per minute (every POST, PUT, PATCH or DELETE to the registry), in bursts of up to a sixth of it */
                    config_writes_per_minute?: number | null;
                    /** @description subscription test sends per minute */
                    endpoint_tests_per_minute?: number | null;
                    /** @description subscription test sends per minute to one target origin */
                    endpoint_tests_per_minute_per_origin?: number | null;
                    /** @description event types in the catalog (Hookstream’s own not counted) */
                    event_types?: number | null;
                    /** @description characters in one filter */
                    filter_length?: number | null;
                    /** @description entries in event_types, and in excluded_event_types, of one subscription */
                    filters_per_subscription?: number | null;
                    /** @description bytes of one subscription’s custom header names and values together */
                    header_bytes?: number | null;
                    /** @description custom headers of one subscription */
                    headers_per_subscription?: number | null;
                    /** @description bytes of one subscription’s metadata as JSON */
                    metadata_bytes?: number | null;
                    /** @description replay jobs queued or running at once */
                    replay_jobs?: number | null;
                    /** @description live subscriptions */
                    subscriptions?: number | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        limits: {
                            [key: string]: {
                                /** @description The platform default (QUOTA_<NAME>) */
                                default: number;
                                description: string;
                                /** @enum {string} */
                                kind: "count" | "size" | "concurrency" | "rate";
                                /** @description In force for this tenant */
                                limit: number;
                                /** @description Set by an operator for this tenant; null: the default applies */
                                override: number | null;
                                /** @description Current use, where it is cheap to count; null otherwise */
                                usage: number | null;
                            };
                        };
                        tenant_id: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            /** @description Any other error (503 unavailable with Retry-After while a dependency is down, …) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
