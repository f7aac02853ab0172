import type { HookstreamClient } from '@hookstream/client';
import { Button, Group, NumberInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { SecretReveal } from '../../components/secret-reveal.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { ActionAlert, useAction } from '../../components/use-action.tsx';
import { problemOf } from '../../session.ts';

/**
 * The signing secret: rotated with an overlap (the old one keeps signing alongside until then),
 * the new one shown once, here, behind an explicit reveal. Reading the current ones is an action
 * too, never done on opening the page.
 */
export function SecretPanel({ api, id, tenantId }: { api: HookstreamClient; id: string; tenantId: string | null }) {
  const [overlapHours, setOverlapHours] = useState<number | string>(24);
  const [rotated, setRotated] = useState<{ secret: string | null; previousUntil: string } | null>(null);
  const [current, setCurrent] = useState<{ id: string; secret: string | null; expires_at: string | null }[] | null>(null);
  const { busy, outcome, run } = useAction();
  const query = tenantId ? { tenant_id: tenantId } : {};
  const hours = typeof overlapHours === 'number' ? overlapHours : Number(overlapHours);
  const hoursOk = Number.isFinite(hours) && hours >= 0 && hours <= 168;
  return (
    <Stack maw={720}>
      <ActionAlert outcome={outcome} />
      <Group align="flex-end">
        <NumberInput label="Overlap (hours the old secret keeps signing too)" min={0} max={168} step={1} value={overlapHours} onChange={setOverlapHours} error={hoursOk ? undefined : '0 to 168 hours'} w={320} />
        <Button
          disabled={!hoursOk}
          loading={busy}
          onClick={() =>
            void run(async () => {
              const answer = await api.POST('/v1/subscriptions/{id}/secret/rotate', { params: { path: { id }, query }, body: { overlap_seconds: Math.round(hours * 3600) } });
              if (!answer.data) return { ok: false, problem: problemOf(answer.error, answer.response.status) };
              setRotated({ secret: answer.data.secret.secret, previousUntil: answer.data.previous_expires_at });
              return { ok: true, text: 'Rotated.' };
            })
          }
        >
          Rotate the secret
        </Button>
      </Group>
      {rotated ? (
        <>
          {rotated.secret ? <SecretReveal secret={rotated.secret} once /> : null}
          <Text size="sm">
            The previous secret keeps signing until <TimeText iso={rotated.previousUntil} size="sm" />.
          </Text>
        </>
      ) : null}
      <Button
        variant="default"
        w="fit-content"
        onClick={() =>
          void run(async () => {
            const answer = await api.GET('/v1/subscriptions/{id}/secret', { params: { path: { id }, query } });
            if (!answer.data) return { ok: false, problem: problemOf(answer.error, answer.response.status) };
            setCurrent(answer.data.data);
            return { ok: true, text: `${String(answer.data.data.length)} active secret(s).` };
          })
        }
      >
        Show the active secrets
      </Button>
      {current?.map((c) => (c.secret ? <SecretReveal key={c.id} secret={c.secret} once={false} /> : null))}
    </Stack>
  );
}
