import type { DeliveryMessage } from '@hookstream/contracts';
import { endHopSpan, httpClientAttributes, type Span, SpanKind, startHopSpan, traceparentOf } from '@hookstream/platform';

export type TaskState = 'queued' | 'running' | 'recording' | 'done';

/**
 * One planned attempt held by this process, from the Kafka message until its outcome is
 * durable. A task still queued or running when its batch is committed gets a lease in Postgres;
 * its outcome then deletes the lease in the same transaction that records it.
 */
export class DeliveryTask {
  readonly key: string;
  state: TaskState = 'queued';
  /** When this process took it (ms since epoch). */
  readonly heldSince = Date.now();
  /** When its HTTP attempt started (ms since epoch), once it has. */
  startedAt: number | null = null;
  /**
   * Set when the task is leased: `written` settles once the lease row exists (or failed to),
   * `lost` whether its owner's heartbeat expired since, so a sweeper may re-drive it elsewhere.
   */
  lease: { written: Promise<void>; lost: boolean } | null = null;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private attemptSpan: { span: Span; traceparent: string | null } | null = null;

  constructor(
    readonly msg: DeliveryMessage,
    readonly traceparent: string | null,
  ) {
    this.key = taskKey(msg);
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /**
   * The context of this attempt's span, a child of the message's: the outgoing request's
   * `traceparent` and the parent of the retry, dead letter and status it leads to. The span starts
   * on first use, which for an HTTP attempt is when its request is built.
   */
  attemptTraceparent(): string | null {
    this.attemptSpan ??= this.openAttemptSpan();
    return this.attemptSpan.traceparent;
  }

  /** Ends the attempt's span with what came of it. */
  endAttempt(result: { outcome: string; errorClass: string | null; statusCode: number | null }): void {
    this.attemptSpan ??= this.openAttemptSpan();
    const { span } = this.attemptSpan;
    span.setAttribute('hookstream.outcome', result.outcome);
    if (result.errorClass) span.setAttribute('hookstream.error_class', result.errorClass);
    if (result.statusCode !== null) span.setAttribute('http.response.status_code', result.statusCode);
    // OpenTelemetry's error.type: the failure's class (`timeout`, `http_status`, `ssrf_refused`...).
    if (result.outcome !== 'delivered' && result.outcome !== 'postponed') span.setAttribute('error.type', result.errorClass ?? 'failed');
    endHopSpan(span, result.outcome === 'delivered' || result.outcome === 'postponed' ? undefined : `${result.outcome}: ${result.errorClass ?? 'failed'}`);
  }

  /** The request's target on the attempt's span (OpenTelemetry HTTP client conventions). */
  describeRequest(url: string): void {
    this.attemptSpan ??= this.openAttemptSpan();
    this.attemptSpan.span.setAttributes(httpClientAttributes(url));
  }

  private openAttemptSpan(): { span: Span; traceparent: string | null } {
    // A CLIENT span named by its method, as the HTTP conventions say; `hookstream.hop` keeps the step.
    const span = startHopSpan('dispatcher attempt', this.traceparent, {
      'hookstream.delivery_id': this.msg.delivery_id,
      'hookstream.tenant_id': this.msg.tenant_id,
      'hookstream.subscription_id': this.msg.subscription_id,
      'hookstream.attempt': this.msg.attempt,
      'hookstream.generation': this.msg.generation,
    }, SpanKind.CLIENT, 'POST');
    return { span, traceparent: traceparentOf(span) };
  }

  private bodyBytes: number | null = null;

  /** The body's size in bytes, for a batch's max_bytes. */
  get bytes(): number {
    this.bodyBytes ??= Buffer.byteLength(this.msg.body);
    return this.bodyBytes;
  }

  get unfinished(): boolean {
    return this.state === 'queued' || this.state === 'running';
  }

  finish(): void {
    this.state = 'done';
    this.resolveDone();
  }
}

export function taskKey(msg: Pick<DeliveryMessage, 'delivery_id' | 'generation' | 'attempt'>): string {
  return `${msg.delivery_id}/${msg.generation}/${msg.attempt}`;
}
