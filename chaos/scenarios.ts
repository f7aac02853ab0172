import { SERVICES, type ServiceName } from '@hookstream/testing';
import { sleep } from '../bench/harness/clock.ts';
import type { ChaosSystem } from './harness/system.ts';

export type Mode = 'short' | 'full';

export interface Sizes {
  /** Events per second, steady, through the whole scenario. */
  ratePerSecond: number;
  /** Load before the fault, and after it has been repaired. */
  leadMs: number;
  tailMs: number;
  /** How long Redis stays down, the broker and Postgres stay down, and hostile load lasts. */
  redisDownMs: number;
  infraDownMs: number;
  hostileMs: number;
}

export const SIZES: Record<Mode, Sizes> = {
  short: { ratePerSecond: 30, leadMs: 2000, tailMs: 2000, redisDownMs: 10_000, infraDownMs: 3000, hostileMs: 4000 },
  full: { ratePerSecond: 100, leadMs: 5000, tailMs: 5000, redisDownMs: 30_000, infraDownMs: 10_000, hostileMs: 20_000 },
};

export interface FaultContext {
  system: ChaosSystem;
  sizes: Sizes;
  log(message: string): void;
}

export interface ChaosScenario {
  name: string;
  title: string;
  /** In the short form (CI) too. */
  short: boolean;
  /** Every n-th event goes to the hostile receivers (0: none). */
  hostileEvery: number;
  /** Injects the fault and repairs it; load runs throughout. */
  inject(ctx: FaultContext): Promise<void>;
}

const killOne = (service: ServiceName): ChaosScenario => ({
  name: `kill_${service.replace(/-/g, '_')}`,
  title: `SIGKILL ${service}, then start it again`,
  short: false,
  hostileEvery: 0,
  inject: async ({ system }) => {
    await system.pipeline.restart(service, 'kill');
  },
});

export const SCENARIOS: readonly ChaosScenario[] = [
  ...SERVICES.map(killOne),
  {
    name: 'kill_all_services',
    title: 'SIGKILL all five services at once, then start them again',
    short: true,
    hostileEvery: 0,
    inject: async ({ system }) => {
      await system.killTogether(SERVICES);
    },
  },
  {
    name: 'kafka_crash',
    title: 'SIGKILL the (private) Kafka broker, keep it down, start it again',
    short: true,
    hostileEvery: 0,
    inject: async ({ system, sizes }) => {
      await system.infra.kafka.crash();
      await sleep(sizes.infraDownMs);
      await system.infra.kafka.start();
    },
  },
  {
    name: 'kafka_restart',
    title: 'stop the (private) Kafka broker gracefully, keep it down, start it again',
    short: false,
    hostileEvery: 0,
    inject: async ({ system, sizes }) => {
      await system.infra.kafka.stop();
      await sleep(sizes.infraDownMs);
      await system.infra.kafka.start();
    },
  },
  {
    name: 'postgres_restart',
    title: 'crash the (private) Postgres (pg_ctl stop -m immediate), keep it down, start it again',
    short: true,
    hostileEvery: 0,
    inject: async ({ system, sizes }) => {
      await system.infra.postgres.crash();
      await sleep(sizes.infraDownMs);
      await system.infra.postgres.start();
    },
  },
  {
    name: 'redis_outage',
    title: 'SIGKILL the (private) Redis, keep it down, start it again empty and FLUSHALL',
    short: false,
    hostileEvery: 0,
    inject: async ({ system, sizes }) => {
      await system.infra.redis.kill();
      await sleep(sizes.redisDownMs);
      await system.infra.redis.start();
      await system.infra.redis.flushAll();
    },
  },
  {
    name: 'hostile_receivers',
    title: 'receivers that hang, reset, answer slowly, answer 429 + Retry-After, send 8 MiB bodies, or always fail',
    short: true,
    hostileEvery: 3,
    inject: async ({ sizes }) => {
      await sleep(sizes.hostileMs);
    },
  },
];
