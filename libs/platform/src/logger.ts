import type { LoggerService } from '@nestjs/common';
import { type Bindings, type ChildLoggerOptions, type DestinationStream, pino, type Logger, type LoggerOptions } from 'pino';
import { redactLogArgs, redactRecord } from './redaction.js';

export type { Logger } from 'pino';

/** One JSON line per record, with the service name on every line so merged logs stay readable. */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every record's fields go through one redaction (see redaction.ts and the runbook's "What is
    // never logged"); messages are scrubbed of secret tokens and URL query strings too.
    formatters: { level: (label) => ({ level: label }), log: (record) => redactRecord(record) },
    // redactRecord has already made errors plain objects (type, message, stack, safe fields);
    // pino's own err serializer would re-read them and call every one an `Object`.
    serializers: { err: (e: unknown) => e },
    hooks: {
      logMethod(args, method) {
        method.apply(this, redactLogArgs(args) as Parameters<typeof method>);
      },
    },
  };
  return withRedactedChildren(destination ? pino(options, destination) : pino(options));
}

type ChildFn = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;

/**
 * pino writes a child's bindings once, past every formatter (it resets `formatters.bindings` for
 * children), so they are redacted here, on the way in, for children of children too.
 */
function withRedactedChildren(logger: Logger, original: ChildFn = Reflect.get(logger, 'child')): Logger {
  // pino's own child(), called on this logger: a child inherits its parent's properties, so each
  // level gets its own wrapper rather than the parent's.
  const redacted = (bindings: Bindings, options?: ChildLoggerOptions): Logger => withRedactedChildren(original.call(logger, redactRecord(bindings), options), original);
  logger.child = redacted as unknown as Logger['child'];
  return logger;
}

/** Routes Nest's own logging through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

export const LOGGER = Symbol('LOGGER');
