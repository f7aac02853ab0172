import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics.js';

/**
 * Counts every HTTP response by method, route pattern and status, and times it by route: the
 * ingestion 5xx alert and the dashboard's request panels read these. The route is the matched
 * pattern (`/v1/dead-letters/:id`), never the raw path, so the label set stays bounded; requests
 * no route matched count as `unmatched`.
 */
export function instrumentHttp(app: INestApplication, metrics: Metrics): void {
  const requests = metrics.counter('hookstream_http_requests_total', 'HTTP responses by method, route pattern and status code', ['method', 'route', 'status']);
  const duration = metrics.histogram('hookstream_http_request_duration_seconds', 'Time to answer an HTTP request, by method and route pattern', ['method', 'route'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeOf(req);
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  });
}

function routeOf(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl}${path}`;
}
