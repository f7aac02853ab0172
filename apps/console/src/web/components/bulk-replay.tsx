import type { HookstreamClient } from '@hookstream/client';
import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { replayFilterOf } from '../filters.ts';
import { problemOf } from '../session.ts';
import { ReplayJobProgress } from './replay-job-progress.tsx';
import { ActionAlert, useAction } from './use-action.tsx';

/**
 * Replays, as one paced, audited job, the dead letters selected on the list, or else every one
 * the list's filters select: a dry run says how many first, then the job's progress bar follows
 * it to the end.
 */
export function BulkReplay({ api, query, selected, tenantId }: { api: HookstreamClient; query: Record<string, string>; selected: readonly string[]; tenantId: string | null }) {
  const filter = selected.length ? { delivery_ids: [...selected] } : replayFilterOf(query);
  const [matched, setMatched] = useState<{ count: number; seconds: number } | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [key] = useState(() => crypto.randomUUID());
  const { busy, outcome, run } = useAction();
  const body = (dryRun: boolean) => ({ filter, dry_run: dryRun, ...(tenantId ? { tenant_id: tenantId } : {}) });
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Text size="sm">
          {selected.length
            ? `Replay the ${String(selected.length)} dead letter(s) selected below, as one job.`
            : `Replay every dead letter these filters select${Object.keys(filter).length ? '' : ' (no filter: all of them)'}, as one job; or select some below.`}
        </Text>
        <Group>
          <Button
            variant="default"
            loading={busy}
            onClick={() =>
              void run(async () => {
                const answer = await api.POST('/v1/replay-jobs', { body: body(true) });
                if (!answer.data) return { ok: false, problem: problemOf(answer.error, answer.response.status) };
                const found = 'matched' in answer.data ? { count: answer.data.matched, seconds: answer.data.estimated_seconds } : { count: answer.data.total, seconds: 0 };
                setMatched(found);
                return { ok: true, text: `${String(found.count)} dead letter(s) match; about ${String(Math.ceil(found.seconds))} s at the job's rate.` };
              })
            }
          >
            How many?
          </Button>
          <Button
            disabled={!matched || matched.count === 0 || jobId !== null}
            loading={busy}
            onClick={() =>
              void run(async () => {
                const answer = await api.POST('/v1/replay-jobs', { params: { header: { 'Idempotency-Key': key } }, body: body(false) });
                if (!answer.data) return { ok: false, problem: problemOf(answer.error, answer.response.status) };
                if (!('id' in answer.data)) return { ok: true, text: 'Nothing to replay.' };
                setJobId(answer.data.id);
                return { ok: true, text: `Replay job started for ${String(answer.data.total)} dead letter(s).` };
              })
            }
          >
            Replay {matched ? String(matched.count) : ''} as a job
          </Button>
        </Group>
        <ActionAlert outcome={outcome} />
        {jobId ? <ReplayJobProgress api={api} jobId={jobId} tenantId={tenantId} canCancel /> : null}
      </Stack>
    </Paper>
  );
}
