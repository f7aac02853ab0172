import { csvSchema, pemFileSchema } from '@hookstream/platform';
import { z } from 'zod';
import { DEFAULT_HTTP_CLIENT, HTTP_CLIENTS } from './create-sender.js';
import { type EgressProxy, parseEgressProxy } from './egress-proxy.js';
import type { SenderOptions } from './http-sender.js';

/**
 * The variables of every process that sends webhooks (the dispatcher, and the registry's endpoint
 * test), declared once so that a test request is sent exactly as a delivery would be.
 */
export const senderConfigShape = {
  /** Hosts that may be http or resolve to private or loopback addresses (local receivers in development and tests); empty in production. */
  DELIVERY_ALLOWLIST_HOSTS: csvSchema.default([]),
  /** `undici` sends twice what `node` does, and `node` twice what `got` does (ADR 0006). */
  HTTP_CLIENT: z.enum(HTTP_CLIENTS).default(DEFAULT_HTTP_CLIENT),
  /** TCP and TLS connect timeout of a webhook request (its total timeout is the subscription's `timeout_ms`). */
  CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5000),
  /** A PEM file of CA certificates trusted for endpoints' TLS in addition to the system's (a private CA of your partners, or a test CA); unset: the system's CAs only. */
  DELIVERY_CA_FILE: pemFileSchema(/-----BEGIN CERTIFICATE-----/, 'certificate').optional(),
  /**
   * An HTTP proxy every webhook (and OAuth token request) leaves through with CONNECT, for fixed egress IPs: `http://[user:password@]host:port`. The target is resolved and checked against the SSRF rules here first, and the proxy is asked for that address, never the name; unset: direct.
   */
  EGRESS_PROXY_URL: z
    .string()
    .transform((raw, ctx) => {
      try {
        return parseEgressProxy(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  /**
   * Named egress proxies a subscription may choose by its `egress_proxy` (one per region or per set of fixed IPs): `name=http://host:port,other=http://user:password@host:port`. Names are lowercase letters, digits, `-` and `_`; the registry refuses a name not listed here.
   */
  EGRESS_PROXIES: z
    .string()
    .transform((spec, ctx) => {
      const proxies = new Map<string, EgressProxy>();
      for (const entry of spec.split(',').map((e) => e.trim()).filter(Boolean)) {
        const eq = entry.indexOf('=');
        const name = entry.slice(0, eq);
        if (eq < 1 || !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name)) {
          ctx.addIssue({ code: 'custom', message: `"${entry.slice(0, 40)}" is not name=http://host:port with a lowercase name` });
          continue;
        }
        try {
          proxies.set(name, parseEgressProxy(entry.slice(eq + 1)));
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: `${name}: ${(err as Error).message}` });
        }
      }
      return proxies;
    })
    .default(new Map()),
};

export interface SenderConfig {
  DELIVERY_ALLOWLIST_HOSTS: string[];
  CONNECT_TIMEOUT_MS: number;
  DELIVERY_CA_FILE?: string | undefined;
  EGRESS_PROXY_URL?: EgressProxy | undefined;
  EGRESS_PROXIES: ReadonlyMap<string, EgressProxy>;
}

/** The sender options a service's config describes; pools and hosts are the caller's. */
export function senderOptionsFrom(config: SenderConfig, pools: Pick<SenderOptions, 'maxHosts' | 'maxSocketsPerHost'>): SenderOptions {
  return {
    allow: { hosts: new Set(config.DELIVERY_ALLOWLIST_HOSTS.map((h) => h.toLowerCase())) },
    connectTimeoutMs: config.CONNECT_TIMEOUT_MS,
    ...(config.DELIVERY_CA_FILE === undefined ? {} : { extraCaCertificates: config.DELIVERY_CA_FILE }),
    ...(config.EGRESS_PROXY_URL === undefined ? {} : { egressProxy: config.EGRESS_PROXY_URL }),
    egressProxies: config.EGRESS_PROXIES,
    ...pools,
  };
}
