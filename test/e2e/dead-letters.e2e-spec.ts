import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { CreatedReplayJob, DeadLetterView, DeliveryView, ListPage, ReplayJobView } from '@hookstream/contracts';
import { createHookstreamClient } from '@hookstream/client';
import { parseApiKey } from '@hookstream/domain';
import { freePort, usePipeline, waitFor } from '@hookstream/testing';
import { deadLetter, produceDeadLetters, waitForStored } from '../../apps/dlq-inspector/test/dead-letter-seed.js';
import { type CliRun, runCli } from './cli-process.js';
import { runJavaSdk, runPythonSdk, type SdkTarget } from './sdk-suites.js';

/** The most values in any half-open window [t, t + windowMs). */
function maxInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (j < sorted.length && (sorted[j] ?? 0) < (sorted[i] ?? 0) + windowMs) j++;
    max = Math.max(max, j - i);
  }
  return max;
}

/**
 * Dead letters end to end: a bulk replay of 10,000 through the real dispatcher to a receiver
 * that counts requests per second, and the hookstream CLI, as a process, against the services.
 */
describe('dead letters, replays and the on-call CLI (five services)', () => {
  const failing = new Set<string>();
  const secret = `whsec_${randomBytes(24).toString('base64')}`;

  const fx = usePipeline('deadletters', {
    receiver: { secret, respond: (req) => (failing.has(req.path) ? { status: 500, body: 'down' } : { status: 200, body: 'ok' }) },
    env: { dispatcher: { RETRY_DELAYS: '1s,1s', BREAKER_VOLUME_THRESHOLD: '100000' }, 'dlq-inspector': { REPLAY_JOB_POLL_MS: '200' } },
  });

  async function subscribe(apiKey: string, path: string): Promise<string> {
    const res = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}${path}`, event_types: ['order.*'], secret });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** Publishes one event and waits for it at every path: the dispatcher knows the subscriptions. */
  async function warmUp(tenantId: string, apiKey: string, paths: string[]): Promise<void> {
    const id = `evt_warm_${randomUUID()}`;
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, { id, type: 'order.placed', tenant_id: tenantId, occurred_at: new Date().toISOString(), data: {} })).status).toBe(202);
    await fx.receiver.waitForRequests(paths.length, 30_000, (r) => paths.includes(r.path) && r.headers['webhook-id'] === id);
  }

  it('replays 10,000 dead letters under a rate limit: progress on the way, fully audited, never over the rate at the receiver', async () => {
    // Four subscriptions, so the dispatcher works several partitions and could send far faster
    // than the limit (one partition alone managed 400-450 a second on the loaded test machine).
    const rate = 400;
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const paths = ['/bulk-0', '/bulk-1', '/bulk-2', '/bulk-3'];
    const subscriptions = await Promise.all(paths.map((p) => subscribe(apiKey, p)));
    await warmUp(tenantId, apiKey, paths);
    const letters = Array.from({ length: 10_000 }, (_, i) => deadLetter({ tenantId, subscriptionId: subscriptions[i % 4] ?? '', deadAt: new Date(Date.now() - 60_000) }));
    const seeding = Date.now();
    await produceDeadLetters(fx.stack, letters);
    await waitForStored(fx.stack, letters, 60_000);
    const seededMs = Date.now() - seeding;
    const isBulk = (r: { path: string }) => paths.includes(r.path);
    const receivedBefore = fx.receiver.requests.filter(isBulk).length;

    const submit = () => fx.pipeline.call<CreatedReplayJob>('dlq-inspector', 'POST', '/v1/replay-jobs', apiKey, { filter: { event_type: 'order.*' }, rate_per_second: rate }, { 'idempotency-key': `bulk-${tenantId}` });
    const job = await submit();
    expect(job.status).toBe(202);
    expect(job.body).toMatchObject({ total: 10_000, rate_per_second: rate, created: true });
    const again = await submit();
    expect(again).toMatchObject({ status: 200, body: { id: job.body.id, created: false } });

    const started = Date.now();
    const snapshots: number[] = [];
    const done = await waitFor(
      async () => {
        const j = await fx.pipeline.call<ReplayJobView>('dlq-inspector', 'GET', `/v1/replay-jobs/${job.body.id}`, apiKey);
        snapshots.push(j.body.sent);
        return j.body.status === 'completed' ? j.body : undefined;
      },
      150_000,
      'the bulk replay to complete',
      250,
    );
    const jobMs = Date.now() - started;
    expect(done).toMatchObject({ status: 'completed', total: 10_000, sent: 10_000, skipped: 0, progress: 1 });
    // Progress was reported on the way, and only ever grew.
    expect(new Set(snapshots.filter((s) => s > 0 && s < 10_000)).size).toBeGreaterThanOrEqual(5);
    expect(snapshots.every((s, i) => i === 0 || s >= (snapshots[i - 1] ?? 0))).toBe(true);

    const bulk = await fx.receiver.waitForRequests(receivedBefore + 10_000, 60_000, isBulk);
    const replayed = bulk.slice(receivedBefore);
    // Each event once, with its original webhook-id, signed.
    expect(new Set(replayed.map((r) => String(r.headers['webhook-id'])))).toEqual(new Set(letters.map((l) => l.delivery.event_id)));
    expect(replayed.every((r) => r.signatureValid === true)).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect(fx.receiver.requests.filter(isBulk).length - receivedBefore).toBe(10_000);

    // Requests per second at the receiver, by the second each was sent (webhook-timestamp) ...
    const perSecond = new Map<string, number>();
    for (const r of replayed) perSecond.set(String(r.headers['webhook-timestamp']), (perSecond.get(String(r.headers['webhook-timestamp'])) ?? 0) + 1);
    const busiestSecond = Math.max(...perSecond.values());
    expect(busiestSecond).toBeLessThanOrEqual(rate);
    // ... and in every sliding second of the dispatcher's attempt start times.
    const attempts = await fx.stack.query<{ started_at: Date }>("SELECT started_at FROM delivery_attempts WHERE subscription_id = ANY($1::uuid[]) AND origin = 'replay'", [subscriptions]);
    expect(attempts).toHaveLength(10_000);
    const busiestWindow = maxInWindow(attempts.map((a) => new Date(a.started_at).getTime()));
    expect(busiestWindow).toBeLessThanOrEqual(rate);
    const arrivalWindow = maxInWindow(replayed.map((r) => r.at));

    // Fully audited: one sent replay row per letter, by this key, in generation 1; the job says who and when.
    const keyId = parseApiKey(apiKey)?.id;
    const audit = await fx.stack.query<{ n: string }>(
      "SELECT count(*) AS n FROM replays WHERE job_id = $1 AND status = 'sent' AND generation = 1 AND requested_by = $2 AND sent_at IS NOT NULL",
      [job.body.id, keyId],
    );
    expect(audit[0]?.n).toBe('10000');
    const [jobRow] = await fx.stack.query<{ requested_by: string; finished_at: Date | null }>('SELECT requested_by, finished_at FROM replay_jobs WHERE id = $1', [job.body.id]);
    expect(jobRow?.requested_by).toBe(keyId);
    expect(jobRow?.finished_at).not.toBeNull();
    const letterRows = await fx.stack.query<{ n: string }>('SELECT count(*) AS n FROM dead_letters WHERE tenant_id = $1 AND replay_count = 1 AND replayed_dead_at = dead_at', [tenantId]);
    expect(letterRows[0]?.n).toBe('10000');

    process.stdout.write(
      `bulk replay: 10,000 dead letters seeded in ${seededMs} ms; job ran ${jobMs} ms (${Math.round(10_000 / (jobMs / 1000))}/s effective) at a limit of ${rate}/s; ` +
        `busiest second at the receiver by webhook-timestamp ${busiestSecond}, busiest sliding second of attempt starts ${busiestWindow}, of arrivals ${arrivalWindow}; ${snapshots.length} progress polls\n`,
    );
  });

  it('serves the TypeScript SDK: create a subscription, publish, list deliveries, replay a dead letter, read an error', async () => {
    const { apiKey } = await fx.pipeline.createTenant();
    const hs = createHookstreamClient({
      apiKey,
      urls: { ingressGateway: fx.pipeline.url('ingress-gateway'), subscriptionRegistry: fx.pipeline.url('subscription-registry'), dlqInspector: fx.pipeline.url('dlq-inspector') },
    });
    failing.add('/sdk');
    const created = await hs.POST('/v1/subscriptions', { body: { url: `${fx.receiver.url}/sdk`, event_types: ['order.*'], secret } });
    expect(created.response.status).toBe(201);
    const subscriptionId = created.data?.id ?? '';

    // Published until the dispatcher's index knows the subscription; each attempt fails (500).
    const eventId = `evt_sdk_${randomUUID()}`;
    await waitFor(
      async () => {
        const published = await hs.POST('/v1/events', { body: { id: eventId, type: 'order.placed', occurred_at: new Date().toISOString(), data: { n: 1 } } });
        expect([200, 202]).toContain(published.response.status);
        return fx.receiver.requests.some((r) => r.path === '/sdk') || undefined;
      },
      30_000,
      'the first attempt at /sdk',
      1000,
    );
    const dead = await waitFor(
      async () => (await hs.GET('/v1/dead-letters', { params: { query: { subscription_id: subscriptionId } } })).data?.data[0],
      30_000,
      'the dead letter',
      250,
    );
    expect(dead).toMatchObject({ subscription_id: subscriptionId, event_type: 'order.placed' });
    const deliveries = await hs.GET('/v1/deliveries', { params: { query: { subscription_id: subscriptionId } } });
    expect(deliveries.data?.data.map((d) => d.status)).toEqual(['dead']);

    failing.delete('/sdk');
    const replayedAt = Date.now();
    const replay = await hs.POST('/v1/dead-letters/{id}/replay', { params: { path: { id: dead.id }, header: { 'Idempotency-Key': `sdk-${dead.id}` } } });
    expect(replay.response.status).toBe(202);
    const [redelivered] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/sdk' && r.at >= replayedAt);
    expect(redelivered?.headers['webhook-id']).toBe(eventId);

    // An error is the API's own { code, message, details }, typed.
    const missing = await hs.GET('/v1/subscriptions/{id}', { params: { path: { id: randomUUID() } } });
    expect({ status: missing.response.status, code: missing.error?.code }).toEqual({ status: 404, code: 'not_found' });
  });

  describe('the Java and Python SDKs, each driven by its own test runner', () => {
    // Each suite runs its own receiver on loopback and verifies every delivery's signature there.
    async function target(): Promise<SdkTarget> {
      const { apiKey } = await fx.pipeline.createTenant();
      return { apiKey, gatewayUrl: fx.pipeline.url('ingress-gateway'), registryUrl: fx.pipeline.url('subscription-registry'), dlqUrl: fx.pipeline.url('dlq-inspector') };
    }

    it('Java (Maven Surefire): the flow ran and passed, and so did the unit tests', async () => {
      const run = await runJavaSdk(await target());
      // On a failure the runner's own output is the diagnosis.
      expect({ code: run.code, failed: run.cases.filter((c) => c.outcome !== 'passed'), output: run.code === 0 ? '' : run.output.slice(-6000) }).toEqual({ code: 0, failed: [], output: '' });
      expect(run.cases.map((c) => c.name)).toContain('subscribesPublishesListsAndReplaysADeadLetter');
    }, 600_000);

    it('Python (pytest): the flow ran and passed, and so did the unit tests', async () => {
      const run = await runPythonSdk(await target());
      expect({ code: run.code, failed: run.cases.filter((c) => c.outcome !== 'passed'), output: run.code === 0 ? '' : run.output.slice(-6000) }).toEqual({ code: 0, failed: [], output: '' });
      expect(run.cases.map((c) => c.name)).toContain('test_subscribes_publishes_lists_and_replays_a_dead_letter');
    }, 180_000);
  });

  describe('the hookstream CLI', () => {
    let tenantId: string;
    let apiKey: string;
    let flaky: string;
    let spare: string;
    const since = new Date(Date.now() - 1000).toISOString();

    /** Runs the CLI as a process against the fixture's services, with this tenant's key. */
    function cli(args: string[], opts: { env?: Record<string, string>; npx?: boolean } = {}): Promise<CliRun> {
      const env = { HOOKSTREAM_API_KEY: apiKey, HOOKSTREAM_DLQ_URL: fx.pipeline.url('dlq-inspector'), HOOKSTREAM_REGISTRY_URL: fx.pipeline.url('subscription-registry'), ...opts.env };
      return runCli(args, env, { npx: opts.npx === true });
    }

    beforeAll(async () => {
      ({ tenantId, apiKey } = await fx.pipeline.createTenant());
      flaky = await subscribe(apiKey, '/flaky');
      spare = await subscribe(apiKey, '/spare');
      await warmUp(tenantId, apiKey, ['/flaky', '/spare']);
      failing.add('/flaky');
      for (let i = 0; i < 3; i++) {
        const event = { id: `evt_cli_${i}_${randomUUID()}`, type: 'order.placed', tenant_id: tenantId, occurred_at: new Date().toISOString(), data: { i } };
        expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event)).status).toBe(202);
      }
      // Three attempts each (RETRY_DELAYS=1s,1s), then dead.
      await waitFor(async () => {
        const res = await fx.pipeline.call<ListPage<DeadLetterView>>('dlq-inspector', 'GET', `/v1/dead-letters?subscription_id=${flaky}`, apiKey);
        return res.body.data.length === 3;
      }, 60_000, 'three dead letters');
    }, 120_000);

    it('lists and shows dead letters as tables or JSON, with their attempt history', async () => {
      const ls = await cli(['dlq', 'ls', '--subscription', flaky], { npx: true });
      expect(ls).toMatchObject({ code: 0, stderr: expect.not.stringContaining('error') as unknown });
      const [header, ...rows] = ls.stdout.trim().split('\n');
      expect(header).toMatch(/^ID\s+DIED\s+SUBSCRIPTION\s+EVENT TYPE\s+STATUS\s+ERROR\s+ATTEMPTS\s+REPLAYED$/);
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row).toMatch(/^[0-9a-f-]{36}\s+\S+Z\s+[0-9a-f]{8}\s+order\.placed\s+500\s+http_status\s+3\s+no$/);

      const json = await cli(['dlq', 'ls', '--subscription', flaky, '--json', '--limit', '2', '--all']);
      expect(json.code).toBe(0);
      const listed = JSON.parse(json.stdout) as ListPage<DeadLetterView>;
      expect(listed.data).toHaveLength(3);
      expect(listed.next_cursor).toBeNull();

      const id = listed.data[0]?.id ?? '';
      const show = await cli(['dlq', 'show', id]);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain(`dead letter:   ${id}`);
      expect(show.stdout).toMatch(/reason:\s+all 3 attempts failed; last: .*500/);
      const attemptRows = show.stdout.split('\nattempts\n')[1]?.split('\n\n')[0]?.split('\n').slice(1) ?? [];
      expect(attemptRows.map((r) => r.split(/\s+/).slice(0, 5).join(' '))).toEqual([
        expect.stringMatching(/^1 \S+Z fanout retry_scheduled 500$/),
        expect.stringMatching(/^2 \S+Z retry retry_scheduled 500$/),
        expect.stringMatching(/^3 \S+Z retry dead_lettered 500$/),
      ]);
      expect(show.stdout).toContain('never replayed');

      // The same deliveries from the delivery history: dead, so neither delivered nor retrying.
      const dead = await cli(['deliveries', 'ls', '--subscription', flaky, '--status', 'dead', '--json']);
      const deliveries = (JSON.parse(dead.stdout) as ListPage<DeliveryView>).data;
      expect(deliveries).toHaveLength(3);
      for (const d of deliveries) expect(d).toMatchObject({ status: 'dead', attempts: 3, delivered_at: null, next_retry_at: null });
      // The warm-up event reached /spare: delivered, and when.
      const delivered = await cli(['deliveries', 'ls', '--subscription', spare, '--status', 'delivered']);
      const [head, row] = delivered.stdout.trim().split('\n');
      expect(head).toMatch(/^ID\s+CREATED\s+SUBSCRIPTION\s+EVENT TYPE\s+STATUS\s+ATTEMPTS\s+LAST\s+DELIVERED\s+NEXT RETRY$/);
      expect(row).toMatch(/^[0-9a-f-]{36}\s+\S+Z\s+[0-9a-f]{8}\s+order\.placed\s+delivered\s+1\s+200\s+\S+Z\s+-$/);
      const one = await cli(['deliveries', 'show', row?.split(' ')[0] ?? '']);
      expect(one.code).toBe(0);
      expect(one.stdout).toMatch(/delivered:\s+\S+Z/);
      expect(one.stdout).toMatch(/\nattempts\n#\s+STARTED/);
    });

    it('answers mistakes with clear messages and exit codes', async () => {
      const missing = await cli(['dlq', 'show', randomUUID()]);
      expect(missing).toMatchObject({ code: 4, stdout: '' });
      expect(missing.stderr).toMatch(/^hookstream: no dead letter [0-9a-f-]{36} \(404 not_found\)/);
      const invalid = await cli(['dlq', 'ls', '--status-code', '5x']);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain('(422 validation_failed)\n  - status_code: must be a status code such as 503, or a class such as 5xx');
      const usage = await cli(['dlq', 'ls', '--since', 'yesterday']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--since must be an ISO 8601 time');
      const down = await cli(['jobs', 'ls'], { env: { HOOKSTREAM_DLQ_URL: `http://127.0.0.1:${await freePort()}` } });
      expect(down.code).toBe(3);
      expect(down.stderr).toMatch(/cannot reach the dlq-inspector at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
      const badKey = await cli(['subscriptions', 'ls'], { env: { HOOKSTREAM_API_KEY: `hsk_${'a'.repeat(16)}_${'b'.repeat(43)}` } });
      expect(badKey.code).toBe(1);
      expect(badKey.stderr).toContain('(401 unauthenticated)');
    });

    it('disables and enables a subscription, and refuses to recover one that is disabled', async () => {
      const ls = await cli(['subscriptions', 'ls', '--json']);
      expect((JSON.parse(ls.stdout) as ListPage<{ id: string }>).data.map((s) => s.id).sort()).toEqual([flaky, spare].sort());
      const asAdmin = await cli(['subscriptions', 'ls', '--tenant', tenantId], { env: { HOOKSTREAM_API_KEY: fx.stack.adminKey } });
      expect(asAdmin.code).toBe(0);
      expect(asAdmin.stdout).toContain(spare);

      const disabled = await cli(['subscriptions', 'disable', spare, '--reason', 'manual']);
      expect(disabled.code).toBe(0);
      expect(disabled.stdout).toContain(`disabled ${spare}`);
      const refused = await cli(['dlq', 'recover', spare, '--since', '1h']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('is disabled (manual); enable it first');
      expect((await cli(['subscriptions', 'ls'])).stdout).toMatch(new RegExp(`${spare}\\s+no \\(manual\\)`));
      const enabled = await cli(['subscriptions', 'enable', spare]);
      expect(enabled.code).toBe(0);
      expect(enabled.stdout).toContain(`enabled ${spare}`);
    });

    it('pauses and resumes a whole tenant with an admin key; a tenant key may not', async () => {
      // A tenant of its own, so the other tests' deliveries are never held.
      const other = await fx.pipeline.createTenant();
      const own = await cli(['tenants', 'disable', other.tenantId], { env: { HOOKSTREAM_API_KEY: other.apiKey } });
      expect(own.code).toBe(1);
      expect(own.stderr).toContain('403');
      const admin = { env: { HOOKSTREAM_API_KEY: fx.stack.adminKey } };
      const paused = await cli(['tenants', 'disable', other.tenantId], admin);
      expect(paused.code).toBe(0);
      expect(paused.stdout).toContain(`disabled tenant ${other.tenantId}`);
      expect((await fx.stack.query<{ enabled: boolean }>('SELECT enabled FROM tenants WHERE id = $1', [other.tenantId]))[0]?.enabled).toBe(false);
      const resumed = await cli(['tenants', 'enable', other.tenantId, '--json'], admin);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ id: other.tenantId, enabled: true });
    });

    it('says who would receive an event and why the others would not, payload filters included', async () => {
      const patched = await fx.pipeline.call('subscription-registry', 'PATCH', `/v1/subscriptions/${spare}`, apiKey, { filter: { 'data.amount': { $gte: 100 } } });
      expect(patched.status).toBe(200);
      try {
        const small = await cli(['subscriptions', 'match', 'order.placed', '--data', '{"amount": 5}']);
        expect(small.code).toBe(0);
        expect(small.stdout).toContain('the gateway would accept it\n1 would receive it:\n');
        expect(small.stdout).toMatch(new RegExp(`${flaky}.*\\(by order\\.\\*\\)`));
        expect(small.stdout).toContain(spare);
        expect(small.stdout).toContain('payload_filter: filter.data.amount.$gte: data.amount is 5, not ≥ 100');
        const large = await cli(['subscriptions', 'match', 'order.placed', '--data', '{"amount": 500}', '--json']);
        expect((JSON.parse(large.stdout) as { receivers: unknown[] }).receivers).toHaveLength(2);
        const bad = await cli(['subscriptions', 'match', 'order.placed', '--data', 'amount=5']);
        expect(bad.code).toBe(2);
        expect(bad.stderr).toContain('--data must be a JSON object');
      } finally {
        expect((await fx.pipeline.call('subscription-registry', 'PATCH', `/v1/subscriptions/${spare}`, apiKey, { filter: null })).status).toBe(200);
      }
    });

    it('recovers a subscription once its endpoint is back, following the job to the end; a replayed letter needs --force', async () => {
      failing.delete('/flaky');
      const before = fx.receiver.requests.filter((r) => r.path === '/flaky').length;
      const dry = await cli(['dlq', 'recover', flaky, '--since', since, '--dry-run']);
      expect(dry).toMatchObject({ code: 0, stdout: 'would replay 3 dead letters at 10/s, in about 1 s; nothing was sent\n' });

      const recover = await cli(['dlq', 'recover', flaky, '--since', since, '--rate', '50', '--wait', '--json', '--idempotency-key', `recover-${flaky}`]);
      expect(recover.code).toBe(0);
      const job = JSON.parse(recover.stdout) as ReplayJobView;
      expect(job).toMatchObject({ kind: 'recover', status: 'completed', total: 3, sent: 3, filter: { subscription_id: flaky, since } });
      expect(recover.stderr).toMatch(new RegExp(`job ${job.id} completed: 3 sent, 0 skipped of 3 \\(100%\\)`));
      const again = await cli(['dlq', 'recover', flaky, '--since', since, '--rate', '50', '--idempotency-key', `recover-${flaky}`]);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain(`an existing job has this Idempotency-Key: ${job.id}`);

      const delivered = await fx.receiver.waitForRequests(before + 3, 30_000, (r) => r.path === '/flaky');
      const dead = (JSON.parse((await cli(['dlq', 'ls', '--subscription', flaky, '--json'])).stdout) as ListPage<DeadLetterView>).data;
      expect(new Set(delivered.slice(before).map((r) => String(r.headers['webhook-id'])))).toEqual(new Set(dead.map((d) => d.event_id)));
      expect(dead.every((d) => d.replayed && d.replay_count === 1)).toBe(true);
      await waitFor(async () => {
        const letter = JSON.parse((await cli(['dlq', 'show', dead[0]?.id ?? '', '--json'])).stdout) as { delivery_status: string; attempt_history: unknown[] };
        return letter.delivery_status === 'delivered' && letter.attempt_history.length === 4;
      }, 10_000, 'the replay to be recorded as delivered');

      const jobs = await cli(['jobs', 'show', job.id]);
      expect(jobs.stdout).toMatch(/status:\s+completed/);
      expect((await cli(['jobs', 'cancel', job.id])).code).toBe(1);
      expect((JSON.parse((await cli(['jobs', 'ls', '--json'])).stdout) as ListPage<ReplayJobView>).data.map((j) => j.id)).toContain(job.id);

      const id = dead[0]?.id ?? '';
      const twice = await cli(['dlq', 'replay', id]);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain('already replayed since it died');
      const forced = await cli(['dlq', 'replay', id, '--force']);
      expect(forced).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^replayed ${id} as generation 2 `)) as unknown });
      await fx.receiver.waitForRequests(before + 4, 30_000, (r) => r.path === '/flaky');
      const bulkNothing = await cli(['dlq', 'replay-bulk', '--subscription', flaky, '--dry-run']);
      expect(bulkNothing.stdout).toBe('would replay 0 dead letters at 10/s, in about 0 s; nothing was sent\n');
    });
  });
});
