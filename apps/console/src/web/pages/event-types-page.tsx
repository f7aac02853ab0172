import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Badge, Table, Text } from '@mantine/core';
import { ListPage } from '../components/list-page.tsx';
import { routeHref } from '../route.ts';

/** The tenant's event catalog: each type, whether it has a schema, whether it is deprecated. */
export function EventTypesPage({ api, query, tenantId, navigate }: { api: HookstreamClient; query: Record<string, string>; tenantId: string | null; navigate: (href: string) => void }) {
  return (
    <ListPage
      title="Event types"
      page="event-types"
      fields={[]}
      query={query}
      tenantId={tenantId}
      navigate={navigate}
      load={(q) => api.GET('/v1/event-types', { params: { query: { ...q, limit: 50 } } })}
      empty="The catalog is empty: any event type is accepted unless the catalog is strict."
      headers={['Name', 'Description', 'Schema']}
      minWidth={600}
      row={(t) => (
        <Table.Tr key={t.name}>
          <Table.Td>
            <Anchor href={routeHref({ page: 'event-type', name: t.name })} ff="monospace" size="sm">
              {t.name}
            </Anchor>{' '}
            {t.deprecated ? (
              <Badge color="orange" variant="light">
                deprecated
              </Badge>
            ) : null}
          </Table.Td>
          <Table.Td>
            <Text size="sm">{t.description ?? ''}</Text>
          </Table.Td>
          <Table.Td>{t.schema ? 'yes' : 'none'}</Table.Td>
        </Table.Tr>
      )}
    />
  );
}
