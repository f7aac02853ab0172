import type { ReplayAuditView } from '@hookstream/contracts';
import type { ReplayRecord } from './replays.repository.js';

export function auditView(r: ReplayRecord): ReplayAuditView {
  return {
    replay_id: r.id,
    job_id: r.job_id,
    requested_by: r.requested_by,
    requested_at: new Date(r.requested_at).toISOString(),
    status: r.status,
    generation: r.generation,
    sent_at: isoOrNull(r.sent_at),
    detail: r.detail,
  };
}

export function isoOrNull(d: Date | null): string | null {
  return d ? new Date(d).toISOString() : null;
}
