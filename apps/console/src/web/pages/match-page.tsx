import type { HookstreamClient } from '@hookstream/client';
import { Alert, Anchor, Button, List, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { PostJson } from '../api-types.ts';
import { ActionAlert, useAction } from '../components/use-action.tsx';
import { parseJsonObject } from '../json-input.ts';
import { routeHref } from '../route.ts';
import { problemOf } from '../session.ts';


/** "Who would receive this?": the registry's match dry-run, nothing published. */
export function MatchPage({ api, tenantId }: { api: HookstreamClient; tenantId: string | null }) {
  const [eventType, setEventType] = useState('');
  const [data, setData] = useState('{}');
  const [answer, setAnswer] = useState<PostJson<'/v1/subscriptions/match'> | null>(null);
  const parsed = parseJsonObject(data);
  const { busy, outcome, run } = useAction();
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        Who would receive this?
      </Title>
      <Text size="sm" c="dimmed">
        Matches an event against the subscriptions as they are now, filters included. Nothing is published or sent.
      </Text>
      <form
        aria-label="Match an event"
        onSubmit={(e) => {
          e.preventDefault();
          if (!parsed.ok || !eventType.trim()) return;
          void run(async () => {
            const res = await api.POST('/v1/subscriptions/match', { body: { event_type: eventType.trim(), data: parsed.value, ...(tenantId ? { tenant_id: tenantId } : {}) } });
            if (!res.data) return { ok: false, problem: problemOf(res.error, res.response.status) };
            setAnswer(res.data);
            return { ok: true, text: `${String(res.data.receivers.length)} subscription(s) would receive it.` };
          });
        }}
      >
        <Stack>
          <TextInput label="Event type" required placeholder="order.placed" value={eventType} onChange={(e) => setEventType(e.currentTarget.value)} />
          <Textarea label="Data (a JSON object)" autosize minRows={4} ff="monospace" value={data} onChange={(e) => setData(e.currentTarget.value)} error={parsed.ok ? undefined : parsed.message} />
          <Button type="submit" loading={busy} disabled={!parsed.ok || !eventType.trim()} w="fit-content">
            Match
          </Button>
        </Stack>
      </form>
      <ActionAlert outcome={outcome} />
      {answer ? (
        <>
          {!answer.accepted ? (
            <Alert color="orange" title="The gateway would refuse this event" role="status">
              <List size="sm">
                {answer.errors.map((e) => (
                  <List.Item key={e.path}>
                    <code>{e.path || '(event)'}</code>: {e.message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          ) : null}
          <Title order={2} size="h4">
            Would receive it
          </Title>
          {answer.receivers.length === 0 ? (
            <Text c="dimmed">No subscription.</Text>
          ) : (
            <List>
              {answer.receivers.map((r) => (
                <List.Item key={r.subscription_id}>
                  <Anchor href={routeHref({ page: 'subscription', id: r.subscription_id })}>{r.name ?? r.subscription_id.slice(0, 8)}</Anchor> <Text span size="sm" ff="monospace">{r.url}</Text> <Text span size="sm" c="dimmed">({r.matched_filter})</Text>
                </List.Item>
              ))}
            </List>
          )}
          {answer.skipped.length ? (
            <>
              <Title order={2} size="h4">
                Would not, and why
              </Title>
              <List>
                {answer.skipped.map((r) => (
                  <List.Item key={r.subscription_id}>
                    {r.name ?? r.subscription_id.slice(0, 8)}: {r.reasons.map((why) => why.message).join('; ')}
                  </List.Item>
                ))}
              </List>
            </>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
