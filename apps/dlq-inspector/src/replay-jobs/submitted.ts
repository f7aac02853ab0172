import type { CreatedReplayJob, ReplayJobDryRun } from '@hookstream/contracts';
import type { Response } from 'express';

/** What a request to start a replay job (bulk or recover) answers with. */
export type Submitted = CreatedReplayJob | ReplayJobDryRun;

/** A new job answers 202; the same Idempotency-Key again answers 200 with that job; a dry run 200. */
export function answer(res: Response, result: Submitted): Submitted {
  res.status('dry_run' in result || !result.created ? 200 : 202);
  return result;
}
