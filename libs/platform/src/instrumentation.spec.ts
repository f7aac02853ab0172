import { describe, expect, it } from '@jest/globals';
import { wantedInstrumentations } from './instrumentation.js';

describe('wantedInstrumentations', () => {
  it('loads none unless spans are exported', () => {
    expect(wantedInstrumentations({})).toEqual([]);
    expect(wantedInstrumentations({ OTEL_TRACES_EXPORTER: 'none' })).toEqual([]);
    expect(wantedInstrumentations({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toEqual([]);
  });

  it('loads all four when exporting, less the disabled ones', () => {
    expect(wantedInstrumentations({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual(['http', 'express', 'pg', 'ioredis']);
    expect(wantedInstrumentations({ OTEL_TRACES_EXPORTER: 'none,console', OTEL_NODE_DISABLED_INSTRUMENTATIONS: ' pg, ioredis' })).toEqual(['http', 'express']);
  });

  it('loads none on a malformed value, which the config check then reports', () => {
    expect(wantedInstrumentations({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg,mongodb' })).toEqual([]);
    expect(wantedInstrumentations({ OTEL_TRACES_EXPORTER: 'jaeger' })).toEqual([]);
  });
});
