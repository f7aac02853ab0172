import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { buildConnector } from 'undici';

/** Where deliveries leave through: an HTTP proxy that tunnels with CONNECT (squid, tinyproxy, a cloud NAT's proxy). */
export interface EgressProxy {
  host: string;
  port: number;
  /** `Proxy-Authorization` for proxies that want one (from the URL's user and password). */
  authorization: string | null;
}

/** Parses EGRESS_PROXY_URL (`http://[user:password@]host:port`); throws with the reason when unusable. */
export function parseEgressProxy(raw: string): EgressProxy {
  const url = new URL(raw);
  if (url.protocol !== 'http:') throw new Error('must be an http:// proxy URL (the tunnel carries TLS end to end)');
  if (url.pathname !== '/' || url.search || url.hash) throw new Error('must be only scheme, host and port');
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 80),
    authorization: user || password ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : null,
  };
}

/** A proxy failure: our egress path, not the endpoint (classified `egress_proxy`). */
export class EgressProxyError extends Error {
  readonly code = 'EPROXY';
}

const MAX_PROXY_ANSWER = 8192;

/**
 * An undici connector that sends through `proxy` without giving up the SSRF guarantees: the
 * target's name is resolved and judged here, by the same guarded lookup as direct sockets, and
 * the proxy is asked to CONNECT to that checked address, never to the name (so the proxy's own
 * DNS cannot be steered to a private address, and a refused address never reaches it). TLS then
 * runs end to end through the tunnel with the original host name (SNI and certificate check),
 * and the Host header stays the URL's.
 */
export function proxiedConnector(proxy: EgressProxy, lookup: LookupFunction, timeoutMs: number, secureContext: SecureContext | undefined): buildConnector.connector {
  const tls = buildConnector({ timeout: timeoutMs, ...(secureContext ? { secureContext } : {}) });
  return (opts, callback) => {
    const port = Number(opts.port || (opts.protocol === 'https:' ? 443 : 80));
    const hostname = opts.hostname.replace(/^\[|\]$/g, '');
    const judged = (err: Error | null, address: string) => {
      if (err) return callback(err, null);
      openTunnel(proxy, address, port, timeoutMs, (tunnelErr, socket) => {
        if (tunnelErr || !socket) return callback(tunnelErr ?? new EgressProxyError('no tunnel'), null);
        if (opts.protocol !== 'https:') return callback(null, socket);
        // undici's own TLS connector over the tunnel: servername and the certificate check use the name.
        tls({ ...opts, httpSocket: socket }, callback);
      });
    };
    // A literal IP was judged before the request (PooledSender.send); a name is judged now.
    if (isIP(hostname)) return judged(null, hostname);
    // With `all: false` the guarded lookup answers one address as a string.
    lookup(hostname, { all: false }, (err, address) => judged(err, typeof address === 'string' ? address : ''));
  };
}

/** `CONNECT address:port` through the proxy; the socket once it answers 200. */
function openTunnel(proxy: EgressProxy, address: string, port: number, timeoutMs: number, done: (err: Error | null, socket: Socket | null) => void): void {
  const target = `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
  const socket = netConnect({ host: proxy.host, port: proxy.port });
  let answer = Buffer.alloc(0);
  let settled = false;
  const finish = (err: Error | null) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.removeListener('data', onData);
    if (err) {
      socket.destroy();
      done(err, null);
    } else done(null, socket);
  };
  const timer = setTimeout(() => finish(new EgressProxyError(`the egress proxy did not open a tunnel to ${target} within ${timeoutMs} ms`)), timeoutMs);
  const onData = (chunk: Buffer) => {
    answer = Buffer.concat([answer, chunk]);
    const end = answer.indexOf('\r\n\r\n');
    if (end === -1) {
      if (answer.length > MAX_PROXY_ANSWER) finish(new EgressProxyError('the egress proxy answered CONNECT with an oversized header'));
      return;
    }
    const status = /^HTTP\/1\.[01] (\d{3})[^\r]*/.exec(answer.subarray(0, end).toString('latin1'));
    if (!status || status[1] !== '200') return finish(new EgressProxyError(`the egress proxy refused CONNECT ${target}: ${status?.[0].slice(9) ?? 'not an HTTP answer'}`));
    // Anything after the header already belongs to the tunnel (the proxy never sends it first).
    if (answer.length > end + 4) socket.unshift(answer.subarray(end + 4));
    finish(null);
  };
  socket.on('data', onData);
  socket.once('error', (err) => finish(new EgressProxyError(`the egress proxy at ${proxy.host}:${proxy.port} failed: ${err.message}`)));
  socket.once('close', () => finish(new EgressProxyError('the egress proxy closed the connection before the tunnel opened')));
  socket.once('connect', () => {
    const auth = proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : '';
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
  });
}

/**
 * The same tunnel for node's agents (the `node` and `got` clients): an agent whose sockets come
 * from the connector instead of its own connect and lookup.
 */
export function proxiedAgentConnection(connector: buildConnector.connector, protocol: 'http:' | 'https:') {
  return (options: { host?: string | null; hostname?: string | null; port?: number | string | null; servername?: string | null }, oncreate: (err: Error | null, socket?: Socket) => void): undefined => {
    const hostname = options.hostname ?? options.host ?? '';
    connector({ hostname, protocol, port: String(options.port ?? ''), ...(options.servername ? { servername: options.servername } : {}) }, (err, socket) => {
      if (err) oncreate(err);
      else oncreate(null, socket ?? undefined);
    });
    return undefined;
  };
}
