import { describe, expect, it } from '@jest/globals';
import { parseCommandLine, time, UsageError } from './args.js';

const now = new Date('2026-11-22T12:00:00.000Z');
const env = { HOOKSTREAM_API_KEY: 'hsk_env' };
/** Key files as the tests' fake file system holds them. */
const files: Record<string, string> = { '/keys/ops': 'hsk_file\n' };
const readKey = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new UsageError(`cannot read the API key file ${path}: ENOENT`);
  return text.trim();
};
const parse = (line: string | string[], e: Record<string, string | undefined> = env) => parseCommandLine(Array.isArray(line) ? line : line.split(' ').filter(Boolean), e, now, readKey);
const SUB = '6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10';

function usage(line: string, e: Record<string, string | undefined> = env): string {
  try {
    parse(line, e);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`"${line}" parsed without a usage error`);
}

describe('the command line', () => {
  it('reads URLs, key and tenant from flags first, then HOOKSTREAM_* variables, then the npm start defaults', () => {
    expect(parse('jobs ls').globals).toEqual({ json: false, apiKey: 'hsk_env', dlqUrl: 'http://127.0.0.1:3004', registryUrl: 'http://127.0.0.1:3001' });
    const fromEnv = parse('jobs ls', { HOOKSTREAM_API_KEY: 'k', HOOKSTREAM_DLQ_URL: 'https://dlq.example/', HOOKSTREAM_REGISTRY_URL: 'https://reg.example', HOOKSTREAM_TENANT: 'acme' });
    expect(fromEnv.globals).toEqual({ json: false, apiKey: 'k', dlqUrl: 'https://dlq.example', registryUrl: 'https://reg.example', tenant: 'acme' });
    const flags = parse('jobs ls --json --api-key-file /keys/ops --dlq-url http://127.0.0.2:1 --registry-url http://[::1]:2 --tenant t', { ...env, HOOKSTREAM_TENANT: 'acme' });
    expect(flags.globals).toEqual({ json: true, apiKey: 'hsk_file', dlqUrl: 'http://127.0.0.2:1', registryUrl: 'http://[::1]:2', tenant: 't' });
  });

  it('never takes the API key from argv, where ps and shell history would show it', () => {
    expect(usage('jobs ls --api-key hsk_secret')).toMatch(/--api-key is not accepted.*HOOKSTREAM_API_KEY.*--api-key-file/);
    expect(usage('jobs ls --api-key=hsk_secret')).toMatch(/not accepted/);
    // A key file wins over the variable; HOOKSTREAM_API_KEY_FILE is the file's variable.
    expect(parse('jobs ls', { HOOKSTREAM_API_KEY: 'hsk_env', HOOKSTREAM_API_KEY_FILE: '/keys/ops' }).globals.apiKey).toBe('hsk_file');
    expect(usage('jobs ls --api-key-file /keys/missing')).toMatch(/cannot read the API key file \/keys\/missing/);
    expect(usage('jobs ls', {})).toMatch(/no API key: set HOOKSTREAM_API_KEY/);
  });

  it('refuses plain http to another machine unless --insecure is given', () => {
    expect(usage('jobs ls --dlq-url http://dlq.internal:3004')).toMatch(/--dlq-url http:\/\/dlq.internal:3004 is plain http to another machine.*--insecure/);
    expect(usage('jobs ls', { ...env, HOOKSTREAM_REGISTRY_URL: 'http://10.0.0.5' })).toMatch(/--registry-url/);
    expect(parse('jobs ls --insecure --dlq-url http://dlq.internal:3004').globals.dlqUrl).toBe('http://dlq.internal:3004');
    expect(parse('jobs ls --dlq-url https://dlq.example').globals.dlqUrl).toBe('https://dlq.example');
    for (const local of ['http://localhost:1', 'http://127.0.0.1:1', 'http://127.9.9.9', 'http://[::1]:1', 'http://app.localhost']) {
      expect(parse(`jobs ls --dlq-url ${local}`).globals.dlqUrl).toBe(local);
    }
    // A name that merely starts like loopback is another machine.
    expect(usage('jobs ls --dlq-url http://127.0.0.1.evil.example')).toMatch(/plain http/);
  });

  it('turns filters into the API’s fields, with relative times resolved against now', () => {
    expect(parse(`dlq ls --subscription ${SUB} --event-type order.* --since 2h --until 2026-11-22T11:30:00+01:00 --status-code 5xx --error-class timeout --replayed false --limit 20 --all`).command).toEqual({
      kind: 'dlq ls',
      filter: { subscription_id: SUB, event_type: 'order.*', since: '2026-11-22T10:00:00.000Z', until: '2026-11-22T10:30:00.000Z', status_code: '5xx', error_class: 'timeout' },
      replayed: false,
      page: { limit: 20, all: true },
    });
  });

  it('reads events: one subscription, a cursor to read after, and how far to read', () => {
    expect(parse(`events --subscription ${SUB} --after WyIxIiwiMiJd --limit 50 --all`).command).toEqual({ kind: 'events', subscriptionId: SUB, after: 'WyIxIiwiMiJd', limit: 50, all: true, follow: false });
    expect(parse(`events --subscription ${SUB} --follow`).command).toEqual({ kind: 'events', subscriptionId: SUB, all: false, follow: true });
    expect(usage('events')).toMatch(/events needs --subscription <id>/);
    expect(usage('events --subscription not-a-uuid')).toMatch(/--subscription must be a UUID/);
    expect(usage(`events --subscription ${SUB} --all --follow`)).toMatch(/--all and --follow do not go together/);
    expect(usage(`events --subscription ${SUB} --limit 0`)).toMatch(/--limit must be a positive whole number/);
    expect(usage(`events --subscription ${SUB} --since 2h`)).toMatch(/events does not take --since/);
  });

  it('reads tail, with or without one subscription, and nothing else', () => {
    expect(parse('tail').command).toEqual({ kind: 'tail' });
    expect(parse(`tail --subscription ${SUB} --json`).command).toEqual({ kind: 'tail', subscriptionId: SUB });
    expect(usage('tail --subscription nope')).toBe('--subscription must be a UUID, got "nope"');
    expect(usage('tail extra')).toBe('tail takes no arguments, got "extra"');
    expect(usage('tail --limit 5')).toBe('tail does not take --limit');
  });

  it('reads the quarantine commands, with list as another name for ls', () => {
    expect(parse('quarantine ls --topic hookstream.events --code pg_22008 --status quarantined --since 2h --limit 5').command).toEqual({
      kind: 'quarantine ls',
      filter: { topic: 'hookstream.events', code: 'pg_22008', status: 'quarantined', since: '2026-11-22T10:00:00.000Z' },
      page: { limit: 5, all: false },
    });
    expect(parse('quarantine list --all').command).toEqual({ kind: 'quarantine ls', filter: {}, page: { all: true } });
    expect(parse(`quarantine show ${SUB}`).command).toEqual({ kind: 'quarantine show', id: SUB });
    expect(parse(`quarantine redrive ${SUB}`).command).toEqual({ kind: 'quarantine redrive', id: SUB });
    expect(usage('quarantine redrive nope')).toBe('the quarantined message id must be a UUID, got "nope"');
    expect(usage('quarantine list extra')).toBe('quarantine ls takes no arguments, got "extra"');
    expect(usage(`quarantine show ${SUB} --force`)).toBe('quarantine show does not take --force');
  });

  it('reads each command and its arguments', () => {
    expect(parse(`dlq show ${SUB}`).command).toEqual({ kind: 'dlq show', id: SUB });
    expect(parse(`dlq replay ${SUB} --force --idempotency-key k1`).command).toEqual({ kind: 'dlq replay', id: SUB, force: true, idempotencyKey: 'k1' });
    expect(parse('dlq replay-bulk --error-class gone --rate 50 --dry-run').command).toEqual({ kind: 'dlq replay-bulk', filter: { error_class: 'gone' }, job: { rate: 50, dryRun: true, wait: false } });
    expect(parse(`dlq recover ${SUB} --since 30m --wait`).command).toEqual({ kind: 'dlq recover', subscriptionId: SUB, since: '2026-11-22T11:30:00.000Z', job: { dryRun: false, wait: true } });
    expect(parse('jobs ls --status running').command).toEqual({ kind: 'jobs ls', status: 'running', page: { all: false } });
    expect(parse(`jobs show ${SUB} --wait`).command).toEqual({ kind: 'jobs show', id: SUB, wait: true });
    expect(parse(`jobs cancel ${SUB}`).command).toEqual({ kind: 'jobs cancel', id: SUB });
    expect(parse('subscriptions ls --limit 5').command).toEqual({ kind: 'subscriptions ls', page: { limit: 5, all: false } });
    expect(parse(`subscriptions enable ${SUB}`).command).toEqual({ kind: 'subscriptions enable', id: SUB });
    expect(parse(`subscriptions disable ${SUB} --reason gone`).command).toEqual({ kind: 'subscriptions disable', id: SUB, reason: 'gone' });
    expect(parse(`subscriptions batch ${SUB} --max-events 100 --max-wait-ms 0`).command).toEqual({ kind: 'subscriptions batch', id: SUB, batch: { max_events: 100, max_wait_ms: 0 } });
    expect(parse(`subscriptions batch ${SUB}`).command).toEqual({ kind: 'subscriptions batch', id: SUB, batch: {} });
    expect(parse(`subscriptions batch ${SUB} --off`).command).toEqual({ kind: 'subscriptions batch', id: SUB, batch: null });
    expect(() => parse(`subscriptions batch ${SUB} --off --max-events 5`)).toThrow('--off turns batching off');
    for (const bad of ['-1', '1.5', 'ten', '2147483648']) expect(() => parse(['subscriptions', 'batch', SUB, `--max-bytes=${bad}`])).toThrow('--max-bytes must be a positive whole number');
    expect(parse('tenants disable acme_eu-1').command).toEqual({ kind: 'tenants disable', tenantId: 'acme_eu-1' });
    expect(parse('tenants enable acme').command).toEqual({ kind: 'tenants enable', tenantId: 'acme' });
    expect(parse(`deliveries ls --subscription ${SUB} --status failing --status-code 5xx --limit 5`).command).toEqual({
      kind: 'deliveries ls',
      filter: { subscription_id: SUB, status_code: '5xx' },
      status: 'failing',
      page: { limit: 5, all: false },
    });
    expect(parse(`deliveries show ${SUB}`).command).toEqual({ kind: 'deliveries show', id: SUB });
    expect(() => parse('deliveries ls --error-class timeout')).toThrow('deliveries ls does not take --error-class');
    expect(parse('subscriptions match order.placed').command).toEqual({ kind: 'subscriptions match', eventType: 'order.placed' });
    expect(parse(['subscriptions', 'match', 'order.placed', '--data', '{"amount": 5}']).command).toEqual({ kind: 'subscriptions match', eventType: 'order.placed', data: { amount: 5 } });
    expect(() => parse(['subscriptions', 'match', 'order.placed', '--data', '[1]'])).toThrow('--data must be a JSON object');
    expect(() => parse(['subscriptions', 'match', 'order.placed', '--data', '{"a":'])).toThrow('--data must be a JSON object');
    expect(parse('').command).toEqual({ kind: 'help' });
    expect(parse('dlq ls --help', {}).command).toEqual({ kind: 'help' });
    expect(parse('--version', {}).command).toEqual({ kind: 'version' });
  });

  it('says exactly what is wrong with a bad call', () => {
    expect(usage('dlq ls', {})).toBe('no API key: set HOOKSTREAM_API_KEY, or pass --api-key-file <path> (or set HOOKSTREAM_API_KEY_FILE)');
    expect(usage('dlq purge')).toMatch(/^unknown command "dlq purge"; the commands are: dlq ls, dlq show/);
    expect(usage('dlq show')).toBe('dlq show takes <dead-letter-id>');
    expect(usage('dlq show abc')).toBe('the dead letter id must be a UUID, got "abc"');
    expect(usage(`dlq ls ${SUB}`)).toBe(`dlq ls takes no arguments, got "${SUB}"`);
    expect(usage(`dlq show ${SUB} --force`)).toBe('dlq show does not take --force');
    expect(usage(`dlq recover ${SUB}`)).toMatch(/^dlq recover needs --since/);
    expect(usage('dlq ls --since yesterday')).toMatch(/^--since must be an ISO 8601 time/);
    expect(usage('dlq ls --limit 0')).toBe('--limit must be a positive whole number, got "0"');
    expect(usage('dlq ls --replayed maybe')).toBe('--replayed must be true or false, got "maybe"');
    expect(usage('dlq ls --subscription x')).toBe('--subscription must be a UUID, got "x"');
    expect(usage('tenants disable ../acme')).toBe('the tenant id must be letters, digits, "-" or "_", got "../acme"');
    expect(usage('dlq ls --colour red')).toMatch(/Unknown option '--colour'/);
    expect(usage('jobs ls --dlq-url ftp://x')).toBe('--dlq-url must be an http(s) URL, got "ftp://x"');
  });
});

describe('time', () => {
  it('takes how long ago in s, m, h, d, or an ISO time with an offset, and answers UTC', () => {
    expect(time('90s', '--since', now)).toBe('2026-11-22T11:58:30.000Z');
    expect(time('3d', '--since', now)).toBe('2026-11-19T12:00:00.000Z');
    expect(time('2026-11-22T02:00:00-02:00', '--since', now)).toBe('2026-11-22T04:00:00.000Z');
    expect(time(undefined, '--since', now)).toBeUndefined();
    expect(() => time('2w', '--since', now)).toThrow(UsageError);
    expect(() => time('2026-13-45T00:00:00Z', '--since', now)).toThrow(UsageError);
  });
});
