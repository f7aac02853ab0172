import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { endHopSpan, startHopSpan, startTelemetry, type Telemetry, traceparentOf, tracesExporterWanted, withHopSpans } from './telemetry.js';

const TRACEPARENT_RE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('tracesExporterWanted', () => {
  it('exports only when OTEL_TRACES_EXPORTER names an exporter', () => {
    expect(tracesExporterWanted({ OTEL_TRACES_EXPORTER: [] })).toBe(false);
    expect(tracesExporterWanted({ OTEL_TRACES_EXPORTER: ['none'] })).toBe(false);
    expect(tracesExporterWanted({ OTEL_TRACES_EXPORTER: ['otlp'] })).toBe(true);
  });
});

describe('hop spans (SDK started without an exporter)', () => {
  let telemetry: Telemetry;
  beforeAll(() => {
    telemetry = startTelemetry('test', { OTEL_TRACES_EXPORTER: [] }, {});
  });
  afterAll(() => telemetry.shutdown());

  it('makes a child of the context it is given: same trace, a span id of its own', () => {
    const parent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    const span = startHopSpan('hop', parent);
    const tp = TRACEPARENT_RE.exec(traceparentOf(span) ?? '');
    expect(tp?.[1]).toBe('a'.repeat(32));
    expect(tp?.[2]).not.toBe('b'.repeat(16));
    endHopSpan(span);
  });

  it('starts a new trace when there is no context, or an unreadable one', () => {
    const ids = [null, undefined, 'garbage'].map((p) => TRACEPARENT_RE.exec(traceparentOf(startHopSpan('root', p)) ?? '')?.[1]);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(3);
  });

  it('hands one context per item to the work and passes its failure on', async () => {
    const parents = [`00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`, null];
    const seen = await withHopSpans(parents, (p) => startHopSpan('item', p), (tps) => Promise.resolve(tps));
    expect(seen[0]?.startsWith(`00-${'1'.repeat(32)}-`)).toBe(true);
    expect(seen[1]).toMatch(TRACEPARENT_RE);
    await expect(withHopSpans([null], (p) => startHopSpan('item', p), () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
