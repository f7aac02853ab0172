import { type HookstreamClient, SseParser } from '@hookstream/client';
import { Anchor, Badge, Group, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ScrollTable } from '../components/scroll-table.tsx';
import { TimeText } from '../components/time-text.tsx';
import { showDuration, statusColor } from '../format.ts';
import { routeHref } from '../route.ts';
import { addRows, shown, statusRowOf, type TailRow } from '../tail-rows.ts';

type Connection = { state: 'connecting' } | { state: 'live' } | { state: 'reconnecting'; inMs: number; why: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Delivery outcomes as they happen (GET /v1/deliveries/stream), newest first. The stream is read
 * with fetch, so the key goes in the Authorization header as for every call. When it drops, the
 * page reconnects (after the delay the server asked for, longer each failure) with the last event
 * id; the stream does not replay what it missed, so the table marks the gap and links to the
 * deliveries of that time.
 */
export function TailPage({ api, query, tenantId, navigate }: { api: HookstreamClient; query: Record<string, string>; tenantId: string | null; navigate: (href: string) => void }) {
  const subscription = query['subscription_id'] && UUID.test(query['subscription_id']) ? query['subscription_id'] : null;
  const [rows, setRows] = useState<TailRow[]>([]);
  const [connection, setConnection] = useState<Connection>({ state: 'connecting' });
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [text, setText] = useState('');
  useEffect(() => {
    const stop = new AbortController();
    const parser = new SseParser();
    let failures = 0;
    let lostAt: string | null = null;
    const connect = async (): Promise<void> => {
      while (!stop.signal.aborted) {
        let why = 'the stream ended';
        try {
          setConnection({ state: 'connecting' });
          const res = await api.GET('/v1/deliveries/stream', {
            params: { query: { ...(subscription ? { subscription_id: subscription } : {}), ...(tenantId ? { tenant_id: tenantId } : {}) } },
            headers: { accept: 'text/event-stream', ...(parser.lastEventId ? { 'last-event-id': parser.lastEventId } : {}) },
            parseAs: 'stream',
            signal: stop.signal,
          });
          if (!res.response.ok || !res.data) {
            why = `the API answered ${String(res.response.status)}`;
          } else {
            failures = 0;
            setConnection({ state: 'live' });
            if (lostAt) {
              const gap: TailRow = { kind: 'gap', key: `gap-${lostAt}`, from: lostAt, to: new Date().toISOString() };
              setRows((r) => addRows(r, [gap]));
              lostAt = null;
            }
            const reader = res.data.pipeThrough(new TextDecoderStream()).getReader();
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              const fresh = parser.feed(value).flatMap((e) => statusRowOf(e.data, e.id) ?? []);
              if (fresh.length) setRows((r) => addRows(r, fresh));
            }
          }
        } catch (err) {
          if (stop.signal.aborted) return;
          why = err instanceof Error ? err.message : 'the connection failed';
        }
        lostAt ??= new Date().toISOString();
        failures++;
        const inMs = Math.min(15_000, (parser.retryMs ?? 2000) * 2 ** Math.min(failures - 1, 3));
        setConnection({ state: 'reconnecting', inMs, why });
        await new Promise((r) => setTimeout(r, inMs));
      }
    };
    void connect();
    return () => stop.abort();
  }, [api, subscription, tenantId]);
  const visible = rows.filter((r) => shown(r, { failuresOnly, text }));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Live tail
        </Title>
        <Badge color={connection.state === 'live' ? 'green' : connection.state === 'connecting' ? 'gray' : 'orange'} variant="light" size="lg" role="status">
          {connection.state === 'live' ? 'live' : connection.state === 'connecting' ? 'connecting' : `reconnecting in ${String(Math.round(connection.inMs / 1000))} s (${connection.why})`}
        </Badge>
      </Group>
      <Group align="flex-end">
        <TextInput
          label="Subscription id"
          defaultValue={query['subscription_id'] ?? ''}
          error={query['subscription_id'] && !subscription ? 'a subscription id (a UUID)' : undefined}
          onBlur={(e) => navigate(routeHref({ page: 'tail', query: e.currentTarget.value.trim() ? { subscription_id: e.currentTarget.value.trim() } : {} }))}
          w={340}
        />
        <TextInput label="Event or delivery id contains" value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <Switch label="Failures only" checked={failuresOnly} onChange={(e) => setFailuresOnly(e.currentTarget.checked)} mb={8} />
      </Group>
      {visible.length === 0 ? (
        <Text c="dimmed" role="status">
          Waiting for deliveries{subscription ? ' of this subscription' : ''}…
        </Text>
      ) : (
        <ScrollTable label="Live deliveries" headers={['At', 'Outcome', 'HTTP', 'Took', 'Event', 'Delivery']} live>
          {visible.map((r) =>
            r.kind === 'gap' ? (
              <Table.Tr key={r.key}>
                <Table.Td colSpan={6}>
                  <Text size="sm" c="orange.9">
                    The stream was down from <TimeText iso={r.from} size="sm" /> to <TimeText iso={r.to} size="sm" />; outcomes in between are not shown here.{' '}
                    <Anchor href={routeHref({ page: 'deliveries', query: { since: r.from, ...(subscription ? { subscription_id: subscription } : {}) } })} size="sm">
                      See the deliveries since then
                    </Anchor>
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              <Table.Tr key={r.key}>
                <Table.Td>
                  <TimeText iso={r.at} />
                </Table.Td>
                <Table.Td>
                  <Badge color={statusColor(r.outcome)} variant="light">
                    {r.outcome}
                  </Badge>{' '}
                  {r.error_class ?? ''}
                </Table.Td>
                <Table.Td>{r.status_code ?? '–'}</Table.Td>
                <Table.Td>{showDuration(r.duration_ms)}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {r.event_id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Anchor href={routeHref({ page: 'delivery', id: r.delivery_id })} ff="monospace" size="sm">
                    {r.delivery_id.slice(0, 8)}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ),
          )}
        </ScrollTable>
      )}
    </Stack>
  );
}
