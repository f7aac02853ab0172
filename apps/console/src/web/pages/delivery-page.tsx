import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Badge, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { AttemptTable } from '../components/attempt-table.tsx';
import { Field } from '../components/field.tsx';
import { ListState } from '../components/list-state.tsx';
import { ReasonDialog } from '../components/reason-dialog.tsx';
import { ActionAlert, useAction } from '../components/use-action.tsx';
import { TimeText } from '../components/time-text.tsx';
import { useLoaded } from '../components/use-loaded.ts';
import { statusColor } from '../format.ts';
import { retryScheduleText } from '../retry-schedule.ts';
import { routeHref } from '../route.ts';
import { problemOf } from '../session.ts';

/** One delivery: its state, every attempt, when the next one is due, and "retry now". */
export function DeliveryPage({ api, id, tenantId, canRetry, canReadSubscription }: { api: HookstreamClient; id: string; tenantId: string | null; canRetry: boolean; canReadSubscription: boolean }) {
  const scope = tenantId ? { tenant_id: tenantId } : {};
  const { loaded, reload } = useLoaded(`${id}/${tenantId ?? ''}`, () => api.GET('/v1/deliveries/{id}', { params: { path: { id }, query: scope } }));
  const [asking, setAsking] = useState(false);
  const { busy, outcome, run } = useAction();
  const retry = (reason: string) =>
    run(async () => {
      const answer = await api.POST('/v1/deliveries/{id}/retry', { params: { path: { id }, query: scope }, body: { reason } });
      setAsking(false);
      reload();
      return answer.error === undefined ? { ok: true, text: 'A new attempt was sent to the dispatcher.' } : { ok: false, problem: problemOf(answer.error, answer.response.status) };
    });
  return (
    <Stack>
      <Anchor href={routeHref({ page: 'deliveries', query: {} })} size="sm">
        ← Deliveries
      </Anchor>
      <ListState loaded={loaded} empty="" isEmpty={() => false}>
        {(d) => (
          <>
            <Group justify="space-between">
              <Title order={1} size="h2">
                {d.event_type} <Badge color={statusColor(d.status)} variant="light">{d.status}</Badge>
              </Title>
              {canRetry ? (
                <Button onClick={() => setAsking(true)} disabled={d.status === 'pending'}>
                  Retry now
                </Button>
              ) : null}
            </Group>
            <ActionAlert outcome={outcome} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Field label="Delivery id" value={<Text ff="monospace" size="sm">{d.id}</Text>} />
              <Field label="Event id (webhook-id)" value={<Text ff="monospace" size="sm">{d.event_id}</Text>} />
              <Field label="Subscription" value={<Text ff="monospace" size="sm">{d.subscription_id}</Text>} />
              <Field label="Created" value={<TimeText iso={d.created_at} />} />
              <Field label="Delivered" value={<TimeText iso={d.delivered_at} />} />
              <Field label="Next retry" value={<TimeText iso={d.next_retry_at} />} />
              <Field label="Attempts (this series)" value={<Text size="sm">{d.attempts}</Text>} />
              <Field label="Series (0 = original, +1 per replay)" value={<Text size="sm">{d.generation}</Text>} />
              <Field label="Last error" value={<Text size="sm">{d.last_error ?? '–'}</Text>} />
              {canReadSubscription ? <RetrySchedule api={api} subscriptionId={d.subscription_id} tenantId={tenantId} /> : null}
            </SimpleGrid>
            <Title order={2} size="h3">
              Attempts
            </Title>
            <AttemptTable attempts={d.attempt_history} />
            <ReasonDialog opened={asking} title="Retry this delivery now" action="Retry now" busy={busy} onClose={() => setAsking(false)} onConfirm={(r) => void retry(r)} />
          </>
        )}
      </ListState>
    </Stack>
  );
}

/** The retry schedule this delivery follows: its subscription's. */
function RetrySchedule({ api, subscriptionId, tenantId }: { api: HookstreamClient; subscriptionId: string; tenantId: string | null }) {
  const { loaded } = useLoaded(`retry/${subscriptionId}`, () => api.GET('/v1/subscriptions/{id}', { params: { path: { id: subscriptionId }, query: tenantId ? { tenant_id: tenantId } : {} } }));
  const text = loaded.state === 'ready' ? retryScheduleText(loaded.value.retry_policy) : loaded.state === 'loading' ? '…' : 'its subscription could not be read';
  return <Field label="Retry schedule" value={<Text size="sm">{text}</Text>} />;
}
