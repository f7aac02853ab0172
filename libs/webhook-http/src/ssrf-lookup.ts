import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type AllowList, isAddressAllowed } from '@hookstream/domain';

export class SsrfRefusedError extends Error {
  readonly code = 'ESSRF';
}

/** Answers every address of a name (A and AAAA), as `dns.lookup(name, { all: true })` does. */
export type Resolver = (hostname: string, cb: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, cb) => dnsLookup(hostname, { all: true, order: 'verbatim' }, cb);

/**
 * A `lookup` for sockets: resolves every A and AAAA answer, refuses the host if any answer is
 * not public (unless allowlisted), and hands the socket the very address it checked, so a DNS
 * answer that changes between check and connect (rebinding) cannot slip through.
 */
export function guardedLookup(allow: AllowList, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (err, addresses) => {
      if (err) return callback(err, '', 0);
      if (addresses.length === 0) return callback(Object.assign(new Error(`no addresses for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      for (const a of addresses) {
        const verdict = isAddressAllowed(hostname, a.address, allow);
        if (!verdict.allowed) {
          return callback(new SsrfRefusedError(`${hostname} resolves to ${a.address} (${verdict.range}), which is not allowed`), '', 0);
        }
      }
      const wanted = options.family === 6 ? 6 : options.family === 4 ? 4 : 0;
      const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
      if (usable.length === 0) return callback(Object.assign(new Error(`no IPv${wanted} address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      const first = usable[0];
      return callback(null, first.address, first.family);
    });
  };
}
