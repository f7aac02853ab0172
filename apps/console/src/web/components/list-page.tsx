import { Stack, Table, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { apiQuery, trailOf, withTrail } from '../paging.ts';
import { routeHref } from '../route.ts';
import type { ApiAnswer } from './use-loaded.ts';
import { CursorPager } from './cursor-pager.tsx';
import { FilterForm, type FilterField } from './filter-form.tsx';
import { ListState } from './list-state.tsx';
import { useLoaded } from './use-loaded.ts';

export interface ListPageProps<T> {
  title: string;
  page: 'deliveries' | 'dead-letters';
  fields: readonly FilterField[];
  query: Record<string, string>;
  tenantId: string | null;
  navigate: (href: string) => void;
  /** One page of the list, for the API query the URL describes. */
  load: (query: Record<string, string>) => Promise<ApiAnswer<{ data: T[]; next_cursor: string | null }>>;
  empty: string;
  headers: readonly string[];
  row: (item: T) => ReactNode;
}

/** A list as every list page has it: filters, the table (scrolling sideways on a phone), cursor paging. */
export function ListPage<T>({ title, page, fields, query, tenantId, navigate, load, empty, headers, row }: ListPageProps<T>) {
  const key = JSON.stringify([query, tenantId]);
  const { loaded } = useLoaded(key, () => load({ ...apiQuery(query), ...(tenantId ? { tenant_id: tenantId } : {}) }));
  return (
    <Stack>
      <Title order={1} size="h2">
        {title}
      </Title>
      <FilterForm key={key} fields={fields} initial={query} onApply={(q) => navigate(routeHref({ page, query: q }))} />
      <ListState loaded={loaded} empty={empty} isEmpty={(v) => v.data.length === 0}>
        {(list) => (
          <>
            <Table.ScrollContainer minWidth={760} type="native" tabIndex={0} role="region" aria-label={`${title}, scrolls sideways`}>
              <Table striped highlightOnHover aria-label={title}>
                <Table.Thead>
                  <Table.Tr>
                    {headers.map((h) => (
                      <Table.Th key={h}>{h}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>{list.data.map(row)}</Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <CursorPager trail={trailOf(query)} next={list.next_cursor} onMove={(t) => navigate(routeHref({ page, query: withTrail(query, t) }))} />
          </>
        )}
      </ListState>
    </Stack>
  );
}
