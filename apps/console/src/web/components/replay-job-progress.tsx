import type { HookstreamClient } from '@hookstream/client';
import { Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { GetJson } from '../api-types.ts';
import { problemOf } from '../session.ts';
import { ActionAlert, useAction } from './use-action.tsx';

type Job = GetJson<'/v1/replay-jobs/{id}'>;

/** A replay job's progress, read from the replay-job API every second until it ends; cancellable. */
export function ReplayJobProgress({ api, jobId, tenantId, canCancel }: { api: HookstreamClient; jobId: string; tenantId: string | null; canCancel: boolean }) {
  const [job, setJob] = useState<Job | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const { busy, outcome, run } = useAction();
  const scope = tenantId ? { tenant_id: tenantId } : {};
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const answer = await api.GET('/v1/replay-jobs/{id}', { params: { path: { id: jobId }, query: scope } });
        if (stopped) return;
        if (answer.data) {
          setJob(answer.data);
          setFailed(null);
          if (answer.data.status === 'completed' || answer.data.status === 'cancelled') return;
        } else setFailed(problemOf(answer.error, answer.response.status).message);
      } catch (err) {
        if (!stopped) setFailed(problemOf(err).message);
      }
      timer = setTimeout(() => void poll(), 1000);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // The job, and who asks, name what is polled.
  }, [api, jobId, tenantId]);
  const percent = job ? Math.round(job.progress * 100) : 0;
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>Replay job {jobId.slice(0, 8)}</Text>
          <Text size="sm" role="status">
            {job ? job.status : 'starting'}
          </Text>
        </Group>
        <Progress value={percent} size="lg" aria-label="Replay progress" aria-valuetext={`${String(percent)} %`} animated={job?.status === 'running' || job?.status === 'queued'} />
        <Text size="sm">{job ? `${String(job.sent)} sent, ${String(job.skipped)} skipped, ${String(job.pending)} to go, of ${String(job.total)}` : 'waiting for the job'}</Text>
        {job?.last_error ? (
          <Text size="sm" c="red.8">
            {job.last_error}
          </Text>
        ) : null}
        {failed ? (
          <Text size="sm" c="red.8">
            Could not read the job: {failed}
          </Text>
        ) : null}
        {canCancel && job && (job.status === 'queued' || job.status === 'running') ? (
          <Button
            variant="default"
            size="xs"
            w="fit-content"
            loading={busy}
            onClick={() =>
              void run(async () => {
                const answer = await api.POST('/v1/replay-jobs/{id}/cancel', { params: { path: { id: jobId }, query: scope } });
                return answer.error === undefined ? { ok: true, text: 'Cancelled: nothing more is sent.' } : { ok: false, problem: problemOf(answer.error, answer.response.status) };
              })
            }
          >
            Cancel the job
          </Button>
        ) : null}
        <ActionAlert outcome={outcome} />
      </Stack>
    </Paper>
  );
}
