import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH, freePort, ServiceProcess, usePipeline, waitFor } from '@hookstream/testing';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Screenshots of every page at both widths: test artifacts (docs/images holds the committed ones). */
const ARTIFACTS = join(process.env['HOOKSTREAM_ARTIFACTS'] ?? join(tmpdir(), 'hookstream-artifacts'), 'console');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown }[];
}

/**
 * The web console in a real browser (Debian's Chromium, driven by playwright-core), against the
 * five services and the console's own server, all as processes.
 */
describe('web console (five services, the console server, Chromium)', () => {
  const failing = new Set<string>(['/down']);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const fx = usePipeline('console', {
    receiver: { secret, respond: (req) => (failing.has(req.path) ? { status: 503, body: 'receiver down for maintenance' } : { status: 200, body: 'ok' }) },
    env: { dispatcher: { RETRY_DELAYS: '500ms,500ms', BREAKER_VOLUME_THRESHOLD: '100000' } },
  });
  let consoleServer: ServiceProcess;
  let browser: Browser;
  let base: string;
  /** Script errors and CSP refusals seen on any page: the console must cause none. */
  const problems: string[] = [];

  beforeAll(async () => {
    consoleServer = new ServiceProcess('console', await freePort(), {
      INGRESS_GATEWAY_URL: fx.pipeline.url('ingress-gateway'),
      SUBSCRIPTION_REGISTRY_URL: fx.pipeline.url('subscription-registry'),
      DLQ_INSPECTOR_URL: fx.pipeline.url('dlq-inspector'),
    });
    consoleServer.start();
    await consoleServer.waitReady(30_000);
    base = consoleServer.url;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  // Each test answers for the problems of its own pages.
  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    await browser.close();
    await consoleServer.stop();
  });

  async function openPage(width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'Africa/Johannesburg' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
    });
    return page;
  }

  async function signIn(page: Page, apiKey: string): Promise<void> {
    await page.goto(`${base}/`);
    await page.getByLabel(/API key/).fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
  }

  async function subscribe(apiKey: string, path: string): Promise<string> {
    const res = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}${path}`, event_types: ['order.*'], secret });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function publish(apiKey: string, tenantId: string, type = 'order.placed'): Promise<string> {
    const id = `evt_${randomUUID()}`;
    const res = await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, { id, type, tenant_id: tenantId, occurred_at: new Date().toISOString(), data: { order: 42, note: '<img src=x onerror=alert(1)>' } });
    expect(res.status).toBe(202);
    return id;
  }

  async function deadLetterOf(apiKey: string, eventId: string): Promise<{ id: string }> {
    return waitFor(
      async () => {
        const list = await fx.pipeline.call<{ data: { id: string; event_id: string }[] }>('dlq-inspector', 'GET', '/v1/dead-letters?limit=50', apiKey);
        return list.body.data.find((d) => d.event_id === eventId);
      },
      30_000,
      'the dead letter',
    );
  }

  async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; help: string; targets: string }[]> {
    // Evaluated by the browser's debugger protocol, which the page's CSP does not govern.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const g = globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
      return (await g.axe.run(g.document, { resultTypes: ['violations'] })).violations;
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: JSON.stringify(v.nodes.map((n) => n.target)) }));
  }

  it('on call: signs in, finds a dead letter from a failing receiver, reads why it died, replays it, and the receiver gets it', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    await subscribe(apiKey, '/down');
    const eventId = await publish(apiKey, tenantId);
    const letter = await deadLetterOf(apiKey, eventId);

    const page = await openPage();
    await signIn(page, apiKey);
    await page.getByRole('link', { name: 'Dead letters' }).click();
    const table = page.getByRole('table', { name: 'Dead letters' });
    await table.getByRole('link', { name: letter.id.slice(0, 8) }).click();
    await page.getByText(/all 3 attempts failed/).waitFor();
    // The receiver's own answer, as text, and the payload as text: nothing from it becomes markup.
    await expect(page.getByLabel('Response body excerpt').first().textContent()).resolves.toContain('receiver down for maintenance');
    await expect(page.getByLabel('Payload').textContent()).resolves.toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('img').count()).toBe(0);

    failing.delete('/down');
    const before = fx.receiver.requests.length;
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('status').filter({ hasText: /Replayed: sent/ }).waitFor();
    const got = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/down' && r.headers['webhook-id'] === eventId && fx.receiver.requests.indexOf(r) >= before);
    expect(got[0]?.headers['webhook-id']).toBe(eventId);
    expect(problems).toEqual([]);
  });

  it('deliveries: filters checked on their field, a filtered list, a delivery with every attempt, and "retry now" with a reason', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    failing.add('/flaky');
    await subscribe(apiKey, '/flaky');
    const eventId = await publish(apiKey, tenantId, 'order.shipped');
    const letter = await deadLetterOf(apiKey, eventId);

    const page = await openPage();
    await signIn(page, apiKey);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByLabel('Subscription id').fill('not-a-uuid');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('a subscription id (a UUID)').waitFor();
    expect(requests.filter((u) => u.includes('/api/'))).toEqual([]);

    await page.getByLabel('Subscription id').fill('');
    await page.getByLabel('Event type').fill('order.shipped');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/#\/deliveries\?event_type=order.shipped/);
    const row = page.getByRole('table', { name: 'Deliveries' }).getByRole('row').filter({ hasText: 'order.shipped' });
    await row.first().waitFor();
    await expect(row.count()).resolves.toBe(1);
    await row.getByRole('link').click();
    const attempts = page.getByRole('table', { name: 'Attempts' });
    await attempts.waitFor();
    await expect(attempts.getByRole('row').count()).resolves.toBe(4); // a header and three attempts
    await page.getByText("the service's default schedule").waitFor();
    // The signature the receiver checks is shown redacted, never as sent.
    await page.getByText('Request headers').first().click();
    const headers = (await page.getByText(/webhook-signature/).first().textContent()) ?? '';
    expect(headers).not.toMatch(/v1,[A-Za-z0-9+/=]{20,}/);

    failing.delete('/flaky');
    const before = fx.receiver.requests.length;
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.getByLabel(/Reason/).fill('receiver fixed, ticket OPS-17');
    await page.getByRole('dialog').getByRole('button', { name: 'Retry now' }).click();
    await page.getByText('A new attempt was sent to the dispatcher.').waitFor();
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/flaky' && r.headers['webhook-id'] === eventId && fx.receiver.requests.indexOf(r) >= before);
    expect(letter.id).toBeTruthy();
    expect(problems).toEqual([]);
  });

  it('refuses a wrong key with the API\'s code, and never shows another tenant\'s data', async () => {
    const owner = await fx.pipeline.createTenant();
    failing.add('/private');
    await subscribe(owner.apiKey, '/private');
    const letter = await deadLetterOf(owner.apiKey, await publish(owner.apiKey, owner.tenantId));
    const other = await fx.pipeline.createTenant();

    const page = await openPage();
    await page.goto(`${base}/`);
    await page.getByLabel(/API key/).fill('hsk_not_a_real_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'unauthenticated' }).waitFor();
    // Only this tab's sessionStorage would ever hold a key: nothing was kept, and nothing in localStorage.
    expect(await page.evaluate(() => JSON.stringify([(globalThis as unknown as { localStorage: { length: number } }).localStorage.length, (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length]))).toBe('[0,0]');

    await page.getByLabel(/API key/).fill(other.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await page.getByText('No deliveries match these filters.').waitFor();
    await page.goto(`${base}/#/dead-letters/${letter.id}`);
    await page.getByRole('alert').filter({ hasText: 'not_found' }).waitFor();
    expect(await page.content()).not.toContain(owner.tenantId);
    expect(problems).toEqual([]);
  });

  it('tenant: creates a subscription (a refused URL shown on its field), reveals its secret once, sends a test, and watches the live tail', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const page = await openPage();
    await signIn(page, apiKey);
    await page.getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByText('No subscriptions yet.').waitFor();
    await page.getByRole('link', { name: 'New subscription' }).click();
    const form = page.getByRole('form', { name: 'New subscription' });
    // A private address: the registry refuses it by its own rules (no connection is made), on the field.
    await form.getByLabel(/Endpoint URL/).fill('http://10.1.2.3/hooks');
    await form.getByLabel(/Event types/).fill('order.*');
    await form.getByLabel('Name').fill('orders to partner');
    await form.getByRole('button', { name: 'Create subscription' }).click();
    const urlError = page.locator('[id$="-error"]').first();
    await urlError.waitFor();
    expect(await urlError.textContent()).toMatch(/private|not allowed|address|https/i);
    await form.getByLabel(/Endpoint URL/).fill(`${fx.receiver.url}/tenant-flow`);
    await form.getByRole('button', { name: 'Create subscription' }).click();
    await page.getByText('The signing secret: shown this once').waitFor();
    expect(await page.getByLabel('Secret', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    expect(await page.getByLabel('Secret', { exact: true }).textContent()).toMatch(/^whsec_/);
    await page.getByRole('link', { name: 'Open the subscription' }).click();
    await page.getByRole('heading', { name: /orders to partner/ }).waitFor();
    // How it delivers, in words: made without a batch setting, one event per request.
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByText('one event per request').waitFor();

    await page.getByRole('tab', { name: 'Send a test' }).click();
    await page.getByLabel('Event type').fill('order.placed');
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText(/^Answered 200 in /).waitFor();
    const test = await fx.receiver.waitForRequests(1, 15_000, (r) => r.path === '/tenant-flow');
    expect(test[0]?.headers['webhook-signature']).toMatch(/^v1,/);

    await page.getByRole('link', { name: 'Live tail of this endpoint' }).click();
    await page.getByRole('status').filter({ hasText: /^live$/ }).waitFor();
    const eventId = await publish(apiKey, tenantId);
    const row = page.getByRole('table', { name: 'Live deliveries' }).getByRole('row').filter({ hasText: eventId });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toContain('delivered');
    // Another tenant's subscription is not found, and the list shows only this tenant's own.
    const other = await fx.pipeline.createTenant();
    const theirs = await subscribe(other.apiKey, '/someone-else');
    await page.goto(`${base}/#/subscriptions/${theirs}`);
    await page.getByRole('alert').filter({ hasText: 'not_found' }).waitFor();
    await page.goto(`${base}/#/subscriptions`);
    const list = page.getByRole('table', { name: 'Subscriptions' });
    await list.waitFor();
    await expect(list.getByRole('row').count()).resolves.toBe(2); // the header and this tenant's one
    expect(await list.textContent()).not.toContain('/someone-else');
    expect(problems).toEqual([]);
  });

  it('replays a selection of dead letters, then all a filter selects, each as one job with a progress bar to the end', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    failing.add('/bulk');
    await subscribe(apiKey, '/bulk');
    const ids = [await publish(apiKey, tenantId, 'order.bulk'), await publish(apiKey, tenantId, 'order.bulk'), await publish(apiKey, tenantId, 'order.bulk')];
    const letters = [];
    for (const id of ids) letters.push(await deadLetterOf(apiKey, id));
    const [first, second, third] = letters.map((l) => l.id);
    if (!first || !second || !third) throw new Error('three dead letters');

    const page = await openPage();
    await signIn(page, apiKey);
    await page.goto(`${base}/#/dead-letters?event_type=order.bulk`);
    failing.delete('/bulk');
    const before = fx.receiver.requests.length;
    const redelivered = () => new Set(fx.receiver.requests.slice(before).filter((r) => r.path === '/bulk').map((r) => String(r.headers['webhook-id'])));
    // Two chosen by hand.
    await page.getByLabel(`Select dead letter ${first.slice(0, 8)}`).check();
    await page.getByLabel(`Select dead letter ${second.slice(0, 8)}`).check();
    await page.getByText('Replay the 2 dead letter(s) selected below, as one job.').waitFor();
    await page.getByRole('button', { name: 'How many?' }).click();
    await page.getByText(/^2 dead letter\(s\) match/).waitFor();
    await page.getByRole('button', { name: 'Replay 2 as a job' }).click();
    await page.getByRole('status').filter({ hasText: /^completed$/ }).waitFor({ timeout: 30_000 });
    expect(await page.getByText(/2 sent, 0 skipped, 0 to go, of 2/).count()).toBe(1);
    expect(await page.getByLabel('Replay progress').getAttribute('aria-valuenow')).toBe('100');
    await waitFor(() => Promise.resolve(redelivered().size === 2 ? true : undefined), 30_000, 'the two replays at the receiver');
    const chosen = new Set([ids[0], ids[1]]);
    expect([...redelivered()].every((id) => chosen.has(id))).toBe(true);

    // Then whatever the filter still selects that was not replayed: the third.
    await page.reload();
    await page.getByRole('button', { name: 'How many?' }).click();
    await page.getByText(/^1 dead letter\(s\) match/).waitFor();
    await page.getByRole('button', { name: 'Replay 1 as a job' }).click();
    await page.getByRole('status').filter({ hasText: /^completed$/ }).waitFor({ timeout: 30_000 });
    await waitFor(() => Promise.resolve(redelivered().size === 3 ? true : undefined), 30_000, 'the third replay at the receiver');
    expect(problems).toEqual([]);
  });

  it('live tail: picks the stream up again after the dlq-inspector restarts, and marks what it could not see', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const subscription = await subscribe(apiKey, '/tail-restart');
    const page = await openPage();
    await signIn(page, apiKey);
    await page.goto(`${base}/#/tail?subscription_id=${subscription}`);
    const badge = page.getByRole('status').filter({ hasText: /^live$/ });
    await badge.waitFor();
    await fx.pipeline.restart('dlq-inspector', 'stop');
    await page.getByText(/The stream was down from/).waitFor({ timeout: 30_000 });
    await badge.waitFor();
    const eventId = await publish(apiKey, tenantId);
    await page.getByRole('table', { name: 'Live deliveries' }).getByRole('row').filter({ hasText: eventId }).waitFor({ timeout: 20_000 });
    expect(problems).toEqual([]);
  });

  it('offers a key only what its scopes allow', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    failing.add('/scoped');
    await subscribe(apiKey, '/scoped');
    const letter = await deadLetterOf(apiKey, await publish(apiKey, tenantId));
    const made = await fx.pipeline.call<{ key: string }>('subscription-registry', 'POST', `/v1/tenants/${tenantId}/api-keys`, apiKey, { name: 'read only', scopes: ['deliveries:read'] });
    expect(made.status).toBe(201);

    const page = await openPage();
    await signIn(page, made.body.key);
    const nav = page.getByRole('navigation', { name: 'Pages' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Deliveries', 'Dead letters', 'Live tail']);
    await page.goto(`${base}/#/dead-letters/${letter.id}`);
    await page.getByText(/all 3 attempts failed/).waitFor();
    expect(await page.getByRole('button', { name: 'Replay' }).count()).toBe(0);
    await page.goto(`${base}/#/dead-letters`);
    await page.getByRole('table', { name: 'Dead letters' }).waitFor();
    expect(await page.getByRole('button', { name: 'How many?' }).count()).toBe(0);
    await page.goto(`${base}/#/subscriptions`);
    await page.getByText('This page needs an API key with the scope').waitFor();
    expect(problems).toEqual([]);
  });

  it('lets an admin key look at every tenant, or switch to one that exists', async () => {
    const { apiKey } = await fx.pipeline.createTenant();
    const other = await fx.pipeline.createTenant();
    await subscribe(apiKey, '/admin-view');
    await subscribe(other.apiKey, '/admin-other');
    const page = await openPage();
    await signIn(page, fx.stack.adminKey);
    await page.getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByText('This page belongs to one tenant').waitFor();
    const tenant = page.getByRole('form', { name: 'Tenant' });
    await tenant.getByLabel(/Tenant/).fill('no_such_tenant_here');
    await tenant.getByRole('button', { name: 'Switch' }).click();
    await tenant.getByText('not_found').waitFor();
    await tenant.getByLabel(/Tenant/).fill(other.tenantId);
    await tenant.getByRole('button', { name: 'Switch' }).click();
    const list = page.getByRole('table', { name: 'Subscriptions' });
    await list.getByText(/admin-other/).waitFor();
    expect(await list.textContent()).not.toContain('/admin-view');
    expect(problems).toEqual([]);
  });

  it('works from the keyboard alone: sign in, move between pages, open a dead letter and replay it', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    failing.add('/keys');
    await subscribe(apiKey, '/keys');
    const eventId = await publish(apiKey, tenantId);
    const letter = await deadLetterOf(apiKey, eventId);
    failing.delete('/keys');
    const before = fx.receiver.requests.length;

    const page = await openPage();
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const focused = () => page.evaluate(() => {
      const el = (globalThis as unknown as { document: { activeElement: { tagName: string; textContent: string | null; getAttribute: (n: string) => string | null } | null } }).document.activeElement;
      return el ? `${el.tagName} ${el.getAttribute('aria-label') ?? ''} ${(el.textContent ?? '').trim()}` : '';
    });
    /** Presses Tab until focus is on what `matches` describes; fails after 40 presses. */
    const tabTo = async (matches: RegExp) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (matches.test(await focused())) return;
      }
      throw new Error(`Tab never reached ${String(matches)}; last: ${await focused()}`);
    };
    await tabTo(/^INPUT/);
    await page.keyboard.type(apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await tabTo(/^A\s+Dead letters$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
    await tabTo(new RegExp(`^A\\s+${letter.id.slice(0, 8)}$`));
    await page.keyboard.press('Enter');
    await page.getByText(/all 3 attempts failed/).waitFor();
    await tabTo(/^BUTTON\s+Replay$/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /Replayed: sent/ }).waitFor();
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/keys' && r.headers['webhook-id'] === eventId && fx.receiver.requests.indexOf(r) >= before);
    expect(problems).toEqual([]);
  });

  it('has no serious accessibility violation on any page, and works at 1280 and 390 pixels wide', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    failing.add('/axe');
    const subscription = await subscribe(apiKey, '/axe');
    const letter = await deadLetterOf(apiKey, await publish(apiKey, tenantId));
    expect((await fx.pipeline.call('subscription-registry', 'POST', '/v1/event-types', apiKey, { name: 'order.placed', description: 'An order was placed', schema: { type: 'object', properties: { order_id: { type: 'string', examples: ['ord_42'] }, total: { type: 'number' } } } })).status).toBe(201);
    const pages: { name: string; hash: string; ready: (p: Page) => Promise<void> }[] = [
      { name: 'deliveries', hash: `#/deliveries?subscription_id=${subscription}`, ready: (p) => p.getByRole('table', { name: 'Deliveries' }).waitFor() },
      { name: 'delivery', hash: `#/deliveries/${letter.id}`, ready: (p) => p.getByRole('table', { name: 'Attempts' }).waitFor() },
      { name: 'dead-letters', hash: '#/dead-letters', ready: (p) => p.getByRole('table', { name: 'Dead letters' }).waitFor() },
      { name: 'dead-letter', hash: `#/dead-letters/${letter.id}`, ready: (p) => p.getByText(/all 3 attempts failed/).waitFor() },
      // Which endpoints are failing, at a glance: this tenant's one is.
      { name: 'subscriptions', hash: '#/subscriptions', ready: (p) => p.getByRole('table', { name: 'Subscriptions' }).getByText('failing', { exact: true }).waitFor() },
      { name: 'subscription', hash: `#/subscriptions/${subscription}`, ready: (p) => p.getByRole('img', { name: /Latency p50 and p95/ }).locator('svg').first().waitFor() },
      {
        name: 'subscription-settings',
        hash: `#/subscriptions/${subscription}`,
        ready: async (p) => {
          await p.getByRole('tab', { name: 'Settings' }).click();
          await p.getByText("the service's default schedule").waitFor();
        },
      },
      { name: 'subscription-new', hash: '#/subscriptions/new', ready: (p) => p.getByRole('form', { name: 'New subscription' }).waitFor() },
      { name: 'event-types', hash: '#/event-types', ready: (p) => p.getByRole('table', { name: 'Event types' }).waitFor() },
      { name: 'event-type', hash: '#/event-types/order.placed', ready: (p) => p.getByLabel('Example payload').waitFor() },
      { name: 'match', hash: '#/match', ready: (p) => p.getByRole('form', { name: 'Match an event' }).waitFor() },
      { name: 'tail', hash: '#/tail', ready: (p) => p.getByRole('status').filter({ hasText: /^live$/ }).waitFor() },
    ];
    const found: Record<string, unknown> = {};
    for (const width of [1280, 390]) {
      const page = await openPage(width);
      await page.goto(`${base}/`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      found[`sign-in@${String(width)}`] = await axeViolations(page);
      await page.screenshot({ path: join(ARTIFACTS, `sign-in-${String(width)}.png`), fullPage: true });
      await signIn(page, apiKey);
      for (const p of pages) {
        await page.goto(`${base}/${p.hash}`);
        await p.ready(page);
        found[`${p.name}@${String(width)}`] = await axeViolations(page);
        await page.screenshot({ path: join(ARTIFACTS, `${p.name}-${String(width)}.png`), fullPage: true });
        // Nothing wider than the window: at 390 px the tables scroll inside their own box.
        const overflow = await page.evaluate(() => {
          const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
          return d.scrollWidth - d.clientWidth;
        });
        expect({ page: p.name, width, overflow }).toEqual({ page: p.name, width, overflow: 0 });
      }
      await page.context().close();
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    expect(problems).toEqual([]);
  });
});
