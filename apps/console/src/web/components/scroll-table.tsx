import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways inside its own box on a narrow screen (the page never does), and
 * can be reached by keyboard to scroll it. Every table of the console is one.
 */
export function ScrollTable({ label, headers, minWidth = 760, striped = false, live = false, children }: { label: string; headers: readonly string[]; minWidth?: number; striped?: boolean; live?: boolean; children: ReactNode }) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0} role="region" aria-label={`${label}, scrolls sideways`}>
      <Table striped={striped} highlightOnHover={striped} aria-label={label} verticalSpacing="xs" {...(live ? { 'aria-live': 'polite' as const } : {})}>
        <Table.Thead>
          <Table.Tr>
            {headers.map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
