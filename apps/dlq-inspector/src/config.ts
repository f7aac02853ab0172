import { retentionDaysSchema, retentionJobConfigShape } from '@hookstream/db';
import { baseConfigSchema, quotaConfigShape } from '@hookstream/platform';
import { z } from 'zod';

const int = (min: number) => z.coerce.number().int().min(min);

export const inspectorConfigSchema = baseConfigSchema
  .extend({
    /** The HTTP port (health, metrics and the service's API); each service has its own default. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3004),
    /** A bulk replay's rate when the request names none: gentle on a partner that has just recovered. */
    REPLAY_DEFAULT_RATE_PER_SECOND: int(1).default(10),
    /** The highest rate a job may ask for. */
    REPLAY_MAX_RATE_PER_SECOND: int(1).max(100_000).default(1000),
    /**
     * The most dead letters one job may replay; a wider filter is refused (narrow it, or split it).
     * A job's letters are listed when it is created, within the request: about 300,000 took 13 s
     * on a loaded 2-core machine, against a 30 s statement timeout.
     */
    REPLAY_JOB_MAX_LETTERS: int(1).max(1_000_000).default(200_000),
    /** Jobs one dlq-inspector process runs at once; more wait for a free process. */
    REPLAY_JOBS_PER_REPLICA: int(1).max(64).default(2),
    /** Per-tenant quota defaults (QUOTA_REPLAY_JOBS is enforced here; the registry shows the same settings). */
    ...quotaConfigShape,
    /** Days a dead letter is kept after it died (replayed or not); the replays audit stays. */
    DEAD_LETTER_RETENTION_DAYS: retentionDaysSchema(365),
    ...retentionJobConfigShape,
    /** How long a process holds a job without renewing it; after a crash another one resumes it then. */
    REPLAY_JOB_LEASE_MS: int(1000).default(30_000),
    /** How often an idle process looks for jobs to run (a job created here starts at once). */
    REPLAY_JOB_POLL_MS: int(50).default(1000),
    /**
     * How long a produced replay counts against its job's rate before the job has seen the
     * dispatcher send it; then it counts as sent. 0 paces what is produced only.
     */
    REPLAY_IN_FLIGHT_TIMEOUT_MS: int(0).default(120_000),
    /** How often an idle live status stream gets a comment line, so proxies keep it open. */
    STATUS_STREAM_HEARTBEAT_MS: int(100).max(300_000).default(15_000),
    /** Live status streams one replica serves at once; more are answered 503. */
    STATUS_STREAM_MAX_CLIENTS: int(1).max(100_000).default(1000),
  })
  .refine((c) => c.REPLAY_DEFAULT_RATE_PER_SECOND <= c.REPLAY_MAX_RATE_PER_SECOND, {
    path: ['REPLAY_DEFAULT_RATE_PER_SECOND'],
    message: 'must not exceed REPLAY_MAX_RATE_PER_SECOND',
  });

export type InspectorConfig = z.infer<typeof inspectorConfigSchema>;
