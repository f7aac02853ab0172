import { describe, expect, it } from '@jest/globals';
import { readQuarantineRecord } from './quarantine-record.js';
import { bytesView } from './quarantine.service.js';

const now = new Date('2026-11-22T10:00:00Z');

describe('readQuarantineRecord', () => {
  it('splits the quarantine headers from the original ones, which it keeps as bytes', () => {
    const row = readQuarantineRecord('p.hookstream.events.quarantine', 0, '7', {
      key: Buffer.from('acme'),
      value: Buffer.from('{"x":1}'),
      headers: [
        ['traceparent', Buffer.from('tp')],
        ['x-bin', Buffer.from([0x00, 0x80])],
        ['hs-quarantine-code', Buffer.from('pg_22008')],
        ['hs-quarantine-reason', Buffer.from('out of range\u0000')],
        ['hs-quarantine-source-topic', Buffer.from('p.hookstream.events')],
        ['hs-quarantine-source-partition', Buffer.from('2')],
        ['hs-quarantine-source-offset', Buffer.from('123')],
        ['hs-quarantine-source-timestamp', Buffer.from('1764000000000')],
        ['hs-quarantine-group', Buffer.from('dispatcher-fanout')],
        ['hs-quarantine-at', Buffer.from('2026-11-22T09:59:00.000Z')],
        ['hs-quarantine-tenant-id', Buffer.from('acme')],
      ],
    }, now);
    expect(row).toMatchObject({
      source_topic: 'p.hookstream.events',
      source_partition: 2,
      source_offset: '123',
      source_timestamp: '2025-11-24T16:00:00.000Z',
      consumer_group: 'dispatcher-fanout',
      tenant_id: 'acme',
      code: 'pg_22008',
      reason: 'out of range\ufffd',
      details: 'null',
      quarantined_at: '2026-11-22T09:59:00.000Z',
    });
    expect(row.headers).toEqual([
      [Buffer.from('traceparent').toString('base64'), Buffer.from('tp').toString('base64')],
      [Buffer.from('x-bin').toString('base64'), Buffer.from([0x00, 0x80]).toString('base64')],
    ]);
  });

  it('keeps a record without quarantine headers under its own coordinates, naming no tenant', () => {
    const row = readQuarantineRecord('q', 1, '9', { key: null, value: null, headers: [['hs-quarantine-tenant-id', Buffer.from('not a tenant!')]] }, now);
    expect(row).toMatchObject({ source_topic: '', source_partition: 1, source_offset: '9', consumer_group: '(unknown)', tenant_id: null, code: 'unknown', quarantined_at: now.toISOString() });
  });
});

describe('bytesView', () => {
  it('shows printable UTF-8 as text and anything else as base64', () => {
    expect(bytesView(Buffer.from('héllo\n'))).toEqual({ encoding: 'utf8', data: 'héllo\n' });
    expect(bytesView(Buffer.from([0x00, 0x41]))).toEqual({ encoding: 'base64', data: 'AEE=' });
    expect(bytesView(Buffer.from([0xff]))).toEqual({ encoding: 'base64', data: '/w==' });
    expect(bytesView(null)).toBeNull();
  });
});
