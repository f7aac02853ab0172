import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { ListPage } from '../components/list-page.tsx';
import { routeHref } from '../route.ts';

/** The tenant's subscriptions: where each sends, what it receives, whether it is on. */
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
      headers={['Name', 'URL', 'Event types', 'State']}
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
            <Badge color={s.enabled ? 'green' : 'gray'} variant="light">
              {s.enabled ? 'enabled' : `disabled${s.disabled_reason ? `: ${s.disabled_reason}` : ''}`}
            </Badge>
          </Table.Td>
        </Table.Tr>
      )}
    />
  );
}
