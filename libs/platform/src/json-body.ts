import { type FieldError, formatPath, inspectJsonText, type JsonTextProblem, MAX_BODY_DEPTH } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import type { NestExpressApplication } from '@nestjs/platform-express';
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
 * The JSON body parser, with a look at the text first: nesting past MAX_BODY_DEPTH is refused
 * before JSON.parse builds it (so nothing recursive ever walks it), and what JSON.parse would
 * silently change is recorded for the input interceptor. Keeps `req.rawBody` when asked, as Nest
 * would (its own rawBody hook would replace this one).
 */
export function useJsonBodyParser(app: NestExpressApplication, limit: number, keepRawBody: boolean): void {
  const adapter = app.getHttpAdapter() as unknown as { useBodyParser(type: 'json', rawBody: boolean, options: object): unknown };
  adapter.useBodyParser('json', false, {
    limit,
    verify: (req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, buf: Buffer, encoding: string) => {
      if (keepRawBody) req.rawBody = buf;
      const report = inspectJsonText(buf.toString(Buffer.isEncoding(encoding) ? encoding : 'utf8'), MAX_BODY_DEPTH);
      if (report.tooDeepAt) {
        throw new DomainError('validation_failed', `the body is nested deeper than ${MAX_BODY_DEPTH} levels`, [
          { path: formatPath(report.tooDeepAt), message: `nested deeper than ${MAX_BODY_DEPTH} levels` },
        ]);
      }
      if (report.problems.length) problemsByRequest.set(req, report.problems);
    },
  });
}
