import { type IncomingMessage, request as httpRequest, type RequestOptions } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import got, { type RequestError } from 'got';
import { AgentSender, classifyErrorCode, type NodeAgent, type OutgoingRequest, type PreparedRequest, type SendResult, storableBody } from './http-sender.js';

/** The first transport: got, with no redirects, no got retries, a connect and a total timeout. */
export class GotSender extends AgentSender {
  protected transport(req: OutgoingRequest, { url, pool: agent, connectMs, elapsed, bodyLimit }: PreparedRequest<NodeAgent>): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let size = 0;
      let statusCode = 0;
      let headers: Record<string, string | string[] | undefined> = {};
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const respond = () => finish({ kind: 'response', statusCode, headers, durationMs: elapsed(), responseBody: storableBody(Buffer.concat(chunks), bodyLimit) });
      const stream = got.stream.post(url, {
        body: req.body,
        headers: req.headers,
        agent: { http: agent, https: agent as HttpsAgent },
        timeout: { connect: connectMs, lookup: connectMs, request: req.timeoutMs },
        retry: { limit: 0 },
        followRedirect: false,
        throwHttpErrors: false,
        decompress: true,
        // Creates the request itself so that 'finish' (the whole request handed to the connection)
        // is watched from the first byte on; got announces its request too late to rely on.
        request: (target: URL, options: RequestOptions, callback?: (res: IncomingMessage) => void) => {
          const request = target.protocol === 'https:' ? httpsRequest(target, options, callback) : httpRequest(target, options, callback);
          if (req.onSent) request.once('finish', req.onSent);
          return request;
        },
      });
      stream.on('response', (res: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => {
        statusCode = res.statusCode;
        headers = res.headers;
      });
      stream.on('data', (chunk: Buffer) => {
        if (size < bodyLimit) chunks.push(chunk);
        size += chunk.length;
        // Only the first 4 KiB are kept; a huge body is not read to the end.
        if (size >= bodyLimit) {
          respond();
          stream.destroy();
        }
      });
      stream.on('end', respond);
      stream.on('error', (err: RequestError) => {
        if (settled) return;
        if (statusCode && err.code !== 'ETIMEDOUT') return respond();
        const cause = (err.cause as { code?: string } | undefined)?.code;
        finish({ kind: 'error', errorClass: classifyErrorCode(err.code ?? '', cause), message: describe(err), durationMs: elapsed(), responseBody: null });
      });
    });
  }
}

function describe(err: RequestError): string {
  const timing = err.code === 'ETIMEDOUT' ? ` (${(err as RequestError & { event?: string }).event ?? 'request'} timeout)` : '';
  return `${err.code ?? 'error'}: ${err.message}${timing}`.slice(0, 500);
}
