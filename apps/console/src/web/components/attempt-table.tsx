import { Badge, Code, Table, Text } from '@mantine/core';
import type { GetJson } from '../api-types.ts';
import { excerpt, showDuration, statusColor } from '../format.ts';
import { ScrollTable } from './scroll-table.tsx';
import { TimeText } from './time-text.tsx';

/** An attempt as the API shows it: a delivery's (with the request headers) or a dead letter's. */
export type AttemptView = GetJson<'/v1/deliveries/{id}'>['attempt_history'][number] | GetJson<'/v1/dead-letters/{id}'>['attempt_history'][number];

/**
 * Every attempt of a delivery: what was sent (headers, redacted by the API), what came back (an
 * excerpt of the body, as text: nothing a receiver answers is ever rendered as HTML) and how long it took.
 */
export function AttemptTable({ attempts }: { attempts: readonly AttemptView[] }) {
  if (attempts.length === 0) return <Text c="dimmed">No attempt has been made yet.</Text>;
  return (
    <ScrollTable label="Attempts" headers={['#', 'Started', 'Outcome', 'HTTP', 'Answer', 'Took']}>
      {attempts.map((a, i) => (
        <Table.Tr key={`${String(a.attempt)}-${String(i)}`}>
          <Table.Td>
            {a.attempt}
            <Text size="xs" c="dimmed">
              {a.origin}
            </Text>
          </Table.Td>
          <Table.Td>
            <TimeText iso={a.started_at} />
          </Table.Td>
          <Table.Td>
            <Badge color={statusColor(a.outcome)} variant="light">
              {a.outcome}
            </Badge>
          </Table.Td>
          <Table.Td>{a.status_code ?? '–'}</Table.Td>
          <Table.Td>
            {a.error_class ? <Code>{a.error_class}</Code> : null}
            {a.error_message ? (
              <Text size="sm" mt={4}>
                {a.error_message}
              </Text>
            ) : null}
            {'response_body' in a && a.response_body ? (
              <Code block mt={4} aria-label="Response body excerpt" tabIndex={0}>
                {excerpt(a.response_body)}
              </Code>
            ) : null}
            {'request_headers' in a && a.request_headers && typeof a.request_headers === 'object' ? (
              <details>
                <summary>Request headers</summary>
                <Code block tabIndex={0}>{Object.entries(a.request_headers as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join('\n')}</Code>
              </details>
            ) : null}
          </Table.Td>
          <Table.Td>{showDuration(a.duration_ms)}</Table.Td>
        </Table.Tr>
      ))}
    </ScrollTable>
  );
}
