import { describe, expect, it } from '@jest/globals';
import type { KafkaMessage } from 'kafkajs';
import { quarantineRecord, tenantOf } from './quarantine-record.js';

const message = (headers: KafkaMessage['headers']): KafkaMessage => ({ offset: '41', key: Buffer.from('k'), value: Buffer.from([0x00, 0xff]), headers, timestamp: '1764000000000', attributes: 0, size: 0 }) as unknown as KafkaMessage;

describe('quarantineRecord', () => {
  it('keeps the original key, value and headers, and adds where it came from and why', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const r = quarantineRecord({ message: message({ traceparent: Buffer.from('tp'), 'x-a': [Buffer.from('1'), Buffer.from('2')] }), partition: 3, code: 'pg_22008', reason: 'out of range\u0000\ud800', details: { error: 'pg_22008' }, tenantId: 'acme' }, { topic: 'p.hookstream.events', group: 'dispatcher-fanout' }, now);
    expect(r.key?.toString()).toBe('k');
    expect(r.value).toEqual(Buffer.from([0x00, 0xff]));
    expect(r.headers.map(([name, value]) => [name, value.toString()])).toEqual([
      ['traceparent', 'tp'],
      ['x-a', '1'],
      ['x-a', '2'],
      ['hs-quarantine-code', 'pg_22008'],
      ['hs-quarantine-reason', 'out of range\ufffd\ufffd'],
      ['hs-quarantine-details', '{"error":"pg_22008"}'],
      ['hs-quarantine-source-topic', 'p.hookstream.events'],
      ['hs-quarantine-source-partition', '3'],
      ['hs-quarantine-source-offset', '41'],
      ['hs-quarantine-source-timestamp', '1764000000000'],
      ['hs-quarantine-group', 'dispatcher-fanout'],
      ['hs-quarantine-at', '2026-11-22T10:00:00.000Z'],
      ['hs-quarantine-tenant-id', 'acme'],
    ]);
  });

  it('replaces the quarantine headers of a re-driven message instead of stacking them, and bounds details', () => {
    const r = quarantineRecord({ message: message({ 'hs-quarantine-code': 'old', 'hs-quarantine-tenant-id': 'someone' }), partition: 0, code: 'typeerror', reason: 'x', details: { big: 'y'.repeat(40_000) }, tenantId: null }, { topic: 't', group: 'g' }, new Date());
    const header = (name: string) => r.headers.filter(([n]) => n === name).map(([, v]) => v.toString());
    expect(header('hs-quarantine-code')).toEqual(['typeerror']);
    expect(header('hs-quarantine-tenant-id')).toEqual([]);
    expect(JSON.parse(header('hs-quarantine-details')[0] ?? '')).toMatchObject({ truncated: true });
  });
});

describe('tenantOf', () => {
  it('reads tenant_id, or a dead letter’s delivery.tenant_id, when it is a valid tenant id', () => {
    expect(tenantOf({ tenant_id: 'acme' })).toBe('acme');
    expect(tenantOf({ delivery: { tenant_id: 'beta' } })).toBe('beta');
    expect(tenantOf({ tenant_id: 'x'.repeat(65) })).toBeNull();
    expect(tenantOf({ tenant_id: 42 })).toBeNull();
    expect(tenantOf('acme')).toBeNull();
    expect(tenantOf(null)).toBeNull();
  });

  it('falls back to the key on topics keyed by tenant, when the value names none', () => {
    expect(tenantOf('not json', 'acme')).toBe('acme');
    expect(tenantOf({ tenant_id: 'beta' }, 'acme')).toBe('beta');
    expect(tenantOf(null, 'bad key!')).toBeNull();
  });
});
