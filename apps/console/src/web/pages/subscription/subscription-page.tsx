import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Badge, Group, Stack, Tabs, Title } from '@mantine/core';
import { ListState } from '../../components/list-state.tsx';
import { useLoaded } from '../../components/use-loaded.ts';
import { routeHref } from '../../route.ts';
import { EditSubscription } from './edit-subscription.tsx';
import { EndpointHealth } from './endpoint-health.tsx';
import { RecoverPanel } from './recover-panel.tsx';
import { SecretPanel } from './secret-panel.tsx';
import { TestPanel } from './test-panel.tsx';

export interface SubscriptionPageProps {
  api: HookstreamClient;
  id: string;
  tenantId: string | null;
  can: (scope: string) => boolean;
}

/** One subscription: its health, its settings, its secret, a test event, and recovery. */
export function SubscriptionPage({ api, id, tenantId, can }: SubscriptionPageProps) {
  const scope = tenantId ? { tenant_id: tenantId } : {};
  const { loaded, reload } = useLoaded(`${id}/${tenantId ?? ''}`, () => api.GET('/v1/subscriptions/{id}', { params: { path: { id }, query: scope } }));
  return (
    <Stack>
      <Anchor href={routeHref({ page: 'subscriptions', query: {} })} size="sm">
        ← Subscriptions
      </Anchor>
      <ListState loaded={loaded} empty="" isEmpty={() => false}>
        {(s) => (
          <>
            <Group justify="space-between">
              <Title order={1} size="h2">
                {s.name ?? 'Subscription'}{' '}
                <Badge color={s.enabled ? 'green' : 'gray'} variant="light">
                  {s.enabled ? 'enabled' : `disabled${s.disabled_reason ? `: ${s.disabled_reason}` : ''}`}
                </Badge>
              </Title>
              <Anchor href={routeHref({ page: 'tail', query: { subscription_id: s.id } })} size="sm">
                Live tail of this endpoint
              </Anchor>
            </Group>
            <Tabs defaultValue="health" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="health">Health</Tabs.Tab>
                <Tabs.Tab value="settings">Settings</Tabs.Tab>
                {can('secrets:reveal') ? <Tabs.Tab value="secret">Secret</Tabs.Tab> : null}
                {can('subscriptions:write') ? <Tabs.Tab value="test">Send a test</Tabs.Tab> : null}
                {can('deliveries:retry') ? <Tabs.Tab value="recover">Recover</Tabs.Tab> : null}
              </Tabs.List>
              <Tabs.Panel value="health" pt="md">
                <EndpointHealth api={api} id={s.id} tenantId={tenantId} />
              </Tabs.Panel>
              <Tabs.Panel value="settings" pt="md">
                <EditSubscription api={api} subscription={s} tenantId={tenantId} canWrite={can('subscriptions:write')} onSaved={reload} />
              </Tabs.Panel>
              <Tabs.Panel value="secret" pt="md">
                <SecretPanel api={api} id={s.id} tenantId={tenantId} />
              </Tabs.Panel>
              <Tabs.Panel value="test" pt="md">
                <TestPanel api={api} id={s.id} tenantId={tenantId} eventTypes={s.event_types} />
              </Tabs.Panel>
              <Tabs.Panel value="recover" pt="md">
                <RecoverPanel api={api} id={s.id} tenantId={tenantId} />
              </Tabs.Panel>
            </Tabs>
          </>
        )}
      </ListState>
    </Stack>
  );
}
