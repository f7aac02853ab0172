import { type Attributes, context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import type { BaseConfig } from './config.js';
import { maskUrl } from './redaction.js';

export { SpanKind, type Span } from '@opentelemetry/api';

export interface Telemetry {
  /** Flushes spans still buffered for the exporter; called once the service has stopped. */
  shutdown(): Promise<void>;
}

const TRACER = 'hookstream';

/** Whether OTEL_TRACES_EXPORTER names an exporter (`none` and unset mean no). */
export function tracesExporterWanted(config: Pick<BaseConfig, 'OTEL_TRACES_EXPORTER'>): boolean {
  return config.OTEL_TRACES_EXPORTER.some((name) => name !== 'none');
}

/**
 * Starts the OpenTelemetry SDK for one service, before Nest. Configured by the standard OTEL_*
 * variables (OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT and _PROTOCOL,
 * OTEL_BSP_*, OTEL_TRACES_SAMPLER, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES...), with one
 * deliberate difference from the SDK's defaults: nothing is exported unless OTEL_TRACES_EXPORTER
 * names an exporter (the SDK would otherwise push OTLP to localhost:4318). Spans are still made
 * without an exporter, so every Kafka message and webhook carries a real W3C trace context.
 * Metrics are served on /metrics by prom-client and logs go to stdout, so the SDK's metric and
 * log pipelines stay off.
 */
export function startTelemetry(service: string, config: Pick<BaseConfig, 'OTEL_TRACES_EXPORTER'>, env: NodeJS.ProcessEnv = process.env): Telemetry {
  const sdk = new NodeSDK({
    ...(env.OTEL_SERVICE_NAME ? {} : { serviceName: service }),
    // Without a processor the SDK registers no tracer provider, and spans would be no-ops.
    ...(tracesExporterWanted(config) ? {} : { spanProcessors: [new NoopSpanProcessor()] }),
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

/**
 * Starts the span of one hop as a child of the W3C context `traceparent` carried by what caused
 * it (a Kafka header, an HTTP header, a stored row), or as a new trace when it carried none.
 * `hop` names the step in Hookstream's pipeline (`dispatcher attempt`, `retry fire`) and is kept
 * in `hookstream.hop`; the span's own name follows the OpenTelemetry conventions where one applies
 * (`process hookstream.events` for a consumer, `POST` for a webhook request: `spanName`).
 */
export function startHopSpan(
  hop: string,
  traceparent: string | null | undefined,
  attributes: Attributes = {},
  kind: SpanKind = SpanKind.CONSUMER,
  spanName: string = hop,
): Span {
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  return trace.getTracer(TRACER).startSpan(spanName, { kind, attributes: { 'hookstream.hop': hop, ...attributes } }, parent);
}

/** A Kafka message's place, as the OpenTelemetry messaging conventions name it, for a span that processes it. */
export interface MessagePlace {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The consumer group that fetched it. */
  group: string;
}

/** The conventional name and attributes of a span processing one consumed Kafka message. */
export function kafkaProcessSpan(m: MessagePlace): { name: string; attributes: Attributes } {
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': m.topic,
    'messaging.destination.partition.id': String(m.partition),
    'messaging.consumer.group.name': m.group,
    'messaging.kafka.offset': Number(m.offset),
  };
  if (m.key !== null) attributes['messaging.kafka.message.key'] = m.key;
  return { name: `process ${m.topic}`, attributes };
}

/** A CONSUMER span processing one Kafka message, child of the context in its `traceparent` header. */
export function startProcessSpan(hop: string, m: MessagePlace & { headers: Record<string, string> }, attributes: Attributes = {}): Span {
  const conventional = kafkaProcessSpan(m);
  return startHopSpan(hop, m.headers['traceparent'], { ...conventional.attributes, ...attributes }, SpanKind.CONSUMER, conventional.name);
}

/**
 * The conventional attributes of a webhook request's CLIENT span (OpenTelemetry HTTP client
 * conventions); the URL's query string is masked, as in logs, since it often carries a token.
 */
export function httpClientAttributes(url: string, method = 'POST'): Attributes {
  const attributes: Attributes = { 'http.request.method': method, 'url.full': maskUrl(url) };
  try {
    const u = new URL(url);
    attributes['server.address'] = u.hostname;
    attributes['server.port'] = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  } catch {
    // An unparsable URL fails the attempt before it connects; the span keeps what it has.
  }
  return attributes;
}

/** The W3C `traceparent` that makes whatever it is attached to a child of `span`. */
export function traceparentOf(span: Span): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return carrier['traceparent'] ?? null;
}

/**
 * The context of the span the current code runs in, if any: the incoming HTTP request's server
 * span (made by the http instrumentation when spans are exported). Null in consumers and loops.
 */
export function activeTraceparent(): string | null {
  const span = trace.getSpan(context.active());
  return span?.spanContext().traceId && span.isRecording() ? traceparentOf(span) : null;
}

/** Ends a hop's span, marked failed when `err` is given. */
export function endHopSpan(span: Span, err?: unknown): void {
  if (err !== undefined) {
    const message = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
    span.recordException(err instanceof Error ? err : message);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  span.end();
}

/** Runs `work` under one span per item, ending each with the work's result; the spans' contexts go to `work`. */
export async function withHopSpans<T, R>(
  items: readonly T[],
  open: (item: T) => Span,
  work: (traceparents: Array<string | null>, spans: Span[]) => Promise<R>,
): Promise<R> {
  const spans = items.map(open);
  try {
    const result = await work(spans.map(traceparentOf), spans);
    for (const s of spans) endHopSpan(s);
    return result;
  } catch (err) {
    for (const s of spans) endHopSpan(s, err);
    throw err;
  }
}
