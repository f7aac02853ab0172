import type { IncomingHttpHeaders } from 'node:http';
import type { Transform } from 'node:stream';
import { type Dispatcher, Pool } from 'undici';
import { proxiedConnector } from './egress-proxy.js';
import { classifyErrorCode, decoderFor, type OutgoingRequest, type PoolRoute, PooledSender, type PreparedRequest, type SendResult, storableBody } from './http-sender.js';

/**
 * undici's Pool, one per origin, driven through its dispatch API (no stream per response, no
 * promise per step): the cheapest way to move a webhook this process has (ADR 0006). Same
 * contract as the other senders: the SSRF-checked lookup on every new socket, no redirects, no
 * retries, connect and total timeouts, the first 4 KiB of the (decoded) body.
 */
export class UndiciSender extends PooledSender<Pool> {
  protected createPool(url: URL, sockets: number, { secureContext, proxy }: PoolRoute): Pool {
    return new Pool(url.origin, {
      connections: sockets,
      pipelining: 1,
      // An idle socket is kept as long as node's agents keep theirs, unless the server says less.
      keepAliveTimeout: 60_000,
      connect: proxy
        ? proxiedConnector(proxy, this.lookup, this.options.connectTimeoutMs, secureContext)
        : { lookup: this.lookup, timeout: this.options.connectTimeoutMs, ...(secureContext ? { secureContext } : {}) },
    });
  }

  protected destroyPool(pool: Pool): void {
    // Destroying aborts the pool's requests (each already settled or answered as an error by its
    // handler); the promise only says the sockets are closed, which nothing waits for.
    void pool.destroy().catch(() => undefined);
  }

  protected transport(req: OutgoingRequest, { url, pool, elapsed, bodyLimit }: PreparedRequest<Pool>): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      let statusCode = 0;
      let headers: IncomingHttpHeaders = {};
      const kept: Buffer[] = [];
      let size = 0;
      let decoder: Transform | null = null;
      let controller: Dispatcher.DispatchController | null = null;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const fail = (err: Error & { code?: string; cause?: unknown }) => {
        const cause = (err.cause as { code?: string } | undefined)?.code;
        finish({ kind: 'error', errorClass: classifyErrorCode(err.code ?? '', cause), message: `${err.code ?? 'error'}: ${err.message}`.slice(0, 500), durationMs: elapsed(), responseBody: null });
      };
      const respond = () => finish({ kind: 'response', statusCode, headers, durationMs: elapsed(), responseBody: storableBody(Buffer.concat(kept), bodyLimit) });
      const keep = (chunk: Buffer) => {
        if (size < bodyLimit) kept.push(chunk);
        size += chunk.length;
        // Only the first 4 KiB are kept; a huge body is not read to the end.
        if (size >= bodyLimit) {
          respond();
          decoder?.destroy();
          controller?.abort(new Error('response body limit reached'));
        }
      };
      // One budget for the whole exchange; the pool's connect timeout bounds a new socket's share.
      const timer = setTimeout(() => {
        finish({ kind: 'error', errorClass: 'timeout', message: `ETIMEDOUT: request timeout after ${req.timeoutMs} ms`, durationMs: elapsed(), responseBody: null });
        controller?.abort(new Error('request timeout'));
      }, req.timeoutMs);

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: (c) => {
          controller = c;
          if (settled) c.abort(new Error('request timeout'));
        },
        onRequestSent: () => req.onSent?.(),
        onResponseStart: (_c, status, responseHeaders) => {
          statusCode = status;
          headers = responseHeaders;
          decoder = decoderFor(responseHeaders['content-encoding']);
          if (decoder) {
            decoder.on('data', keep);
            decoder.on('end', respond);
            // The status is the answer; a body cut off or badly encoded only shortens what is kept.
            decoder.on('error', respond);
          }
        },
        onResponseData: (_c, chunk) => {
          if (decoder) decoder.write(chunk);
          else keep(chunk);
        },
        onResponseEnd: () => {
          if (decoder) decoder.end();
          else respond();
        },
        onResponseError: (_c, err) => {
          if (statusCode) return respond();
          fail(err);
        },
      };
      try {
        pool.dispatch({ path: `${url.pathname}${url.search}`, method: 'POST', headers: req.headers, body: req.body, headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs }, handler);
      } catch (err) {
        // undici refuses a header it cannot write (a control character in a value) synchronously.
        fail(err as Error);
      }
    });
  }
}
