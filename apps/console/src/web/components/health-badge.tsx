import type { HookstreamClient } from '@hookstream/client';
import { Badge, Loader } from '@mantine/core';
import { useLoaded } from './use-loaded.ts';

const COLORS = { healthy: 'green', failing: 'red', disabled: 'gray' } as const;

/** A subscription's health at a glance (the registry's view: failing since when, auto-disable ahead). */
export function HealthBadge({ api, id, tenantId }: { api: HookstreamClient; id: string; tenantId: string | null }) {
  const { loaded } = useLoaded(`health-badge/${id}`, () => api.GET('/v1/subscriptions/{id}/health', { params: { path: { id }, query: tenantId ? { tenant_id: tenantId } : {} } }));
  if (loaded.state === 'loading') return <Loader size="xs" aria-label="Loading health" />;
  if (loaded.state === 'error') return <Badge color="gray" variant="light">unknown</Badge>;
  return (
    <Badge color={COLORS[loaded.value.status]} variant="light">
      {loaded.value.status}
    </Badge>
  );
}
