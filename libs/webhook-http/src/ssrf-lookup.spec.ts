import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from '@jest/globals';
import { guardedLookup, SsrfRefusedError } from './ssrf-lookup.js';

/**
 * The lookup is the last gate before a socket connects. These tests stub DNS and check the
 * decision only: no test here opens a connection.
 */
function lookupWith(answers: LookupAddress[], allow: string[] = []) {
  const lookup = guardedLookup({ hosts: new Set(allow) }, (_host, cb) => cb(null, answers));
  return (hostname: string, family: 0 | 4 | 6 = 0) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: string }>((resolve) => {
      lookup(hostname, { family }, (err, address) => resolve({ err, address: typeof address === 'string' ? address : JSON.stringify(address) }));
    });
}

describe('guardedLookup', () => {
  it.each([
    ['10.0.0.7', 4],
    ['172.20.1.1', 4],
    ['192.168.0.10', 4],
    ['169.254.169.254', 4],
    ['100.64.12.1', 4],
    ['127.0.0.1', 4],
    ['::1', 6],
    ['fd00::5', 6],
    ['fe80::1', 6],
    ['::ffff:10.1.1.1', 6],
  ])('refuses a host resolving to %s', async (address, family) => {
    const { err } = await lookupWith([{ address, family }])('hooks.example.com');
    expect(err).toBeInstanceOf(SsrfRefusedError);
    expect(err?.message).toContain(address);
  });

  it('refuses when any answer is private, even if another is public (no partial trust)', async () => {
    const { err } = await lookupWith([
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.1', family: 4 },
    ])('rebind.example.com');
    expect(err).toBeInstanceOf(SsrfRefusedError);
  });

  it('hands the socket the address it checked', async () => {
    const { err, address } = await lookupWith([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ])('example.com', 4);
    expect(err).toBeNull();
    expect(address).toBe('93.184.216.34');
  });

  it('lets an allowlisted name reach loopback (local receivers only)', async () => {
    const { err, address } = await lookupWith([{ address: '127.0.0.1', family: 4 }], ['localhost'])('localhost');
    expect(err).toBeNull();
    expect(address).toBe('127.0.0.1');
  });

  it('passes DNS failures through as they are', async () => {
    const lookup = guardedLookup({ hosts: new Set() }, (_h, cb) => cb(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }), []));
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('missing.example', {}, (e) => resolve(e)));
    expect(err?.code).toBe('ENOTFOUND');
  });
});
