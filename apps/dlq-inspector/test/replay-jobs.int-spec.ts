import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeadLetterMessage, DeliveryMessage } from '@hookstream/contracts';
import { collectTopic, createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { deadLetter, produceDeadLetters, seedSubscription, waitForStored } from './dead-letter-seed.js';

interface Job {
  id: string;
  status: string;
  kind: string;
  total: number;
  sent: number;
  skipped: number;
  pending: number;
  created: boolean;
  filter: Record<string, unknown>;
}

/**
 * Replay jobs on two dlq-inspector replicas sharing one database, with no dispatcher: what a job
 * sends is read back from hookstream.deliveries.
 */
describe('dlq-inspector replay jobs', () => {
  let stack: TestStack;
  let replicas: ServiceProcess[];
  let sent: TopicCollector<DeliveryMessage>;
  let key: string;
  const tenant = `jobs_${randomUUID().slice(0, 8)}`;
  const LEASE_MS = 2000;
  const MAX_LETTERS = 600;

  beforeAll(async () => {
    stack = await createTestStack('replayjobs');
    const env = { ...stack.env(), REPLAY_IN_FLIGHT_TIMEOUT_MS: '0', REPLAY_JOB_LEASE_MS: String(LEASE_MS), REPLAY_JOB_POLL_MS: '200', REPLAY_JOB_MAX_LETTERS: String(MAX_LETTERS) };
    replicas = [new ServiceProcess('dlq-inspector', await freePort(), env), new ServiceProcess('dlq-inspector', await freePort(), env)];
    for (const r of replicas) r.start();
    key = await seedTenantKey(stack, tenant);
    sent = await collectTopic(stack, 'hookstream.deliveries', (v) => (v as DeliveryMessage | null) ?? undefined);
    await Promise.all(replicas.map((r) => r.waitReady()));
  }, 120_000);

  afterAll(async () => {
    await sent?.stop();
    await Promise.all((replicas ?? []).map((r) => r.stop()));
    await stack?.close();
  });

  async function call<T = Job>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, replica = 0) {
    const res = await fetch(`${replicas[replica]?.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async function seedLetters(count: number) {
    const subscriptionId = await seedSubscription(stack, tenant);
    const letters = Array.from({ length: count }, () => deadLetter({ tenantId: tenant, subscriptionId }));
    await produceDeadLetters(stack, letters);
    await waitForStored(stack, letters);
    return { subscriptionId, letters };
  }

  const until = (id: string, done: (j: Job) => boolean, replica = 0) =>
    waitFor(async () => {
      const j = await call('GET', `/v1/replay-jobs/${id}`, undefined, {}, replica);
      return done(j.body) ? j.body : undefined;
    }, 30_000, `replay job ${id}`);

  /** Messages on hookstream.deliveries for these letters. */
  const sentOf = (letters: readonly DeadLetterMessage[]) => {
    const ids = new Set(letters.map((l) => l.delivery.delivery_id));
    return sent.values.filter((m) => ids.has(m.delivery_id));
  };

  it('starts one job for one Idempotency-Key, even submitted twice at once, and sends each letter once', async () => {
    const { subscriptionId, letters } = await seedLetters(40);
    const body = { filter: { subscription_id: subscriptionId }, rate_per_second: 100 };
    const headers = { 'idempotency-key': `twice-${subscriptionId}` };
    const [a, b] = await Promise.all([call('POST', '/v1/replay-jobs', body, headers, 0), call('POST', '/v1/replay-jobs', body, headers, 1)]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
    expect([a.body.created, b.body.created].sort()).toEqual([false, true]);
    expect(a.body).toMatchObject({ kind: 'bulk', total: 40, filter: { subscription_id: subscriptionId } });

    const reused = await call<{ code: string }>('POST', '/v1/replay-jobs', { ...body, rate_per_second: 50 }, headers);
    expect(reused).toMatchObject({ status: 409, body: { code: 'conflict' } });

    const done = await until(a.body.id, (j) => j.status === 'completed');
    expect(done).toMatchObject({ total: 40, sent: 40, skipped: 0, pending: 0 });
    // The same job again without a key finds nothing left to replay.
    const again = await call('POST', '/v1/replay-jobs', body);
    expect(again.body).toMatchObject({ status: 'completed', total: 0 });
    await new Promise((r) => setTimeout(r, 500));
    const messages = sentOf(letters);
    expect(messages).toHaveLength(40);
    expect(new Set(messages.map((m) => m.delivery_id)).size).toBe(40);
    expect(messages.every((m) => m.generation === 1 && m.attempt === 1 && m.origin === 'replay')).toBe(true);

    // The audit: a sent row per letter, by whom, as which generation.
    const audit = await call<{ data: Array<{ status: string; generation: number; requested_by: string; sent_at: string | null }> }>('GET', `/v1/replay-jobs/${a.body.id}/replays?limit=1000`);
    expect(audit.body.data).toHaveLength(40);
    expect(audit.body.data.every((r) => r.status === 'sent' && r.generation === 1 && r.sent_at !== null)).toBe(true);
  });

  it('replays a selection of dead letters by id, and only those', async () => {
    const { letters } = await seedLetters(6);
    const chosen = letters.slice(0, 3).map((l) => l.delivery.delivery_id);
    const job = await call('POST', '/v1/replay-jobs', { filter: { delivery_ids: chosen }, rate_per_second: 100 });
    expect(job).toMatchObject({ status: 202, body: { total: 3, filter: { delivery_ids: chosen } } });
    await until(job.body.id, (j) => j.status === 'completed');
    await new Promise((r) => setTimeout(r, 500));
    expect(sentOf(letters).map((m) => m.delivery_id).sort()).toEqual([...chosen].sort());
    // Another tenant's ids select nothing of theirs: the job is the tenant's own.
    const other = await seedTenantKey(stack, `jobs_other_${randomUUID().slice(0, 6)}`);
    const res = await fetch(`${replicas[0]?.url}/v1/replay-jobs`, { method: 'POST', headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' }, body: JSON.stringify({ filter: { delivery_ids: letters.slice(3).map((l) => l.delivery.delivery_id) }, dry_run: true }) });
    expect(await res.json()).toMatchObject({ dry_run: true, matched: 0 });
  });

  it('previews a job with dry_run, refuses a rate above the bound, and explains bad requests', async () => {
    const { subscriptionId } = await seedLetters(7);
    const dry = await call<{ dry_run: boolean; matched: number; estimated_seconds: number }>('POST', '/v1/replay-jobs', { filter: { subscription_id: subscriptionId }, dry_run: true });
    expect(dry).toEqual({ status: 200, body: { dry_run: true, matched: 7, rate_per_second: 10, estimated_seconds: 1 } });
    expect(await stack.query("SELECT 1 FROM replay_jobs WHERE filter->>'subscription_id' = $1", [subscriptionId])).toEqual([]);
    const tooFast = await call<{ details: { path: string }[] }>('POST', '/v1/replay-jobs', { filter: { subscription_id: subscriptionId }, rate_per_second: 5000 });
    expect(tooFast.status).toBe(422);
    expect(tooFast.body.details.map((d) => d.path)).toEqual(['rate_per_second']);
    const bad = await call<{ details: { path: string }[] }>('POST', '/v1/replay-jobs', { filter: { status_code: 'five hundred', colour: 'red' } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.map((d) => d.path).sort()).toEqual(['filter', 'filter.status_code']);
    expect((await call('POST', '/v1/replay-jobs/recover', { subscription_id: subscriptionId, since: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(422);
    expect((await call('POST', '/v1/replay-jobs/recover', { subscription_id: randomUUID(), since: new Date().toISOString() })).status).toBe(404);
    expect((await call('GET', `/v1/replay-jobs/${randomUUID()}`)).status).toBe(404);
  });

  it('refuses a job wider than REPLAY_JOB_MAX_LETTERS, and creates nothing', async () => {
    const { subscriptionId } = await seedLetters(MAX_LETTERS + 1);
    const filter = { subscription_id: subscriptionId };
    expect((await call<{ matched: number }>('POST', '/v1/replay-jobs', { filter, dry_run: true })).body.matched).toBe(MAX_LETTERS + 1);
    const wide = await call<{ message: string; details: { path: string }[] }>('POST', '/v1/replay-jobs', { filter });
    expect(wide.status).toBe(422);
    expect(wide.body.message).toBe(`the filter matches more than ${MAX_LETTERS} dead letters; narrow it (e.g. with since/until) or split the job`);
    expect(wide.body.details.map((d) => d.path)).toEqual(['filter']);
    expect(await stack.query("SELECT 1 FROM replay_jobs WHERE filter->>'subscription_id' = $1", [subscriptionId])).toEqual([]);
  });

  it('cancels a running job: nothing more is sent once the cancel has answered', async () => {
    const { subscriptionId, letters } = await seedLetters(200);
    const job = await call('POST', '/v1/replay-jobs', { filter: { subscription_id: subscriptionId }, rate_per_second: 20 });
    await until(job.body.id, (j) => j.sent >= 20);
    const cancelled = await call('POST', `/v1/replay-jobs/${job.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const sentAtCancel = cancelled.body.sent;
    expect(sentAtCancel).toBeLessThan(200);
    // 1.5 s is 30 batch intervals at 20/s: a job still running would have sent many more.
    await new Promise((r) => setTimeout(r, 1500));
    expect(sentOf(letters)).toHaveLength(sentAtCancel);
    const after = await call('GET', `/v1/replay-jobs/${job.body.id}`);
    expect(after.body).toMatchObject({ status: 'cancelled', sent: sentAtCancel, pending: 200 - sentAtCancel });
    expect((await call('POST', `/v1/replay-jobs/${job.body.id}/cancel`)).body.status).toBe('cancelled');
    const list = await call<{ data: Job[] }>('GET', '/v1/replay-jobs?status=cancelled');
    expect(list.body.data.map((j) => j.id)).toContain(job.body.id);
  });

  it('recovers exactly what a subscription failed to deliver since T', async () => {
    const subscriptionId = await seedSubscription(stack, tenant);
    const t = new Date(Date.now() - 60_000);
    const before = deadLetter({ tenantId: tenant, subscriptionId, deadAt: new Date(t.getTime() - 1) });
    const atT = deadLetter({ tenantId: tenant, subscriptionId, deadAt: t, statusCode: null, errorClass: 'subscription_disabled' });
    const after = Array.from({ length: 5 }, (_, i) => deadLetter({ tenantId: tenant, subscriptionId, deadAt: new Date(t.getTime() + 1000 * (i + 1)), statusCode: 400 + i }));
    const replayedAlready = deadLetter({ tenantId: tenant, subscriptionId, deadAt: new Date(t.getTime() + 500) });
    const otherSubscription = deadLetter({ tenantId: tenant, subscriptionId: await seedSubscription(stack, tenant), deadAt: new Date(t.getTime() + 500) });
    const all = [before, atT, ...after, replayedAlready, otherSubscription];
    await produceDeadLetters(stack, all);
    await waitForStored(stack, all);
    expect((await call('POST', `/v1/dead-letters/${replayedAlready.delivery.delivery_id}/replay`)).status).toBe(202);

    const preview = await call<{ matched: number }>('POST', '/v1/replay-jobs/recover', { subscription_id: subscriptionId, since: t.toISOString(), dry_run: true });
    expect(preview.body.matched).toBe(6);
    const job = await call('POST', '/v1/replay-jobs/recover', { subscription_id: subscriptionId, since: t.toISOString(), rate_per_second: 100 });
    expect(job.status).toBe(202);
    expect(job.body).toMatchObject({ kind: 'recover', total: 6, filter: { subscription_id: subscriptionId, since: t.toISOString() } });
    await until(job.body.id, (j) => j.status === 'completed');
    await new Promise((r) => setTimeout(r, 500));
    const recovered = sent.values.filter((m) => m.subscription_id === subscriptionId && m.generation === 1).map((m) => m.delivery_id);
    expect(recovered.sort()).toEqual([atT, ...after, replayedAlready].map((l) => l.delivery.delivery_id).sort());
    // The single replay sent replayedAlready; the recover sent the other six.
    const byJob = (await call<{ data: Array<{ delivery_id: string }> }>('GET', `/v1/replay-jobs/${job.body.id}/replays`)).body.data;
    expect(byJob.map((r) => r.delivery_id).sort()).toEqual([atT, ...after].map((l) => l.delivery.delivery_id).sort());
  });

  it('resumes a job on the other replica when the one running it is killed, sending nothing twice', async () => {
    const rate = 150;
    const { subscriptionId, letters } = await seedLetters(MAX_LETTERS);
    const job = await call('POST', '/v1/replay-jobs', { filter: { subscription_id: subscriptionId }, rate_per_second: rate });
    await until(job.body.id, (j) => j.sent >= 100);
    const [holder] = await stack.query<{ lease_owner: string }>('SELECT lease_owner FROM replay_jobs WHERE id = $1', [job.body.id]);
    const victim = replicas.findIndex((r) => holder?.lease_owner.split(':')[1] === String(r.pid));
    expect(victim).toBeGreaterThanOrEqual(0);
    await replicas[victim]?.kill();
    const killedAt = Date.now();
    const survivor = 1 - victim;

    const done = await until(job.body.id, (j) => j.status === 'completed', survivor);
    expect(done).toMatchObject({ total: MAX_LETTERS, sent: MAX_LETTERS, skipped: 0 });
    // Only the survivor can have sent after the kill, and only once the lease had lapsed.
    const [resumed] = await stack.query<{ at: Date | null }>('SELECT min(sent_at) AS at FROM replays WHERE job_id = $1 AND sent_at > $2', [job.body.id, new Date(killedAt)]);
    const takeoverMs = resumed?.at ? new Date(resumed.at).getTime() - killedAt : null;
    expect(takeoverMs).not.toBeNull();

    await new Promise((r) => setTimeout(r, 500));
    const messages = sentOf(letters);
    // Every letter went out as exactly one generation; at most the batch in flight at the kill went twice (same generation, which the dispatcher recognises).
    expect(new Set(messages.map((m) => m.delivery_id)).size).toBe(MAX_LETTERS);
    expect(new Set(messages.map((m) => `${m.delivery_id}/${m.generation}`)).size).toBe(MAX_LETTERS);
    expect(messages.length - MAX_LETTERS).toBeLessThanOrEqual(Math.ceil(rate / 4));
    // The job's own record of when it produced each batch never exceeds its rate in any second.
    const batches = await stack.query<{ at: Date; n: string }>('SELECT sent_at AS at, count(*) AS n FROM replays WHERE job_id = $1 GROUP BY sent_at ORDER BY sent_at', [job.body.id]);
    const times = batches.map((b) => ({ at: new Date(b.at).getTime(), n: Number(b.n) }));
    const max = Math.max(...times.map((b) => times.filter((x) => x.at >= b.at && x.at < b.at + 1000).reduce((s, x) => s + x.n, 0)));
    expect(max).toBeLessThanOrEqual(rate);
    process.stdout.write(`takeover: the other replica resumed the job ${takeoverMs} ms after the kill (lease ${LEASE_MS} ms); ${messages.length - MAX_LETTERS} message(s) produced twice; max ${max}/s\n`);
  });
});
