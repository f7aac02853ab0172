import { createServer, type Server } from 'node:http';
import type { Logger } from '@hookstream/platform/standalone';
import type { ConsoleConfig } from './config.js';
import type { WebFiles } from './static-files.js';
import { COMMON_HEADERS } from './security-headers.js';
import { forward, sendJsonError, upstreamFor } from './upstream.js';

/**
 * The console's whole server: the app's files under one strict CSP, and the browser's API calls
 * forwarded to the services from the same origin (docs/adr/0010-console.md). It holds no state and
 * no credentials: the API key travels in each request's Authorization header, as it would from
 * the CLI, and each service checks it.
 */
export function createConsoleServer(config: ConsoleConfig, web: WebFiles, logger: Logger): Server {
  return createServer((req, res) => {
    let url: URL;
    try {
      // The URL parser resolves `..`, `%2e%2e` and repeated slashes before anything is matched.
      url = new URL(req.url ?? '/', 'http://console.invalid');
    } catch {
      sendJsonError(res, 400, 'invalid_request', 'the request target is not a URL path');
      return;
    }
    const method = req.method ?? 'GET';
    if (url.pathname.includes('%00') || url.pathname.includes('\0')) {
      sendJsonError(res, 400, 'invalid_request', 'the path holds a NUL character');
      return;
    }
    if (url.pathname === '/health/live' || url.pathname === '/health/ready') {
      res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end('{"status":"ok"}');
      return;
    }
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      const target = upstreamFor(url.pathname, url.search, method, config);
      if (target.kind === 'refused') sendJsonError(res, target.status, target.code, target.message, { path: url.pathname });
      else forward(req, res, target, config.UPSTREAM_TIMEOUT_MS, logger);
      return;
    }
    web.serve(url.pathname, method, res);
  });
}
