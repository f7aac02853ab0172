import type { FieldError } from '@hookstream/contracts';

/** An event failed local validation; nothing of the call was sent. */
export class HookstreamValidationError extends Error {
  constructor(
    message: string,
    /** Every failing field; `index` is the event's position in a batch. */
    readonly errors: ReadonlyArray<FieldError & { index: number }>,
  ) {
    super(message);
    this.name = 'HookstreamValidationError';
  }
}

/**
 * The gateway or the broker refused or could not take the events. `code` is the gateway's
 * error code (`rate_limited`, `validation_failed`, …), or `closed`, `timeout`, `unreachable`.
 */
export class HookstreamPublishError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null = null,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'HookstreamPublishError';
  }
}
