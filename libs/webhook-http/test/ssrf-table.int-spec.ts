import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GotSender } from '../src/got-sender.js';
import { NodeHttpSender } from '../src/node-sender.js';
import { UndiciSender } from '../src/undici-sender.js';
import type { Resolver } from '../src/ssrf-lookup.js';

/**
 * The SSRF guard end to end through each sender, with DNS stubbed and every socket watched: a wrapper
 * around net.Socket#connect records each address a socket is handed (through the lookup hook,
 * or as a literal IP) and lets only loopback through, so nothing here ever connects anywhere
 * else, and a refused address must never appear in the record at all.
 */
describe.each([
  ['GotSender', GotSender],
  ['NodeHttpSender', NodeHttpSender],
  ['UndiciSender', UndiciSender],
])('SSRF guard through %s (stubbed DNS, counted sockets)', (_name, Sender) => {
  const handed: string[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the socket as `this`
  const original = net.Socket.prototype.connect;
  let receiver: Server;
  let received = 0;
  const answers = new Map<string, string[][]>();
  const asked = new Map<string, number>();
  const resolve: Resolver = (hostname, cb) => {
    const n = asked.get(hostname) ?? 0;
    asked.set(hostname, n + 1);
    const script = answers.get(hostname);
    if (!script) return cb(Object.assign(new Error(`no stub for ${hostname}`), { code: 'ENOTFOUND' }), []);
    const list = script[Math.min(n, script.length - 1)] ?? [];
    cb(null, list.map((address): LookupAddress => ({ address, family: net.isIPv6(address) ? 6 : 4 })));
  };
  const sender = new Sender({ allow: { hosts: new Set(['allowed.test']) }, connectTimeoutMs: 1000, maxHosts: 100, resolve });

  const isLoopback = (a: string) => a === '127.0.0.1' || a === '::1';
  const blocked = () => Object.assign(new Error('test network guard: only loopback may be reached'), { code: 'ETESTBLOCKED' });

  beforeAll(async () => {
    receiver = createServer((_req, res) => {
      received++;
      res.end('ok');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    // Every TCP socket (http and https) goes through here before it connects.
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      // net.connect passes its normalised [options, callback] pair; tls.connect passes options.
      const opts: unknown = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
      if (opts && typeof opts === 'object') {
        const o = opts as net.TcpNetConnectOpts;
        if (o.host && net.isIP(o.host)) {
          handed.push(o.host);
          if (!isLoopback(o.host)) throw blocked();
        } else if (o.lookup) {
          const inner = o.lookup;
          o.lookup = ((host: string, options: object, cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void) =>
            inner(host, options, (err, address, family) => {
              if (err) return cb(err, '', 0);
              const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
              handed.push(...list);
              if (!list.every(isLoopback)) return cb(blocked(), '', 0);
              cb(null, address, family);
            }));
        }
      }
      return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    };
  });

  afterAll(async () => {
    net.Socket.prototype.connect = original;
    sender.close();
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
  });

  const post = (url: string) => sender.send({ url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2000 });

  // What a hostile or careless DNS zone can answer: loopback, private, link-local and cloud
  // metadata, CGNAT, multicast, broadcast, reserved and documentation ranges, IPv6 local
  // forms, and IPv4 hidden inside IPv6 (mapped, compatible, NAT64, 6to4, Teredo).
  const refusedAnswers = [
    '127.0.0.1', '127.0.0.53', '127.255.255.254', '0.0.0.0', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254',
    '192.168.0.1', '192.168.255.255', '169.254.169.254', '169.254.170.2', '100.64.0.1', '100.100.100.200', '224.0.0.1',
    '239.255.255.250', '255.255.255.255', '240.0.0.1', '192.0.2.10', '198.18.0.1', '198.51.100.7', '203.0.113.9',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254',
    '::ffff:10.0.0.1', '::127.0.0.1', '::7f00:1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::', '2001::1', '2001:db8::1',
  ];

  it.each(refusedAnswers.map((a, i) => [a, `case${i}.test`, i % 2 ? 'http' : 'https']))('refuses a name answering %s without handing it to a socket', async (address, host, scheme) => {
    answers.set(host, [[address]]);
    const before = handed.length;
    const r = await post(`${scheme}://${host}/hook`);
    expect(r).toMatchObject({ kind: 'error', errorClass: 'ssrf_refused' });
    expect(handed.slice(before)).toEqual([]);
  });

  // Literal addresses in the URL, in every spelling WHATWG URL parsing turns into a refused one.
  it.each([
    'http://127.0.0.1/', 'http://127.1/', 'http://2130706433/', 'http://0x7f000001/', 'http://017700000001/', 'http://0177.0.0.1/',
    'http://0/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:a9fe:a9fe]/', 'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/', 'http://10.1.2.3:8080/', 'https://[::]/',
  ])('refuses the literal %s before any socket exists', async (url) => {
    const before = handed.length;
    expect(await post(url)).toMatchObject({ kind: 'error', errorClass: 'ssrf_refused' });
    expect(handed.slice(before)).toEqual([]);
  });

  it('refuses a name whose answers mix a public and a private address, trusting neither', async () => {
    answers.set('mixed.test', [['93.184.216.34', '10.0.0.8']]);
    const before = handed.length;
    expect(await post('https://mixed.test/')).toMatchObject({ kind: 'error', errorClass: 'ssrf_refused' });
    expect(handed.slice(before)).toEqual([]);
  });

  it('survives DNS rebinding: a socket only ever gets the address that was checked', async () => {
    // First answer public, second private: a check-then-resolve-again client would connect to 127.0.0.1.
    answers.set('rebind.test', [['93.184.216.34'], ['127.0.0.1']]);
    const before = handed.length;
    const first = await post('https://rebind.test/');
    // The public address was checked, allowed and handed over (the test guard then stopped it).
    expect(handed.slice(before)).toEqual(['93.184.216.34']);
    expect(first.kind).toBe('error');
    const second = await post('https://rebind.test/');
    expect(second).toMatchObject({ kind: 'error', errorClass: 'ssrf_refused' });
    expect(asked.get('rebind.test')).toBe(2);
    expect(handed.slice(before)).toEqual(['93.184.216.34']);
  });

  it('counts real connections: an allowlisted name reaches the loopback receiver through the same path', async () => {
    answers.set('allowed.test', [['127.0.0.1']]);
    const port = (receiver.address() as AddressInfo).port;
    const before = handed.length;
    expect(await post(`http://allowed.test:${port}/ok`)).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(handed.slice(before)).toEqual(['127.0.0.1']);
    expect(received).toBe(1);
  });
});
