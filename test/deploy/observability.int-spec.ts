import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { createTestStack, freePort, REPO_ROOT, ServiceProcess, SERVICES, type TestStack, waitFor } from '@hookstream/testing';

/**
 * deploy/observability against the code: every metric named by a dashboard panel or an alert rule
 * is one a running service serves on /metrics (the five services are started and scraped, no list
 * is kept by hand), and the rules file has what Prometheus and on-call need (promtool is not
 * available: the YAML is checked field by field and each expression at least parses roughly).
 */

const DIR = join(REPO_ROOT, 'deploy/observability');

interface Rule {
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}
interface Dashboard {
  panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
}

/** PromQL words that are not metric names: functions are recognised by their `(`. */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** Balanced (), [] and {} outside string literals, and something left to evaluate. */
function roughlyParses(expr: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quote: string | null = null;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return quote === null && stack.length === 0 && /[a-z_]/i.test(expr);
}

/** Metric names in a PromQL expression: identifiers left once strings, matchers, ranges, grouping clauses and function calls are set aside. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  // Not after a digit or a dot: `5m`, `1e3` and `0.99` are numbers and durations.
  for (const m of bare.matchAll(/(?<![\w.])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const [, word, call] = m;
    if (!word || call || KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names];
}

/** The sample names a /metrics page can hold, from its TYPE lines (labelled metrics with no samples yet included). */
function exposedNames(page: string): Set<string> {
  const names = new Set<string>();
  for (const m of page.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}

function githubAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    anchors.add(
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}

const dashboard = JSON.parse(readFileSync(join(DIR, 'hookstream-dashboard.json'), 'utf8')) as Dashboard;
const rules = parse(readFileSync(join(DIR, 'alerts.yaml'), 'utf8')) as { groups?: Array<{ name?: unknown; rules?: Rule[] }> };
const allRules = (rules.groups ?? []).flatMap((g) => g.rules ?? []);
const expressions = [
  ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
  ...allRules.map((r) => ({ where: `alert ${String(r.alert)}`, expr: String(r.expr) })),
];

describe('deploy/observability', () => {
  it('extracts metric names the way PromQL reads them', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{x="y(z"}[5m]))) > 0.5 and on(job) b_total offset 5m')).toEqual(['a_seconds_bucket', 'b_total']);
    expect(roughlyParses('sum(rate(x[5m])')).toBe(false);
    expect(roughlyParses('sum(rate(x{a="("}[5m]))')).toBe(true);
  });

  it('has rule groups whose every alert has a parsable expression, a for, a severity, a summary and a runbook section', () => {
    const runbook = githubAnchors(readFileSync(join(REPO_ROOT, 'docs/runbook.md'), 'utf8'));
    expect(rules.groups?.length).toBeGreaterThan(0);
    for (const g of rules.groups ?? []) {
      expect(typeof g.name).toBe('string');
      expect(g.rules?.length).toBeGreaterThan(0);
    }
    const names = allRules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of allRules) {
      const what = `alert ${String(r.alert)}`;
      expect([what, typeof r.alert]).toEqual([what, 'string']);
      expect([what, roughlyParses(String(r.expr))]).toEqual([what, true]);
      expect([what, String(r.for)]).toEqual([what, expect.stringMatching(/^\d+(ms|s|m|h|d|w|y)$/)]);
      expect([what, r.labels?.['severity']]).toEqual([what, expect.stringMatching(/^(critical|warning|info)$/)]);
      expect([what, typeof r.annotations?.['summary']]).toEqual([what, 'string']);
      const anchor = /^https?:\/\/\S+\/docs\/runbook\.md#(\S+)$/.exec(String(r.annotations?.['runbook_url']))?.[1];
      expect([what, anchor !== undefined && runbook.has(anchor)]).toEqual([what, true]);
    }
    // The alerts the issues ask for: failure rate, lag growing, DLQ growth, breaker flapping,
    // ingestion 5xx, partner callbacks failing verification.
    for (const m of ['hookstream_deliveries_total', 'hookstream_kafka_consumer_lag', 'hookstream_dead_letters_total', 'hookstream_breaker_transitions_total', 'hookstream_http_requests_total', 'hookstream_incoming_verification_failures_total']) {
      expect(allRules.some((r) => metricNames(String(r.expr)).includes(m))).toBe(true);
    }
  });

  it('has a dashboard whose every panel queries something', () => {
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    for (const p of dashboard.panels) {
      expect([p.title, p.targets?.length ?? 0]).toEqual([p.title, expect.any(Number)]);
      expect([p.title, (p.targets ?? []).every((t) => roughlyParses(t.expr) && metricNames(t.expr).length > 0)]).toEqual([p.title, true]);
    }
  });

  describe('against the running services', () => {
    let stack: TestStack;
    const services: ServiceProcess[] = [];
    const pages = new Map<string, string>();

    // Every metric is registered when its component is constructed, before the service listens:
    // a service that answers /metrics has them all, so this waits for that, not for readiness.
    const scrape = async (s: ServiceProcess) => (await fetch(`${s.url}/metrics`)).text();

    beforeAll(async () => {
      stack = await createTestStack('observability');
      for (const name of SERVICES) services.push(new ServiceProcess(name, await freePort(), stack.env()));
      for (const s of services) s.start();
      await Promise.all(
        services.map((s) =>
          waitFor(async () => (await fetch(`${s.url}/health/live`).catch(() => null))?.status === 200, 90_000, `${s.name} to listen`, 200).catch((err: unknown) => {
            throw new Error(`${(err as Error).message}\n${s.output.slice(-30).join('\n')}`);
          }),
        ),
      );
      for (const s of services) pages.set(s.name, await scrape(s));
    }, 180_000);

    afterAll(async () => {
      await Promise.all(services.map((s) => s.stop()));
      await stack?.close();
    }, 60_000);

    it("finds every metric the dashboard and the alert rules name on some service's /metrics", () => {
      const exposed = new Set([...pages.values()].flatMap((p) => [...exposedNames(p)]));
      const unknown = expressions.flatMap(({ where, expr }) => metricNames(expr).filter((n) => !exposed.has(n)).map((n) => `${where}: ${n}`));
      expect(unknown).toEqual([]);
    });

    it('names every metric of its own as Prometheus conventions ask: one prefix, counters in _total, units in the name', () => {
      const problems: string[] = [];
      for (const [service, page] of pages) {
        for (const m of page.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
          const [, name, type] = m as unknown as [string, string, string];
          // The client library's process_* and nodejs_* metrics follow its own conventions.
          if (name.startsWith('process_') || name.startsWith('nodejs_')) continue;
          if (!name.startsWith('hookstream_')) problems.push(`${service}: ${name} lacks the hookstream_ prefix`);
          if (type === 'counter' && !name.endsWith('_total')) problems.push(`${service}: counter ${name} does not end in _total`);
          if (type === 'histogram' && !/_(seconds|bytes|ratio|count|size|deliveries|events|messages)$/.test(name)) problems.push(`${service}: histogram ${name} names no unit`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('counts HTTP responses by route and status on every service', async () => {
      for (const s of services) {
        // The scrape in beforeAll was itself a matched request, so it is counted with its route and
        // status; a path no route matches is counted under one label, not under its own.
        expect((await fetch(`${s.url}/no/such/route/${Date.now()}`)).status).toBe(404);
        const page = await scrape(s);
        expect([s.name, page]).toEqual([s.name, expect.stringContaining('hookstream_http_requests_total{method="GET",route="/metrics",status="200"}')]);
        expect([s.name, page]).toEqual([s.name, expect.stringContaining('hookstream_http_requests_total{method="GET",route="unmatched"')]);
      }
    });
  });
});
