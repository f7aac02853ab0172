import type { HookstreamClient } from '@hookstream/client';
import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ReplayJobProgress } from '../../components/replay-job-progress.tsx';
import { ActionAlert, useAction } from '../../components/use-action.tsx';
import { localToIso } from '../../filters.ts';
import { problemOf } from '../../session.ts';

/**
 * Recover since a time: every dead letter of this subscription since then is replayed as a job
 * (paced, audited), its progress shown as it goes. A dry run first says how many.
 */
export function RecoverPanel({ api, id, tenantId }: { api: HookstreamClient; id: string; tenantId: string | null }) {
  const [since, setSince] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [matched, setMatched] = useState<number | null>(null);
  // One Idempotency-Key per panel: a double click starts one job.
  const [key] = useState(() => crypto.randomUUID());
  const { busy, outcome, run } = useAction();
  const iso = since ? localToIso(since) : null;
  const body = (dryRun: boolean) => ({ subscription_id: id, since: iso ?? '', dry_run: dryRun, ...(tenantId ? { tenant_id: tenantId } : {}) });
  return (
    <Stack maw={720}>
      <Group align="flex-end">
        <TextInput label="Since" type="datetime-local" value={since} onChange={(e) => setSince(e.currentTarget.value)} error={since && !iso ? 'a date and time between 1970 and 9999' : undefined} />
        <Button
          variant="default"
          disabled={!iso}
          loading={busy}
          onClick={() =>
            void run(async () => {
              const answer = await api.POST('/v1/replay-jobs/recover', { body: body(true) });
              if (!answer.data) return { ok: false, problem: problemOf(answer.error, answer.response.status) };
              const count = 'matched' in answer.data ? answer.data.matched : answer.data.total;
              setMatched(count);
              return { ok: true, text: `${String(count)} dead letter(s) would be replayed.` };
            })
          }
        >
          How many?
        </Button>
        <Button
          disabled={!iso || jobId !== null}
          loading={busy}
          onClick={() =>
            void run(async () => {
              const answer = await api.POST('/v1/replay-jobs/recover', { params: { header: { 'Idempotency-Key': key } }, body: body(false) });
              if (!answer.data) return { ok: false, problem: problemOf(answer.error, answer.response.status) };
              if (!('id' in answer.data)) return { ok: true, text: 'Nothing to replay.' };
              setJobId(answer.data.id);
              return { ok: true, text: `Replaying ${String(answer.data.total)} dead letter(s).` };
            })
          }
        >
          Recover
        </Button>
      </Group>
      {matched !== null && jobId === null ? <Text size="sm">Found {matched}.</Text> : null}
      <ActionAlert outcome={outcome} />
      {jobId ? <ReplayJobProgress api={api} jobId={jobId} tenantId={tenantId} canCancel /> : null}
    </Stack>
  );
}
