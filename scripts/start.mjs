#!/usr/bin/env node
// `npm start`: the local stack, the five services as separate processes, and a demo receiver
// on 127.0.0.1:4000 that prints each delivery and checks its signature. Ctrl-C stops them all.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { defaults, LOCAL_DIR, localSecret, ROOT } from './lib.mjs';
import { bringUp } from './stack.mjs';

const SERVICES = [
  ['ingress-gateway', 3000, 36],
  ['subscription-registry', 3001, 35],
  ['dispatcher', 3002, 33],
  ['retry-scheduler', 3003, 32],
  ['dlq-inspector', 3004, 34],
];
const RECEIVER_PORT = Number(process.env.DEMO_RECEIVER_PORT ?? 4000);
const CONSOLE_PORT = Number(process.env.CONSOLE_PORT ?? 3005);

await bringUp();
// Each service as its own Postgres role (migration 0023), as in production.
const { serviceDatabaseUrl } = await import('@hookstream/db');

const adminKey = process.env.ADMIN_API_KEY || localSecret('admin-api-key', (rnd) => `hs_admin_${rnd(24).toString('base64url')}`);
const demoSecret = localSecret('demo-receiver.secret', (rnd) => `whsec_${rnd(24).toString('base64')}`);
// Seals partner-integration secrets at rest (AES-256-GCM); kept so restarts can open them.
const integrationKeys = process.env.INTEGRATION_SECRETS_KEYS || localSecret('integration-secrets-keys', (rnd) => `local:${rnd(32).toString('base64')}`);
// Seal subscription signing secrets in Postgres and on the changelog; kept, like the one above.
const subscriptionKeys = process.env.SUBSCRIPTION_SECRETS_KEYS || localSecret('subscription-secrets-keys', (rnd) => `local:${rnd(32).toString('base64')}`);
const changelogKeys = process.env.CHANGELOG_SECRETS_KEYS || localSecret('changelog-secrets-keys', (rnd) => `local:${rnd(32).toString('base64')}`);
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || defaults.DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL || defaults.REDIS_URL,
  ADMIN_API_KEY: adminKey,
  INTEGRATION_SECRETS_KEYS: integrationKeys,
  SUBSCRIPTION_SECRETS_KEYS: subscriptionKeys,
  CHANGELOG_SECRETS_KEYS: changelogKeys,
  // Local development delivers to receivers on this machine; production leaves this empty.
  DELIVERY_ALLOWLIST_HOSTS: process.env.DELIVERY_ALLOWLIST_HOSTS ?? '127.0.0.1,localhost',
  // Short delays so a failing receiver is retried and dead-lettered while you watch (~45 s).
  RETRY_DELAYS: process.env.RETRY_DELAYS ?? '5s,10s,30s',
};

const children = [];
const pretty = (name, color) => (line) => {
  let text = line;
  try {
    const { level, time, msg, service: _s, pid: _p, context: _c, ...rest } = JSON.parse(line);
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    text = `${String(time).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${msg}${extra}`;
  } catch {
    // not JSON: print as is
  }
  process.stdout.write(`\x1b[${color}m${name.padEnd(21)}\x1b[0m | ${text}\n`);
};

function launch(name, args, extraEnv, color) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = pretty(name, color);
  createInterface({ input: child.stdout }).on('line', out);
  createInterface({ input: child.stderr }).on('line', out);
  child.on('exit', (code, signal) => {
    out(`exited (${code ?? signal})`);
    if (!stopping) shutdown(1);
  });
  children.push(child);
}

for (const [name, port, color] of SERVICES) {
  launch(name, [`apps/${name}/dist/main.js`], { PORT: String(port), DATABASE_URL: serviceDatabaseUrl(env.DATABASE_URL, name) }, color);
}
launch('receiver', ['scripts/receiver.mjs'], { PORT: String(RECEIVER_PORT), WEBHOOK_SECRET: demoSecret }, 37);
// The web console: its page and files, and the browser's API calls forwarded to three services.
launch('console', ['apps/console/dist/main.js'], { PORT: String(CONSOLE_PORT) }, 95);

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 30_000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const ready = async (port) => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.status === 200;
const deadline = Date.now() + 120_000;
while (!(await Promise.all([...SERVICES.map(([, port]) => port), CONSOLE_PORT].map(ready))).every(Boolean)) {
  if (Date.now() > deadline || stopping) {
    console.error('services did not become ready in 120 s; see the logs above');
    shutdown(1);
    break;
  }
  await new Promise((r) => setTimeout(r, 500));
}
if (!stopping) {
  console.log(`
  Hookstream is up.
    ingress-gateway        http://127.0.0.1:3000   POST /v1/events
    subscription-registry  http://127.0.0.1:3001   /v1/tenants, /v1/subscriptions
    dispatcher             http://127.0.0.1:3002   /health/ready, /metrics
    retry-scheduler        http://127.0.0.1:3003   /health/ready, /metrics
    dlq-inspector          http://127.0.0.1:3004   /v1/dead-letters
    demo receiver          http://127.0.0.1:${RECEIVER_PORT}/webhooks
    web console            http://127.0.0.1:${CONSOLE_PORT}/   sign in with the admin key, or a tenant's key
  Admin key:            ${LOCAL_DIR}/admin-api-key
  Demo receiver secret: ${LOCAL_DIR}/demo-receiver.secret
  Try the curl examples in README.md. Ctrl-C stops everything (Kafka keeps running: npm run stack:stop).
`);
}
