import { randomUUID } from 'node:crypto';
import type { AttemptView, CreatedReplayJob, DeliveryDetail, DeliveryView, DeliveryStatusMessage, DeadLetterDetail, DeadLetterView, FeedItem, FeedPage, ListPage, QuarantinedDetail, QuarantinedView, ReplayAuditView, ReplayJobDryRun, ReplayJobView } from '@hookstream/contracts';
import type { Command, Globals, JobOptions, Page } from './args.js';
import { type HookstreamClient, type operations, SseParser } from '@hookstream/client';
import { answer, asGiven } from './client.js';
import { type Column, fields, progressLine, table, when } from './format.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;
type ErrorClass = NonNullable<Query<'deadLettersList'>['error_class']>;
type JobStatus = NonNullable<Query<'replayJobsList'>['status']>;
type QuarantineStatus = NonNullable<Query<'quarantineList'>['status']>;
type QuarantineTopic = NonNullable<Query<'quarantineList'>['topic']>;
type DeliveryStatus = NonNullable<Query<'deliveriesList'>['status']>;
type DisabledReason = NonNullable<operations['subscriptionsUpdate']['requestBody']>['content']['application/json']['disabled_reason'] & string;

/** What a command ended in: 0 done, 1 the job it waited for was cancelled. */
export type Exit = 0 | 1;

interface Subscription {
  id: string;
  url: string;
  name: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  /** Its endpoint authentication's type (the API never returns the credentials). */
  auth?: { type: string } | null;
}

interface MatchAnswer {
  accepted: boolean;
  errors: Array<{ path: string; message: string }>;
  receivers: Array<{ subscription_id: string; url: string; matched_filter: string }>;
  skipped: Array<{ subscription_id: string; url: string; reasons: Array<{ code: string; message: string }> }>;
}

/** The dry-run as on-call reads it: who would get the event, and why each other one would not. */
function matchText(m: MatchAnswer): string {
  const lines = [m.accepted ? 'the gateway would accept it' : `the gateway would refuse it: ${m.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`];
  lines.push(`${m.receivers.length} would receive it${m.receivers.length ? ':' : ''}`);
  for (const r of m.receivers) lines.push(`  ${r.subscription_id}  ${r.url}  (by ${r.matched_filter})`);
  lines.push(`${m.skipped.length} would not${m.skipped.length ? ':' : ''}`);
  for (const s of m.skipped) {
    lines.push(`  ${s.subscription_id}  ${s.url}`);
    for (const r of s.reasons) lines.push(`      ${r.code}: ${r.message}`);
  }
  return lines.join('\n');
}

const letterColumns: Column<DeadLetterView>[] = [
  { header: 'ID', value: (l) => l.id },
  { header: 'DIED', value: (l) => when(l.dead_at) },
  { header: 'SUBSCRIPTION', value: (l) => l.subscription_id.slice(0, 8) },
  { header: 'EVENT TYPE', value: (l) => l.event_type, max: 32 },
  { header: 'STATUS', value: (l) => l.last_status_code },
  { header: 'ERROR', value: (l) => l.error_class },
  { header: 'ATTEMPTS', value: (l) => l.attempts },
  { header: 'REPLAYED', value: (l) => (l.replayed ? `yes (${l.replay_count})` : l.replay_count ? `not since (${l.replay_count})` : 'no') },
];

const jobColumns: Column<ReplayJobView>[] = [
  { header: 'ID', value: (j) => j.id },
  { header: 'KIND', value: (j) => j.kind },
  { header: 'STATUS', value: (j) => j.status },
  { header: 'SENT', value: (j) => `${j.sent}/${j.total}` },
  { header: 'SKIPPED', value: (j) => j.skipped },
  { header: 'RATE', value: (j) => `${j.rate_per_second}/s` },
  { header: 'CREATED', value: (j) => when(j.created_at) },
  { header: 'FILTER', value: (j) => filterText(j.filter), max: 80 },
];

const quarantineColumns: Column<QuarantinedView>[] = [
  { header: 'ID', value: (q) => q.id },
  { header: 'QUARANTINED', value: (q) => when(q.quarantined_at) },
  { header: 'TOPIC', value: (q) => `${q.source.topic}[${q.source.partition}]@${q.source.offset}` },
  { header: 'TENANT', value: (q) => q.tenant_id ?? '-' },
  { header: 'CODE', value: (q) => q.code },
  { header: 'STATUS', value: (q) => q.status },
  { header: 'REASON', value: (q) => q.reason, max: 60 },
];

const attemptColumns: Column<AttemptView>[] = [
  { header: '#', value: (a) => a.attempt },
  { header: 'STARTED', value: (a) => when(a.started_at) },
  { header: 'ORIGIN', value: (a) => a.origin },
  { header: 'OUTCOME', value: (a) => a.outcome },
  { header: 'STATUS', value: (a) => a.status_code },
  { header: 'ERROR', value: (a) => a.error_class },
  { header: 'MS', value: (a) => a.duration_ms },
  { header: 'MESSAGE', value: (a) => a.error_message, max: 70 },
];

const deliveryColumns: Column<DeliveryView>[] = [
  { header: 'ID', value: (d) => d.id },
  { header: 'CREATED', value: (d) => when(d.created_at) },
  { header: 'SUBSCRIPTION', value: (d) => d.subscription_id.slice(0, 8) },
  { header: 'EVENT TYPE', value: (d) => d.event_type, max: 32 },
  { header: 'STATUS', value: (d) => d.status },
  { header: 'ATTEMPTS', value: (d) => d.attempts },
  { header: 'LAST', value: (d) => d.last_status_code },
  { header: 'DELIVERED', value: (d) => when(d.delivered_at) },
  { header: 'NEXT RETRY', value: (d) => when(d.next_retry_at) },
];

const feedColumns: Column<FeedItem>[] = [
  { header: 'RECEIVED', value: (i) => when(i.event.received_at) },
  { header: 'EVENT', value: (i) => i.event.id, max: 40 },
  { header: 'TYPE', value: (i) => i.event.type, max: 32 },
  { header: 'STATUS', value: (i) => i.delivery.status },
  { header: 'ATTEMPTS', value: (i) => i.delivery.attempts },
  { header: 'LAST', value: (i) => i.delivery.last_status_code },
  { header: 'ERROR', value: (i) => i.delivery.last_error, max: 60 },
];

const subscriptionColumns: Column<Subscription>[] = [
  { header: 'ID', value: (s) => s.id },
  { header: 'ENABLED', value: (s) => (s.enabled ? 'yes' : `no (${s.disabled_reason ?? 'manual'})`) },
  { header: 'URL', value: (s) => s.url },
  { header: 'EVENT TYPES', value: (s) => s.event_types.join(','), max: 40 },
  { header: 'AUTH', value: (s) => s.auth?.type ?? '-' },
  { header: 'NAME', value: (s) => s.name, max: 30 },
];

/** Runs one command against the services and prints its result (JSON with --json, tables otherwise). */
export class Commands {
  constructor(
    private readonly hs: HookstreamClient,
    private readonly globals: Globals,
    private readonly io: Output,
    private readonly pollMs = 1000,
    /** Ends `tail` (Ctrl-C). */
    private readonly stop: AbortSignal = new AbortController().signal,
  ) {}

  async run(command: Exclude<Command, { kind: 'help' } | { kind: 'version' }>): Promise<Exit> {
    const tenant = this.globals.tenant;
    switch (command.kind) {
      case 'dlq ls': {
        const query = { ...command.filter, error_class: asGiven<ErrorClass>(command.filter.error_class), replayed: asGiven<'true' | 'false'>(command.replayed === undefined ? undefined : String(command.replayed)), tenant_id: tenant };
        await this.list((limit, cursor) => answer(this.hs.GET('/v1/dead-letters', { params: { query: { ...query, limit, cursor } } })), command.page, letterColumns, 'no dead letters match');
        return 0;
      }
      case 'dlq show': {
        const letter = await answer(this.hs.GET('/v1/dead-letters/{id}', { params: { path: { id: command.id }, query: { tenant_id: tenant } } }));
        this.print(letter, () => showLetter(letter));
        return 0;
      }
      case 'dlq replay': {
        // A forced replay must carry a key (so that retrying a request is safe); this invocation is one request.
        const key = command.idempotencyKey ?? (command.force ? `cli-${randomUUID()}` : undefined);
        const replay = await answer(
          this.hs.POST('/v1/dead-letters/{id}/replay', {
            params: { path: { id: command.id }, query: { tenant_id: tenant, ...(command.force ? { force: 'true' as const } : {}) }, header: key ? { 'Idempotency-Key': key } : {} },
          }),
        );
        this.print(replay, () =>
          replay.created
            ? `replayed ${replay.delivery_id} as generation ${replay.generation ?? '?'} (replay ${replay.replay_id}); same webhook-id, fresh retry schedule`
            : `already replayed by an earlier request with the same key (replay ${replay.replay_id}, ${replay.status}); nothing sent again`,
        );
        return 0;
      }
      case 'dlq replay-bulk': {
        const body = { ...(tenant ? { tenant_id: tenant } : {}), filter: { ...command.filter, error_class: asGiven<ErrorClass>(command.filter.error_class) }, ...jobBody(command.job) };
        return this.submit(answer(this.hs.POST('/v1/replay-jobs', { params: { header: idempotency(command.job) }, body })), command.job);
      }
      case 'dlq recover': {
        const body = { ...(tenant ? { tenant_id: tenant } : {}), subscription_id: command.subscriptionId, since: command.since, ...jobBody(command.job) };
        return this.submit(answer(this.hs.POST('/v1/replay-jobs/recover', { params: { header: idempotency(command.job) }, body })), command.job);
      }
      case 'jobs ls':
        await this.list((limit, cursor) => answer(this.hs.GET('/v1/replay-jobs', { params: { query: { status: asGiven<JobStatus>(command.status), tenant_id: tenant, limit, cursor } } })), command.page, jobColumns, 'no replay jobs');
        return 0;
      case 'jobs show': {
        const job = await answer(this.hs.GET('/v1/replay-jobs/{id}', { params: { path: { id: command.id }, query: { tenant_id: tenant } } }));
        return command.wait ? this.follow(job) : this.printJob(job);
      }
      case 'jobs cancel': {
        const job = await answer(this.hs.POST('/v1/replay-jobs/{id}/cancel', { params: { path: { id: command.id }, query: { tenant_id: tenant } } }));
        this.print(job, () => `cancelled: ${progressLine(job)}\nthe ${job.total - job.sent - job.skipped} dead letters it had not reached are untouched`);
        return 0;
      }
      case 'tail':
        return this.tail(command.subscriptionId);
      case 'events':
        return this.feed(command);
      case 'quarantine ls':
        await this.list((limit, cursor) => answer(this.hs.GET('/v1/quarantine', { params: { query: { ...command.filter, status: asGiven<QuarantineStatus>(command.filter.status), topic: asGiven<QuarantineTopic>(command.filter.topic), tenant_id: tenant, limit, cursor } } })), command.page, quarantineColumns, 'no quarantined messages match');
        return 0;
      case 'quarantine show': {
        const q = await answer(this.hs.GET('/v1/quarantine/{id}', { params: { path: { id: command.id }, query: { tenant_id: tenant } } }));
        this.print(q, () => showQuarantined(q));
        return 0;
      }
      case 'quarantine redrive': {
        const r = await answer(this.hs.POST('/v1/quarantine/{id}/redrive', { params: { path: { id: command.id }, query: { tenant_id: tenant } } }));
        this.print(r, () =>
          r.created
            ? `re-drove ${r.id} to ${r.source.topic}: its original bytes and headers are back on the topic`
            : `already re-driven at ${when(r.redriven_at)} by ${r.redriven_by ?? '?'}; nothing sent again`,
        );
        return 0;
      }
      case 'deliveries ls': {
        const query = { ...command.filter, status: asGiven<DeliveryStatus>(command.status), tenant_id: tenant };
        await this.list((limit, cursor) => answer(this.hs.GET('/v1/deliveries', { params: { query: { ...query, limit, cursor } } })), command.page, deliveryColumns, 'no deliveries match');
        return 0;
      }
      case 'deliveries show': {
        const delivery = await answer(this.hs.GET('/v1/deliveries/{id}', { params: { path: { id: command.id }, query: { tenant_id: tenant } } }));
        this.print(delivery, () => showDelivery(delivery));
        return 0;
      }
      case 'subscriptions ls':
        await this.list((limit, cursor) => answer(this.hs.GET('/v1/subscriptions', { params: { query: { tenant_id: tenant, limit, cursor } } })), command.page, subscriptionColumns, 'no subscriptions');
        return 0;
      case 'subscriptions match': {
        const body = { event_type: command.eventType, ...(command.data ? { data: command.data } : {}), ...(tenant ? { tenant_id: tenant } : {}) };
        const result = await answer(this.hs.POST('/v1/subscriptions/match', { body }));
        this.print(result, () => matchText(result));
        return 0;
      }
      case 'tenants enable':
      case 'tenants disable': {
        const enabled = command.kind === 'tenants enable';
        const t = await answer(this.hs.PATCH('/v1/tenants/{tenantId}', { params: { path: { tenantId: command.tenantId } }, body: { enabled } }));
        this.print(t, () =>
          enabled
            ? `enabled tenant ${t.id}: its parked fan-outs and waiting deliveries go out within a minute`
            : `disabled tenant ${t.id}: its events are still accepted and stored, and nothing is delivered until it is enabled`,
        );
        return 0;
      }
      case 'subscriptions batch': {
        const sub = await answer(this.hs.PATCH('/v1/subscriptions/{id}', { params: { path: { id: command.id }, query: { tenant_id: tenant } }, body: { batch: command.batch } }));
        const b = sub.batch;
        this.print(sub, () =>
          b
            ? `${sub.id} (${sub.url}) now gets its events in batches: up to ${b.max_events} events and ${b.max_bytes} bytes per signed request, the first waiting up to ${b.max_wait_ms} ms for others (docs/guides/batching.md)`
            : `${sub.id} (${sub.url}) now gets one event per request; batches that already failed retry one event per request`,
        );
        return 0;
      }
      case 'subscriptions enable':
      case 'subscriptions disable': {
        const enable = command.kind === 'subscriptions enable';
        const body = enable ? { enabled: true } : { enabled: false, disabled_reason: asGiven<DisabledReason>(command.reason) };
        const sub = await answer(this.hs.PATCH('/v1/subscriptions/{id}', { params: { path: { id: command.id }, query: { tenant_id: tenant } }, body }));
        this.print(sub, () =>
          enable
            ? `enabled ${sub.id} (${sub.url}); dead letters are not re-sent by this: see hookstream dlq recover`
            : `disabled ${sub.id} (${sub.url}), reason ${sub.disabled_reason ?? 'manual'}; new events are not sent to it: they are dead-lettered (ordered ones wait in their keys), and hookstream dlq recover sends them once it is enabled`,
        );
        return 0;
      }
    }
  }

  /**
   * Prints attempt outcomes as they happen, one line each (one JSON object per line with --json),
   * until interrupted or the service ends the stream (it restarted: run it again).
   */
  private async tail(subscriptionId: string | undefined): Promise<Exit> {
    const parser = new SseParser();
    const query = { tenant_id: this.globals.tenant, subscription_id: subscriptionId };
    if (!this.globals.json) this.io.err(`watching deliveries${subscriptionId ? ` of ${subscriptionId}` : ''} live; Ctrl-C to stop`);
    let stream: ReadableStream<Uint8Array> | null = null;
    try {
      stream = await answer(this.hs.GET('/v1/deliveries/stream', { params: { query }, headers: { accept: 'text/event-stream' }, parseAs: 'stream', signal: this.stop }));
    } catch (err) {
      if (!this.stop.aborted) throw err;
    }
    const decoder = new TextDecoder();
    try {
      for await (const chunk of stream ?? []) {
        for (const m of parser.feed(decoder.decode(chunk, { stream: true }))) {
          const s = JSON.parse(m.data) as DeliveryStatusMessage;
          this.io.out(this.globals.json ? JSON.stringify(s) : outcomeLine(s));
        }
      }
    } catch (err) {
      if (!this.stop.aborted) throw err;
    }
    if (!this.stop.aborted) this.io.err('the dlq-inspector ended the stream (it is restarting?); run hookstream tail again');
    return 0;
  }

  /**
   * The catch-up feed: one page, every page to the end (--all), or to the end and then each new
   * item as it becomes readable (--follow, one line each, until interrupted). Always says where
   * to read on: the cursor is the poller's state.
   */
  private async feed(command: Extract<Command, { kind: 'events' }>): Promise<Exit> {
    const read = (after: string | undefined) =>
      answer(this.hs.GET('/v1/subscriptions/{id}/events', { params: { path: { id: command.subscriptionId }, query: { tenant_id: this.globals.tenant, after, limit: command.limit } } }));
    let after = command.after;
    if (command.follow) {
      if (!this.globals.json) this.io.err(`following the feed of ${command.subscriptionId}; Ctrl-C to stop`);
      while (!this.stop.aborted) {
        const page = await read(after);
        for (const item of page.data) this.io.out(this.globals.json ? JSON.stringify(item) : feedLine(item));
        after = page.next_cursor;
        if (!page.has_more) await sleep(this.pollMs, this.stop);
      }
      if (!this.globals.json && after) this.io.err(`read on with --after ${after}`);
      return 0;
    }
    const items: FeedItem[] = [];
    let page: FeedPage;
    do {
      page = await read(after);
      items.push(...page.data);
      after = page.next_cursor;
    } while (command.all && page.has_more);
    if (this.globals.json) {
      this.io.out(JSON.stringify({ data: items, next_cursor: page.next_cursor, has_more: page.has_more }, null, 2));
      return 0;
    }
    this.io.out(items.length ? table(feedColumns, items) : 'nothing matched after this point yet');
    this.io.err(page.has_more ? `more: add --after ${page.next_cursor} (or --all)` : `at the end; read on later with --after ${page.next_cursor}`);
    return 0;
  }

  /** Fetches one page (or, with --all, every page) through `fetchPage` and prints the rows. */
  private async list<T>(fetchPage: (limit: number | undefined, cursor: string | undefined) => Promise<ListPage<T>>, page: Page, columns: Column<T>[], empty: string): Promise<void> {
    const rows: T[] = [];
    let cursor = page.cursor;
    let next: string | null = null;
    do {
      const res = await fetchPage(page.limit, cursor);
      rows.push(...res.data);
      next = res.next_cursor;
      cursor = next ?? undefined;
    } while (page.all && next);
    if (this.globals.json) {
      this.io.out(JSON.stringify({ data: rows, next_cursor: next }, null, 2));
      return;
    }
    this.io.out(rows.length ? table(columns, rows) : empty);
    if (next) this.io.err(`more: add --cursor ${next} (or --all)`);
  }

  private async submit(call: Promise<CreatedReplayJob | ReplayJobDryRun>, opts: JobOptions): Promise<Exit> {
    const result = await call;
    if ('dry_run' in result) {
      this.print(result, () => `would replay ${result.matched} dead letters at ${result.rate_per_second}/s, in about ${result.estimated_seconds} s; nothing was sent`);
      return 0;
    }
    if (!result.created) this.io.err(`an existing job has this Idempotency-Key: ${result.id}; no new job was started`);
    return opts.wait ? this.follow(result) : this.printJob(result);
  }

  /** Polls the job until it ends, telling progress on stderr; exit 0 when completed, 1 when cancelled. */
  private async follow(start: ReplayJobView): Promise<Exit> {
    let job = start;
    let last = '';
    for (;;) {
      const line = progressLine(job);
      if (line !== last) this.io.err(line);
      last = line;
      if (job.status === 'completed' || job.status === 'cancelled') break;
      await new Promise((r) => setTimeout(r, this.pollMs));
      job = await answer(this.hs.GET('/v1/replay-jobs/{id}', { params: { path: { id: job.id }, query: { tenant_id: this.globals.tenant } } }));
    }
    return this.printJob(job);
  }

  private printJob(job: ReplayJobView): Exit {
    this.print(job, () =>
      fields([
        ['job', job.id],
        ['kind', job.kind],
        ['tenant', job.tenant_id ?? 'every tenant'],
        ['filter', filterText(job.filter)],
        ['status', job.status],
        ['progress', `${job.sent} sent, ${job.skipped} skipped, ${job.pending} pending of ${job.total}`],
        ['rate', `${job.rate_per_second}/s`],
        ['requested by', job.requested_by],
        ['idempotency key', job.idempotency_key],
        ['created', when(job.created_at)],
        ['started', when(job.started_at)],
        ['finished', when(job.finished_at)],
        ['cancelled by', job.cancelled_by],
        ['last error', job.last_error],
      ]),
    );
    return job.status === 'cancelled' ? 1 : 0;
  }

  private print(value: unknown, human: () => string): void {
    this.io.out(this.globals.json ? JSON.stringify(value, null, 2) : human());
  }
}

/** `2026-11-23T12:00:01Z  evt_…  order.placed  delivered  200` with the last error when there is one. */
export function feedLine(item: FeedItem): string {
  const d = item.delivery;
  return [when(item.event.received_at), item.event.id, item.event.type, d.status.padEnd(9), d.last_status_code ?? '-', d.last_error ?? ''].join('  ').trimEnd();
}

/** Resolves after `ms`, or at once when `stop` fires. */
function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stop.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** `2026-11-23T12:00:01Z  delivered        200  412ms  sub 1f2e…  evt_…  attempt 1  delivery …` */
export function outcomeLine(s: DeliveryStatusMessage): string {
  const code = s.status_code === null ? (s.error_class ?? '-') : String(s.status_code);
  const ms = s.duration_ms === null ? '-' : `${s.duration_ms}ms`;
  return [when(s.at), s.outcome.padEnd(15), code.padEnd(12), ms.padStart(7), `sub ${s.subscription_id.slice(0, 8)}`, s.event_id, `attempt ${s.attempt}`, `delivery ${s.delivery_id}`].join('  ');
}

/** The Idempotency-Key header a job request carries, when --idempotency-key gave one. */
function idempotency(job: JobOptions): { 'Idempotency-Key'?: string } {
  return job.idempotencyKey ? { 'Idempotency-Key': job.idempotencyKey } : {};
}

function jobBody(job: JobOptions): { rate_per_second?: number; dry_run?: boolean } {
  return { ...(job.rate === undefined ? {} : { rate_per_second: job.rate }), ...(job.dryRun ? { dry_run: true } : {}) };
}

function filterText(filter: Record<string, unknown>): string {
  const parts = Object.entries(filter).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(' ') : 'every dead letter';
}

/** One delivery: where it stands (delivered when, or its next retry), then every attempt. */
function showDelivery(d: DeliveryDetail): string {
  const head = fields([
    ['delivery', d.id],
    ['tenant', d.tenant_id],
    ['subscription', d.subscription_id],
    ['event', `${d.event_id} (${d.event_type})`],
    ['status', `${d.status} after ${d.attempts} attempt(s), generation ${d.generation}`],
    ['created', when(d.created_at)],
    ['delivered', when(d.delivered_at)],
    ['next retry', when(d.next_retry_at)],
    ['last status', d.last_status_code],
    ['last error', d.last_error],
  ]);
  const attempts = d.attempt_history.length
    ? table(attemptColumns, d.attempt_history)
    : 'no attempts recorded';
  return `${head}\n\nattempts\n${attempts}`;
}

function showLetter(l: DeadLetterDetail): string {
  const head = fields([
    ['dead letter', l.id],
    ['tenant', l.tenant_id],
    ['subscription', l.subscription_id],
    ['event', `${l.event_id} (${l.event_type})`],
    ['died', `${when(l.dead_at)} after ${l.attempts} attempt(s), generation ${l.generation}`],
    ['reason', l.reason],
    ['error class', l.error_class],
    ['last status', l.last_status_code],
    ['first attempt', when(l.first_attempt_at)],
    ['replayed', l.replayed ? `yes, last at ${when(l.replayed_at)} (${l.replay_count} in all)` : l.replay_count ? `not since it last died (${l.replay_count} earlier)` : 'no'],
    ['delivery now', l.delivery_status],
  ]);
  const attempts = l.attempt_history.length
    ? table(attemptColumns, l.attempt_history)
    : 'no attempts recorded';
  const replays = l.replays.length
    ? table<ReplayAuditView>(
        [
          { header: 'REPLAY', value: (r) => r.replay_id },
          { header: 'REQUESTED', value: (r) => when(r.requested_at) },
          { header: 'BY', value: (r) => r.requested_by },
          { header: 'JOB', value: (r) => r.job_id },
          { header: 'STATUS', value: (r) => r.status },
          { header: 'GEN', value: (r) => r.generation },
          { header: 'DETAIL', value: (r) => r.detail, max: 60 },
        ],
        l.replays,
      )
    : 'never replayed';
  return `${head}\n\nattempts\n${attempts}\n\nreplays\n${replays}\n\npayload\n${JSON.stringify(l.payload, null, 2)}`;
}

function showQuarantined(q: QuarantinedDetail): string {
  const bytes = (b: QuarantinedDetail['value']) => (b === null ? '(none)' : b.encoding === 'utf8' ? b.data : `base64:${b.data}`);
  const head = fields([
    ['quarantined', q.id],
    ['tenant', q.tenant_id ?? 'none named (admin only)'],
    ['source', `${q.source.topic} partition ${q.source.partition} offset ${q.source.offset}`],
    ['group', q.consumer_group],
    ['code', q.code],
    ['reason', q.reason],
    ['at', when(q.quarantined_at)],
    ['status', q.status === 'redriven' ? `re-driven at ${when(q.redriven_at)} by ${q.redriven_by ?? '?'}` : 'quarantined'],
    ['key', bytes(q.key)],
  ]);
  const headers = q.headers.length ? q.headers.map((h) => `  ${bytes(h.name)}: ${bytes(h.value)}`).join('\n') : '  (none)';
  return `${head}\n\ndetails\n${JSON.stringify(q.details, null, 2)}\n\nheaders\n${headers}\n\nvalue (${q.value_bytes} bytes)\n${bytes(q.value)}`;
}
