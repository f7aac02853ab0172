import type { HookstreamClient } from '@hookstream/client';
import { Alert, Anchor, Badge, Button, Code, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { AttemptTable } from '../components/attempt-table.tsx';
import { ListState } from '../components/list-state.tsx';
import { TimeText } from '../components/time-text.tsx';
import { ActionAlert, useAction } from '../components/use-action.tsx';
import { useLoaded } from '../components/use-loaded.ts';
import { routeHref } from '../route.ts';
import { problemOf } from '../session.ts';
import { Field } from '../components/field.tsx';

/** One dead letter: why it died, every attempt, the payload (as text), and replay. */
export function DeadLetterPage({ api, id, tenantId, canReplay }: { api: HookstreamClient; id: string; tenantId: string | null; canReplay: boolean }) {
  const scope = tenantId ? { tenant_id: tenantId } : {};
  const { loaded, reload } = useLoaded(`${id}/${tenantId ?? ''}`, () => api.GET('/v1/dead-letters/{id}', { params: { path: { id }, query: scope } }));
  const { busy, outcome, run } = useAction();
  // One Idempotency-Key per page view: a double click, or a retry after a timeout, replays once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const replay = () =>
    run(async () => {
      const answer = await api.POST('/v1/dead-letters/{id}/replay', { params: { path: { id }, query: scope, header: { 'Idempotency-Key': idempotencyKey } } });
      reload();
      if (!answer.data) return { ok: false, problem: problemOf(answer.error, answer.response.status) };
      const r = answer.data;
      return { ok: true, text: r.created ? `Replayed: ${r.status}${r.detail ? ` (${r.detail})` : ''}.` : `Already replayed by this request: ${r.status}.` };
    });
  return (
    <Stack>
      <Anchor href={routeHref({ page: 'dead-letters', query: {} })} size="sm">
        ← Dead letters
      </Anchor>
      <ListState loaded={loaded} empty="" isEmpty={() => false}>
        {(d) => (
          <>
            <Group justify="space-between">
              <Title order={1} size="h2">
                {d.event_type} <Badge color="red" variant="light">{d.error_class}</Badge>
              </Title>
              {canReplay ? (
                <Button onClick={() => void replay()} loading={busy} disabled={outcome?.ok === true}>
                  Replay
                </Button>
              ) : null}
            </Group>
            <ActionAlert outcome={outcome} />
            <Alert color="red" variant="light" title="Why it died">
              <Text size="sm">{d.reason}</Text>
            </Alert>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Field label="Delivery id" value={<Text ff="monospace" size="sm">{d.id}</Text>} />
              <Field label="Event id (webhook-id)" value={<Text ff="monospace" size="sm">{d.event_id}</Text>} />
              <Field label="Subscription" value={<Text ff="monospace" size="sm">{d.subscription_id}</Text>} />
              <Field label="First attempt planned" value={<TimeText iso={d.first_attempt_at} />} />
              <Field label="Died" value={<TimeText iso={d.dead_at} />} />
              <Field label="Replayed" value={<Text size="sm">{d.replayed ? `yes, ${String(d.replay_count)} time(s), last ` : 'no'}{d.replayed ? <TimeText iso={d.replayed_at} /> : null}</Text>} />
              <Field label="Attempts" value={<Text size="sm">{d.attempts}</Text>} />
              <Field label="Delivery now" value={<Text size="sm">{d.delivery_status ?? '–'}</Text>} />
            </SimpleGrid>
            <Title order={2} size="h3">
              Attempts
            </Title>
            <AttemptTable attempts={d.attempt_history} />
            <Title order={2} size="h3">
              Payload
            </Title>
            <Text size="xs" c="dimmed">
              {d.headers_note}
            </Text>
            <Code block aria-label="Payload" tabIndex={0}>
              {JSON.stringify(d.payload, null, 2)}
            </Code>
          </>
        )}
      </ListState>
    </Stack>
  );
}
