import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Button, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ActionAlert, useAction } from '../components/use-action.tsx';
import { SecretReveal } from '../components/secret-reveal.tsx';
import { routeHref } from '../route.ts';
import { problemOf } from '../session.ts';
import { checkSubscriptionForm, formFieldsOf, type SubscriptionFormValues } from '../subscription-form.ts';

/** A new subscription: the registry checks the URL (https, a public address) and answers on the field. */
export function SubscriptionNewPage({ api, tenantId }: { api: HookstreamClient; tenantId: string | null }) {
  const [values, setValues] = useState<SubscriptionFormValues>({ url: '', name: '', description: '', eventTypes: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ id: string; secret: string | null } | null>(null);
  const { busy, outcome, run } = useAction();
  const set = (k: keyof SubscriptionFormValues) => (e: { currentTarget: { value: string } }) => {
    // Read now: React clears the event's currentTarget once the handler returns.
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [k]: value }));
  };
  const submit = () => {
    const checked = checkSubscriptionForm(values);
    if (!checked.ok) {
      setFields(checked.fields);
      return;
    }
    setFields({});
    void run(async () => {
      const answer = await api.POST('/v1/subscriptions', { params: { query: tenantId ? { tenant_id: tenantId } : {} }, body: checked.body });
      if (!answer.data) {
        const problem = problemOf(answer.error, answer.response.status);
        setFields(formFieldsOf(problem.fields));
        return { ok: false, problem };
      }
      setCreated({ id: answer.data.id, secret: answer.data.secret });
      return { ok: true, text: 'Subscription created.' };
    });
  };
  return (
    <Stack maw={720}>
      <Anchor href={routeHref({ page: 'subscriptions', query: {} })} size="sm">
        ← Subscriptions
      </Anchor>
      <Title order={1} size="h2">
        New subscription
      </Title>
      <ActionAlert outcome={outcome} />
      {created ? (
        <>
          {created.secret ? <SecretReveal secret={created.secret} once /> : null}
          <Anchor href={routeHref({ page: 'subscription', id: created.id })}>Open the subscription</Anchor>
        </>
      ) : (
        <form
          aria-label="New subscription"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack>
            <TextInput label="Endpoint URL" required placeholder="https://hooks.example.com/hookstream" value={values.url} onChange={set('url')} error={fields['url']} />
            <Textarea label="Event types" description="Separated by commas or new lines; * for every one, order.* for a family" required autosize minRows={2} value={values.eventTypes} onChange={set('eventTypes')} error={fields['event_types']} />
            <TextInput label="Name" value={values.name} onChange={set('name')} error={fields['name']} />
            <Textarea label="Description" autosize minRows={2} value={values.description} onChange={set('description')} error={fields['description']} />
            <Button type="submit" loading={busy} w="fit-content">
              Create subscription
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
