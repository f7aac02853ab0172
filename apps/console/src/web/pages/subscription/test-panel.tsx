import type { HookstreamClient } from '@hookstream/client';
import { Alert, Button, Code, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ActionAlert, useAction } from '../../components/use-action.tsx';
import { excerpt, showDuration } from '../../format.ts';
import { problemOf } from '../../session.ts';
import { parseJsonObject } from '../../json-input.ts';

/** Sends one signed test event to the endpoint now, and shows what it answered. */
export function TestPanel({ api, id, tenantId, eventTypes }: { api: HookstreamClient; id: string; tenantId: string | null; eventTypes: readonly string[] }) {
  const firstConcrete = eventTypes.find((t) => !t.includes('*')) ?? 'hookstream.test';
  const [eventType, setEventType] = useState(firstConcrete);
  const [data, setData] = useState('{\n  "hello": "from the console"\n}');
  const [answer, setAnswer] = useState<{ ok: boolean; status_code: number | null; latency_ms: number; response_body: string | null; error_class: string | null; message: string | null } | null>(null);
  const parsed = parseJsonObject(data);
  const { busy, outcome, run } = useAction();
  return (
    <Stack maw={720}>
      <form
        aria-label="Send a test event"
        onSubmit={(e) => {
          e.preventDefault();
          if (!parsed.ok) return;
          void run(async () => {
            const res = await api.POST('/v1/subscriptions/{id}/test', { params: { path: { id }, query: tenantId ? { tenant_id: tenantId } : {} }, body: { event_type: eventType.trim(), data: parsed.value } });
            if (!res.data) return { ok: false, problem: problemOf(res.error, res.response.status) };
            setAnswer(res.data);
            return { ok: true, text: `Sent test event ${res.data.event_id}.` };
          });
        }}
      >
        <Stack>
          <TextInput label="Event type" value={eventType} onChange={(e) => setEventType(e.currentTarget.value)} />
          <Textarea label="Data (a JSON object)" autosize minRows={4} ff="monospace" value={data} onChange={(e) => setData(e.currentTarget.value)} error={parsed.ok ? undefined : parsed.message} />
          <Button type="submit" loading={busy} disabled={!parsed.ok} w="fit-content">
            Send test event
          </Button>
        </Stack>
      </form>
      <ActionAlert outcome={outcome} />
      {answer ? (
        <Alert color={answer.ok ? 'green' : 'red'} title={answer.ok ? `Answered ${String(answer.status_code)} in ${showDuration(answer.latency_ms)}` : `Failed: ${answer.error_class ?? 'error'}${answer.status_code ? ` ${String(answer.status_code)}` : ''}`} role="status">
          {answer.message ? <div>{answer.message}</div> : null}
          {answer.response_body ? (
            <Code block aria-label="Test answer" tabIndex={0}>
              {excerpt(answer.response_body)}
            </Code>
          ) : null}
        </Alert>
      ) : null}
    </Stack>
  );
}
