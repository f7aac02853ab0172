import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { AgentSender, classifyErrorCode, decoderFor, type NodeAgent, type OutgoingRequest, type PreparedRequest, type SendResult, storableBody } from './http-sender.js';

/**
 * node:http straight, for throughput: on loopback it posts 3-5 times as many requests per core
 * as got (bench `http_ceiling`), and the dispatcher's sending rate is bounded by its client.
 * Same contract as GotSender: no redirects, no retries, connect and total timeouts, the first
 * 4 KiB of the (decoded) body.
 */
export class NodeHttpSender extends AgentSender {
  protected transport(req: OutgoingRequest, { url, pool: agent, connectMs, elapsed, bodyLimit }: PreparedRequest<NodeAgent>): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      let statusCode = 0;
      let headers: IncomingMessage['headers'] = {};
      const chunks: Buffer[] = [];
      let size = 0;
      let connectTimer: NodeJS.Timeout | undefined;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(totalTimer);
        clearTimeout(connectTimer);
        resolve(result);
      };
      const respond = () => finish({ kind: 'response', statusCode, headers, durationMs: elapsed(), responseBody: storableBody(Buffer.concat(chunks), bodyLimit) });
      const timeOut = (which: string, ms: number) => {
        finish({ kind: 'error', errorClass: 'timeout', message: `ETIMEDOUT: ${which} timeout after ${ms} ms`, durationMs: elapsed(), responseBody: null });
        request.destroy();
      };

      const body = Buffer.from(req.body);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      let request: ClientRequest;
      try {
        request = send(url, { method: 'POST', agent, headers: { ...req.headers, 'content-length': String(body.length) } });
      } catch (err) {
        // node refuses a header it cannot write (a control character in a value) synchronously.
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        resolve({ kind: 'error', errorClass: classifyErrorCode(code), message: `${code}: ${(err as Error).message}`.slice(0, 500), durationMs: elapsed(), responseBody: null });
        return;
      }
      const totalTimer = setTimeout(() => timeOut('request', req.timeoutMs), req.timeoutMs);
      request.once('socket', (socket) => {
        // A reused keep-alive socket is already connected; only a new one gets a connect budget
        // (which covers the guarded DNS lookup too).
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => timeOut('connect', connectMs), connectMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      if (req.onSent) request.once('finish', req.onSent);
      request.on('response', (res: IncomingMessage) => {
        statusCode = res.statusCode ?? 0;
        headers = res.headers;
        const stream = decoded(res);
        stream.on('data', (chunk: Buffer) => {
          if (size < bodyLimit) chunks.push(chunk);
          size += chunk.length;
          // Only the first 4 KiB are kept; a huge body is not read to the end.
          if (size >= bodyLimit) {
            respond();
            request.destroy();
          }
        });
        stream.on('end', respond);
        // The status is the answer; a body cut off or badly encoded only shortens what is kept.
        stream.on('error', respond);
        res.on('aborted', respond);
      });
      request.on('error', (err: NodeJS.ErrnoException) => {
        if (settled) return;
        if (statusCode) return respond();
        const cause = (err.cause as { code?: string } | undefined)?.code;
        finish({ kind: 'error', errorClass: classifyErrorCode(err.code ?? '', cause), message: `${err.code ?? 'error'}: ${err.message}`.slice(0, 500), durationMs: elapsed(), responseBody: null });
      });
      request.end(body);
    });
  }
}

function decoded(res: IncomingMessage): Readable {
  const decoder = decoderFor(res.headers['content-encoding']);
  return decoder ? res.pipe(decoder) : res;
}
