import type { TopicKey } from '@hookstream/contracts';
import type { ServiceName } from './processes.js';
import { type Pipeline, startPipeline } from './pipeline.js';
import { type ReceiverOptions, TestReceiver } from './receiver.js';
import type { SecureKafka } from './secure-kafka.js';
import { createTestStack, type TestStack } from './stack.js';

export type PipelineEnv = Partial<Record<ServiceName | 'all', Record<string, string>>>;

export interface PipelineFixtureOptions {
  receiver?: ReceiverOptions;
  /**
   * Per-service variables, merged over the loopback allowlist every end-to-end test needs; a
   * function is read when the services start (after the test's earlier beforeAll hooks).
   */
  env?: PipelineEnv | (() => PipelineEnv);
  partitions?: Partial<Record<TopicKey, number>>;
  /** A secure broker (startSecureKafka) instead of the local one, read when the stack is made. */
  secure?: () => SecureKafka;
}

export interface PipelineFixture {
  readonly stack: TestStack;
  readonly pipeline: Pipeline;
  readonly receiver: TestReceiver;
  /** Cleans up something the test opened, before the services and the stack go. */
  defer(cleanup: () => unknown): void;
}

type Hook = (fn: () => Promise<void>, timeoutMs?: number) => void;

/**
 * Jest's hooks as the globals it injects into test files: importing '@jest/globals' here would
 * break every program outside jest that imports @hookstream/testing (the bench, the chaos suite).
 */
function jestHooks(): { beforeAll: Hook; afterAll: Hook } {
  const g = globalThis as { beforeAll?: Hook; afterAll?: Hook };
  if (!g.beforeAll || !g.afterAll) throw new Error('usePipeline is for jest test files: beforeAll/afterAll are not defined here');
  return { beforeAll: g.beforeAll, afterAll: g.afterAll };
}

/** The receiver is on 127.0.0.1, which the URL rules and the SSRF guard refuse unless allowed. */
const LOOPBACK: PipelineEnv = {
  'subscription-registry': { DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1' },
  dispatcher: { DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1' },
};

export function mergeEnv(...layers: PipelineEnv[]): PipelineEnv {
  const merged: PipelineEnv = {};
  for (const layer of layers) {
    for (const [service, vars] of Object.entries(layer) as [keyof PipelineEnv, Record<string, string>][]) {
      merged[service] = { ...merged[service], ...vars };
    }
  }
  return merged;
}

/**
 * The five services as processes, a test stack and a receiver, for one describe block: started
 * in its beforeAll and torn down in its afterAll, whatever the tests did in between.
 */
export function usePipeline(label: string, options: PipelineFixtureOptions = {}): PipelineFixture {
  let stack: TestStack | undefined;
  let pipeline: Pipeline | undefined;
  let receiver: TestReceiver | undefined;
  const cleanups: (() => unknown)[] = [];
  const { beforeAll, afterAll } = jestHooks();

  beforeAll(async () => {
    stack = await createTestStack(label, { ...(options.partitions ? { partitions: options.partitions } : {}), ...(options.secure ? { secure: options.secure() } : {}) });
    receiver = await TestReceiver.start(options.receiver);
    const env = typeof options.env === 'function' ? options.env() : (options.env ?? {});
    pipeline = await startPipeline(stack, mergeEnv(LOOPBACK, env));
  }, 180_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await pipeline?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the pipeline fixture's ${what} is used before its beforeAll ran`);
    return value;
  };
  return {
    get stack() {
      return started(stack, 'stack');
    },
    get pipeline() {
      return started(pipeline, 'pipeline');
    },
    get receiver() {
      return started(receiver, 'receiver');
    },
    defer: (cleanup) => void cleanups.push(cleanup),
  };
}
