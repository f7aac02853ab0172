import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Button, Table, Text } from '@mantine/core';
import { HealthBadge } from '../components/health-badge.tsx';
import { ListPage } from '../components/list-page.tsx';
import { routeHref } from '../route.ts';

/** The tenant's subscriptions: where each sends, what it receives, and which are failing, at a glance. */
export function SubscriptionsPage({ api, query, tenantId, canWrite, navigate }: { api: HookstreamClient; query: Record<string, string>; tenantId: string | null; canWrite: boolean; navigate: (href: string) => void }) {
  return (
    <ListPage
      title="Subscriptions"
      page="subscriptions"
      fields={[]}
      query={query}
      tenantId={tenantId}
      navigate={navigate}
      load={(q) => api.GET('/v1/subscriptions', { params: { query: { ...q, limit: 25 } } })}
      empty="No subscriptions yet."
      headers={['Name', 'URL', 'Event types', 'Health']}
      titleAction={
        canWrite ? (
          <Button component="a" href={routeHref({ page: 'subscription-new' })}>
            New subscription
          </Button>
        ) : null
      }
      row={(s) => (
        <Table.Tr key={s.id}>
          <Table.Td>
            <Anchor href={routeHref({ page: 'subscription', id: s.id })} size="sm">
              {s.name ?? s.id.slice(0, 8)}
            </Anchor>
          </Table.Td>
          <Table.Td>
            <Text size="sm" ff="monospace" lineClamp={1}>
              {s.url}
            </Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{s.event_types.join(', ')}</Text>
          </Table.Td>
          <Table.Td>
            <HealthBadge api={api} id={s.id} tenantId={tenantId} />
          </Table.Td>
        </Table.Tr>
      )}
    />
  );
}
