import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Button, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { ActionAlert, useAction } from '../components/use-action.tsx';
import { SecretReveal } from '../components/secret-reveal.tsx';
import { SubscriptionFields } from '../components/subscription-fields.tsx';
import { routeHref } from '../route.ts';
import { problemOf } from '../session.ts';
import { checkSubscriptionForm, formFieldsOf, type SubscriptionFormValues } from '../subscription-form.ts';

/** A new subscription: the registry checks the URL (https, a public address) and answers on the field. */
export function SubscriptionNewPage({ api, tenantId }: { api: HookstreamClient; tenantId: string | null }) {
  const [values, setValues] = useState<SubscriptionFormValues>({ url: '', name: '', description: '', eventTypes: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ id: string; secret: string | null } | null>(null);
  const { busy, outcome, run } = useAction();
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
            <SubscriptionFields values={values} setValues={setValues} errors={fields} />
            <Button type="submit" loading={busy} w="fit-content">
              Create subscription
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
