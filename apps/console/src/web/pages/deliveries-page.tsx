import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Badge, Table, Text } from '@mantine/core';
import type { FilterField } from '../components/filter-form.tsx';
import { ListPage } from '../components/list-page.tsx';
import { TimeText } from '../components/time-text.tsx';
import { statusColor } from '../format.ts';
import { routeHref } from '../route.ts';

const FIELDS: readonly FilterField[] = ['status', 'event_type', 'subscription_id', 'status_code', 'since', 'until'];

/** Every delivery of the tenant, newest first, filtered by status, event type, subscription, HTTP status and time. */
export function DeliveriesPage({ api, query, tenantId, navigate }: { api: HookstreamClient; query: Record<string, string>; tenantId: string | null; navigate: (href: string) => void }) {
  return (
    <ListPage
      title="Deliveries"
      page="deliveries"
      fields={FIELDS}
      query={query}
      tenantId={tenantId}
      navigate={navigate}
      load={(q) => api.GET('/v1/deliveries', { params: { query: { ...q, limit: 25 } } })}
      empty="No deliveries match these filters."
      headers={['Created', 'Event type', 'Status', 'Attempts', 'Last answer', 'Delivery']}
      row={(d) => (
        <Table.Tr key={d.id}>
          <Table.Td>
            <TimeText iso={d.created_at} />
          </Table.Td>
          <Table.Td>{d.event_type}</Table.Td>
          <Table.Td>
            <Badge color={statusColor(d.status)} variant="light">
              {d.status}
            </Badge>
          </Table.Td>
          <Table.Td>{d.attempts}</Table.Td>
          <Table.Td>
            <Text size="sm" lineClamp={1}>
              {d.last_status_code ?? ''} {d.last_error ?? ''}
            </Text>
          </Table.Td>
          <Table.Td>
            <Anchor href={routeHref({ page: 'delivery', id: d.id })} ff="monospace" size="sm">
              {d.id.slice(0, 8)}
            </Anchor>
          </Table.Td>
        </Table.Tr>
      )}
    />
  );
}
