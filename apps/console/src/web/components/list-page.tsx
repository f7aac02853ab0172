import { Group, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { apiQuery, trailOf, withTrail } from '../paging.ts';
import { type ListPageName, routeHref } from '../route.ts';
import { CursorPager } from './cursor-pager.tsx';
import { FilterForm, type FilterField } from './filter-form.tsx';
import { ListState } from './list-state.tsx';
import { ScrollTable } from './scroll-table.tsx';
import { type ApiAnswer, useLoaded } from './use-loaded.ts';

export interface ListPageProps<T> {
  title: string;
  page: ListPageName;
  /** The filters offered; none: no filter form. */
  fields: readonly FilterField[];
  query: Record<string, string>;
  tenantId: string | null;
  navigate: (href: string) => void;
  /** One page of the list, for the API query the URL describes. */
  load: (query: Record<string, string>) => Promise<ApiAnswer<{ data: T[]; next_cursor: string | null }>>;
  empty: string;
  headers: readonly string[];
  row: (item: T) => ReactNode;
  /** Beside the title (a "New subscription" button). */
  titleAction?: ReactNode;
  /** Between the filters and the list (the dead letters' bulk replay). */
  actions?: ReactNode;
  minWidth?: number;
}

/** A list as every list page has it: filters, the table (scrolling sideways on a phone), cursor paging. */
export function ListPage<T>({ title, page, fields, query, tenantId, navigate, load, empty, headers, row, titleAction, actions, minWidth }: ListPageProps<T>) {
  const key = JSON.stringify([query, tenantId]);
  const { loaded } = useLoaded(key, () => load({ ...apiQuery(query), ...(tenantId ? { tenant_id: tenantId } : {}) }));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {title}
        </Title>
        {titleAction}
      </Group>
      {fields.length ? <FilterForm key={key} fields={fields} initial={query} onApply={(q) => navigate(routeHref({ page, query: q }))} /> : null}
      {actions}
      <ListState loaded={loaded} empty={empty} isEmpty={(v) => v.data.length === 0}>
        {(list) => (
          <>
            <ScrollTable label={title} headers={headers} striped {...(minWidth ? { minWidth } : {})}>
              {list.data.map(row)}
            </ScrollTable>
            <CursorPager trail={trailOf(query)} next={list.next_cursor} onMove={(t) => navigate(routeHref({ page, query: withTrail(query, t) }))} />
          </>
        )}
      </ListState>
    </Stack>
  );
}
