import { z } from 'zod';

/**
 * What the dlq-inspector's HTTP API answers, shared with its clients (the hookstream CLI imports
 * these types only, so it stays free of runtime dependencies).
 */

export const deadLetterViewSchema = z.object({
  id: z.string().describe('The delivery id'),
  tenant_id: z.string(),
  subscription_id: z.string(),
  event_id: z.string().describe('Also the webhook-id receivers saw, and will see again on replay'),
  event_type: z.string(),
  reason: z.string(),
  error_class: z.string(),
  last_status_code: z.number().nullable(),
  attempts: z.number(),
  generation: z.number().describe('The attempt series it died in: 0 for the original, higher after replays'),
  dead_at: z.string(),
  replayed: z.boolean().describe('Whether its latest death has been replayed'),
  replayed_at: z.string().nullable(),
  replay_count: z.number(),
  delivery_status: z.string().nullable().describe('The delivery now (dispatcher): delivered, failing, dead or pending'),
});
export type DeadLetterView = z.infer<typeof deadLetterViewSchema>;

/** One attempt the dispatcher made (or a postponement by an open circuit breaker). */
export const attemptViewSchema = z.object({
  attempt: z.number(),
  origin: z.string(),
  outcome: z.string(),
  status_code: z.number().nullable(),
  error_class: z.string().nullable(),
  error_message: z.string().nullable(),
  response_body: z.string().nullable().describe('The first 4 KiB of the answer'),
  request_url: z.string(),
  started_at: z.string(),
  duration_ms: z.number().nullable(),
});
export type AttemptView = z.infer<typeof attemptViewSchema>;

/** One replay: who asked, when, as which generation, and what came of it. */
export const replayAuditViewSchema = z.object({
  replay_id: z.string(),
  job_id: z.string().nullable().describe('The replay job it was part of; null for a single replay'),
  requested_by: z.string().describe('The API key id that asked for it'),
  requested_at: z.string(),
  status: z.string().describe('pending (its job has yet to reach it), sent, skipped (why: detail) or failed'),
  generation: z.number().nullable(),
  sent_at: z.string().nullable(),
  detail: z.string().nullable(),
});
export type ReplayAuditView = z.infer<typeof replayAuditViewSchema>;

export const deadLetterDetailSchema = deadLetterViewSchema.extend({
  payload: z.unknown(),
  first_attempt_at: z.string(),
  headers_note: z.string(),
  attempt_history: z.array(attemptViewSchema).describe('The latest 100 attempts, oldest first, across every generation'),
  replays: z.array(replayAuditViewSchema).describe('Newest first'),
});
export type DeadLetterDetail = z.infer<typeof deadLetterDetailSchema>;

export const replayViewSchema = replayAuditViewSchema.extend({
  delivery_id: z.string(),
  created: z.boolean().describe('False when the Idempotency-Key repeated an earlier request: nothing was sent again'),
});
export type ReplayView = z.infer<typeof replayViewSchema>;

export const replayJobStatusSchema = z.enum(['queued', 'running', 'completed', 'cancelled']);
export type ReplayJobStatus = z.infer<typeof replayJobStatusSchema>;

export const replayJobViewSchema = z.object({
  id: z.string(),
  tenant_id: z.string().nullable().describe('null: an operator’s job across every tenant'),
  kind: z.enum(['bulk', 'recover']),
  filter: z.record(z.string(), z.unknown()),
  rate_per_second: z.number(),
  status: replayJobStatusSchema,
  total: z.number().describe('Dead letters the job set out to replay: those matching and not replayed since they died, when it was created'),
  sent: z.number(),
  skipped: z.number().describe('Replayed by someone else meanwhile, or held because the subscription is disabled or gone'),
  pending: z.number(),
  progress: z.number().describe('(sent + skipped) / total, from 0 to 1'),
  requested_by: z.string(),
  idempotency_key: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  cancelled_by: z.string().nullable(),
  last_error: z.string().nullable(),
});
export type ReplayJobView = z.infer<typeof replayJobViewSchema>;

export const createdReplayJobSchema = replayJobViewSchema.extend({
  created: z.boolean().describe('False when the Idempotency-Key named an existing job: nothing new was started'),
});
export type CreatedReplayJob = z.infer<typeof createdReplayJobSchema>;

export const replayJobDryRunSchema = z.object({
  dry_run: z.literal(true),
  matched: z.number(),
  rate_per_second: z.number(),
  estimated_seconds: z.number(),
});
export type ReplayJobDryRun = z.infer<typeof replayJobDryRunSchema>;

/** A page of any list. */
export interface ListPage<T> {
  data: T[];
  next_cursor: string | null;
}
