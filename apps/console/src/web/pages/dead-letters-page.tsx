import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Badge, Checkbox, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { BulkReplay } from '../components/bulk-replay.tsx';
import type { FilterField } from '../components/filter-form.tsx';
import { ListPage } from '../components/list-page.tsx';
import { TimeText } from '../components/time-text.tsx';
import { routeHref } from '../route.ts';

const FIELDS: readonly FilterField[] = ['event_type', 'subscription_id', 'status_code', 'error_class', 'since', 'until'];

/** The dead-letter queue, newest first: why each died, and whether it has been replayed. */
export function DeadLettersPage({ api, query, tenantId, canReplay, navigate }: { api: HookstreamClient; query: Record<string, string>; tenantId: string | null; canReplay: boolean; navigate: (href: string) => void }) {
  // Kept across pages of the list, so a selection may span them.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <ListPage
      title="Dead letters"
      page="dead-letters"
      fields={FIELDS}
      query={query}
      tenantId={tenantId}
      navigate={navigate}
      load={(q) => api.GET('/v1/dead-letters', { params: { query: { ...q, limit: 25 } } })}
      empty="No dead letters match these filters."
      actions={canReplay ? <BulkReplay key={JSON.stringify([query, tenantId, [...selected]])} api={api} query={query} selected={[...selected]} tenantId={tenantId} /> : null}
      headers={canReplay ? ['Select', 'Died', 'Event type', 'Error', 'Reason', 'Replayed', 'Delivery'] : ['Died', 'Event type', 'Error', 'Reason', 'Replayed', 'Delivery']}
      row={(d) => (
        <Table.Tr key={`${d.id}-${String(d.generation)}`}>
          {canReplay ? (
            <Table.Td>
              <Checkbox aria-label={`Select dead letter ${d.id.slice(0, 8)}`} checked={selected.has(d.id)} onChange={(e) => toggle(d.id, e.currentTarget.checked)} />
            </Table.Td>
          ) : null}
          <Table.Td>
            <TimeText iso={d.dead_at} />
          </Table.Td>
          <Table.Td>{d.event_type}</Table.Td>
          <Table.Td>
            <Badge color="red" variant="light">
              {d.error_class}
            </Badge>{' '}
            {d.last_status_code ?? ''}
          </Table.Td>
          <Table.Td>
            <Text size="sm" lineClamp={2}>
              {d.reason}
            </Text>
          </Table.Td>
          <Table.Td>{d.replayed ? `yes (${String(d.replay_count)})` : 'no'}</Table.Td>
          <Table.Td>
            <Anchor href={routeHref({ page: 'dead-letter', id: d.id })} ff="monospace" size="sm">
              {d.id.slice(0, 8)}
            </Anchor>
          </Table.Td>
        </Table.Tr>
      )}
    />
  );
}
