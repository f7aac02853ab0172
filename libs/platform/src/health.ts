import { Controller, Get, HttpCode, Injectable, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiDoc } from './openapi.js';
import { Public } from './route-access.js';

export type HealthCheck = () => Promise<void> | void;

/**
 * Components register the dependencies they need (Postgres, Redis, Kafka, a caught-up index);
 * the service is ready only while every one of them answers.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private draining = false;

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  /** Called on SIGTERM so load balancers stop sending traffic before the process stops. */
  markDraining(): void {
    this.draining = true;
  }

  async run(timeoutMs = 2000): Promise<{ ok: boolean; checks: Record<string, string> }> {
    const results: Record<string, string> = {};
    if (this.draining) results['shutdown'] = 'draining';
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await withTimeout(Promise.resolve().then(check), timeoutMs, `${name} did not answer within ${timeoutMs} ms`);
          results[name] = 'ok';
        } catch (err) {
          results[name] = err instanceof Error ? err.message : String(err);
        }
      }),
    );
    return { ok: Object.values(results).every((r) => r === 'ok'), checks: results };
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
  @ApiDoc({ summary: 'Readiness: every dependency answers (503 otherwise)', response: z.object({ status: z.string(), checks: z.record(z.string(), z.string()) }) })
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: string; checks: Record<string, string> }> {
    const result = await this.health.run();
    res.status(result.ok ? 200 : 503);
    return { status: result.ok ? 'ready' : 'not_ready', checks: result.checks };
  }
}
