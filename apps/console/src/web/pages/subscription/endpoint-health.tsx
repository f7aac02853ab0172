import type { HookstreamClient } from '@hookstream/client';
import { Alert, Badge, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { ListState } from '../../components/list-state.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoaded } from '../../components/use-loaded.ts';
import { showDuration } from '../../format.ts';
import { Field } from '../../components/field.tsx';

// The charts (Recharts) are most of the app's weight: loaded when a subscription's health is first shown.
const HealthCharts = lazy(() => import('../../components/health-charts.tsx').then((m) => ({ default: m.HealthCharts })));

/** How the endpoint is doing: at a glance (rate, breaker, retries, dead letters), then over time. */
export function EndpointHealth({ api, id, tenantId }: { api: HookstreamClient; id: string; tenantId: string | null }) {
  const scope = tenantId ? { tenant_id: tenantId } : {};
  const { loaded } = useLoaded(`health/${id}`, () => api.GET('/v1/endpoint-health/{subscriptionId}', { params: { path: { subscriptionId: id }, query: scope } }));
  const registry = useLoaded(`registry-health/${id}`, () => api.GET('/v1/subscriptions/{id}/health', { params: { path: { id }, query: scope } }));
  return (
    <ListState loaded={loaded} empty="" isEmpty={() => false}>
      {(h) => {
        const failing = h.last_hour.success_rate !== null && h.last_hour.success_rate < 0.95;
        const rate = (r: number | null) => (r === null ? 'no attempts' : `${(r * 100).toFixed(1)} %`);
        return (
          <Stack>
            <Group gap="xs">
              <Badge color={failing ? 'red' : h.last_hour.attempts === 0 ? 'gray' : 'green'} variant="light" size="lg">
                {failing ? 'failing' : h.last_hour.attempts === 0 ? 'quiet' : 'healthy'}
              </Badge>
              <Badge color={h.breaker.state === 'open' ? 'red' : 'gray'} variant="light" size="lg">
                breaker {h.breaker.state}
              </Badge>
            </Group>
            {registry.loaded.state === 'ready' && registry.loaded.value.auto_disable_at ? (
              <Alert color="orange" title="Will be disabled" role="status">
                Every attempt has failed since <TimeText iso={registry.loaded.value.failing_since} />; unless one succeeds, the subscription is disabled at <TimeText iso={registry.loaded.value.auto_disable_at} />.
              </Alert>
            ) : null}
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Field label="Success, last hour" value={<Text size="sm">{rate(h.last_hour.success_rate)} of {h.last_hour.attempts}</Text>} />
              <Field label="Success, last day" value={<Text size="sm">{rate(h.last_day.success_rate)} of {h.last_day.attempts}</Text>} />
              <Field label="p50 / p95, last hour" value={<Text size="sm">{showDuration(h.last_hour.p50_ms)} / {showDuration(h.last_hour.p95_ms)}</Text>} />
              <Field label="Pending retries" value={<Text size="sm">{h.pending_retries}</Text>} />
              <Field label="Dead letters (not replayed)" value={<Text size="sm">{h.dead_letters}</Text>} />
              <Field label="Last success" value={<TimeText iso={h.last_success_at} />} />
              <Field label="Last failure" value={h.last_failure ? <Text size="sm">{h.last_failure.error_class ?? ''} {h.last_failure.status_code ?? ''}</Text> : <Text size="sm">–</Text>} />
              <Field label="Breaker last opened" value={<TimeText iso={h.breaker.last_opened_at} />} />
            </SimpleGrid>
            {h.last_failure?.reason ? (
              <Text size="sm">
                Last failure, <TimeText iso={h.last_failure.at} size="sm" />: {h.last_failure.reason}
              </Text>
            ) : null}
            <Suspense fallback={<Loader size="sm" aria-label="Loading the charts" />}>
              <HealthCharts minutes={h.series.minutes} hours={h.series.hours} />
            </Suspense>
          </Stack>
        );
      }}
    </ListState>
  );
}
