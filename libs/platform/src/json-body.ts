import { type FieldError, formatPath, inspectJsonText, type JsonTextProblem, MAX_BODY_DEPTH } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import type { IncomingMessage } from 'node:http';

const problemsByRequest = new WeakMap<object, JsonTextProblem[]>();

/** What the JSON text of this request's body hid from JSON.parse (duplicate keys, inexact numbers). */
export function jsonTextProblemsOf(req: object): JsonTextProblem[] {
  return problemsByRequest.get(req) ?? [];
}

export function toFieldErrors(problems: readonly JsonTextProblem[]): FieldError[] {
  return problems.map((p) => ({ path: formatPath(p.path), message: p.message }));
}

/**
 * The JSON body parser's `verify` hook: a look at the text before JSON.parse builds it. Nesting
 * past MAX_BODY_DEPTH is refused (so nothing recursive ever walks it), and what JSON.parse would
 * silently change (duplicate keys, inexact numbers) is recorded for the input interceptor.
 * Keeps `req.rawBody` when asked, for routes that verify a signature over the exact bytes.
 */
export function jsonBodyVerifier(keepRawBody: boolean): (req: IncomingMessage & { rawBody?: Buffer }, res: unknown, buf: Buffer, encoding: string) => void {
  return (req, _res, buf, encoding) => {
    if (keepRawBody) req.rawBody = buf;
    const report = inspectJsonText(buf.toString(Buffer.isEncoding(encoding) ? encoding : 'utf8'), MAX_BODY_DEPTH);
    if (report.tooDeepAt) {
      throw new DomainError('validation_failed', `the body is nested deeper than ${MAX_BODY_DEPTH} levels`, [
        { path: formatPath(report.tooDeepAt), message: `nested deeper than ${MAX_BODY_DEPTH} levels` },
      ]);
    }
    if (report.problems.length) problemsByRequest.set(req, report.problems);
  };
}
