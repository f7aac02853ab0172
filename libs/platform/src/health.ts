import { Controller, Get, HttpCode, Injectable, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiDoc } from './openapi.js';
import { Public } from './route-access.js';

export type HealthCheck = () => Promise<void> | void;

export interface HealthCheckOptions {
  /**
   * A critical dependency failing makes the service not ready (503). A non-critical one, a fast
   * path the service can work without (Redis), only marks it degraded: taking every pod out of
   * its load balancer because a cache is down would turn a slowdown into an outage.
   */
  critical?: boolean;
}

export interface HealthReport {
  ok: boolean;
  degraded: boolean;
  checks: Record<string, string>;
}

/**
 * Components register the dependencies they need (Postgres, Kafka, a caught-up index; Redis as
 * non-critical); the service is ready only while every critical one answers.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, { check: HealthCheck; critical: boolean }>();
  private draining = false;

  register(name: string, check: HealthCheck, options: HealthCheckOptions = {}): void {
    this.checks.set(name, { check, critical: options.critical ?? true });
  }

  /** Called on SIGTERM so load balancers stop sending traffic before the process stops. */
  markDraining(): void {
    this.draining = true;
  }

  async run(timeoutMs = 2000): Promise<HealthReport> {
    const results: Record<string, string> = {};
    let ok = !this.draining;
    let degraded = false;
    if (this.draining) results['shutdown'] = 'draining';
    await Promise.all(
      [...this.checks].map(async ([name, { check, critical }]) => {
        try {
          await withTimeout(Promise.resolve().then(check), timeoutMs, `${name} did not answer within ${timeoutMs} ms`);
          results[name] = 'ok';
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          results[name] = critical ? message : `degraded: ${message}`;
          if (critical) ok = false;
          else degraded = true;
        }
      }),
    );
    return { ok, degraded, checks: results };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthRegistry) {}

  @Public()
  @ApiDoc({ summary: 'Liveness: the process answers', response: z.object({ status: z.literal('ok') }) })
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @ApiDoc({
    summary: 'Readiness: every critical dependency answers (503 otherwise; "degraded" while a fast path such as Redis is down)',
    response: z.object({ status: z.enum(['ready', 'degraded', 'not_ready']), checks: z.record(z.string(), z.string()) }),
  })
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ready' | 'degraded' | 'not_ready'; checks: Record<string, string> }> {
    const result = await this.health.run();
    res.status(result.ok ? 200 : 503);
    return { status: result.ok ? (result.degraded ? 'degraded' : 'ready') : 'not_ready', checks: result.checks };
  }
}
