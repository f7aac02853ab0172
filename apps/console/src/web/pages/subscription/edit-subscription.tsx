import type { HookstreamClient } from '@hookstream/client';
import { Button, Group, Stack, Switch } from '@mantine/core';
import { useState } from 'react';
import type { GetJson, PatchBody } from '../../api-types.ts';
import { SubscriptionFields } from '../../components/subscription-fields.tsx';
import { ActionAlert, useAction } from '../../components/use-action.tsx';
import { DeliverySettings } from './delivery-settings.tsx';
import { problemOf } from '../../session.ts';
import { checkSubscriptionForm, formFieldsOf, type SubscriptionFormValues } from '../../subscription-form.ts';

type Subscription = GetJson<'/v1/subscriptions/{id}'>;

/** The subscription's settings; a key without subscriptions:write sees them read-only. */
export function EditSubscription({ api, subscription: s, tenantId, canWrite, onSaved }: { api: HookstreamClient; subscription: Subscription; tenantId: string | null; canWrite: boolean; onSaved: () => void }) {
  const [values, setValues] = useState<SubscriptionFormValues>({ url: s.url, name: s.name ?? '', description: s.description ?? '', eventTypes: s.event_types.join(', ') });
  const [fields, setFields] = useState<Record<string, string>>({});
  const { busy, outcome, run } = useAction();
  const query = tenantId ? { tenant_id: tenantId } : {};
  const patch = (body: PatchBody<'/v1/subscriptions/{id}'>, done: string) =>
    run(async () => {
      const answer = await api.PATCH('/v1/subscriptions/{id}', { params: { path: { id: s.id }, query }, body });
      if (!answer.data) {
        const problem = problemOf(answer.error, answer.response.status);
        setFields(formFieldsOf(problem.fields));
        return { ok: false, problem };
      }
      setFields({});
      onSaved();
      return { ok: true, text: done };
    });
  return (
    <Stack maw={720}>
      <ActionAlert outcome={outcome} />
      <Switch
        label={s.enabled ? 'Enabled: receiving deliveries' : `Disabled${s.disabled_reason ? ` (${s.disabled_reason})` : ''}: receiving nothing`}
        checked={s.enabled}
        disabled={!canWrite || busy}
        onChange={(e) => void patch(e.currentTarget.checked ? { enabled: true } : { enabled: false, disabled_reason: 'manual' as const }, e.currentTarget.checked ? 'Enabled.' : 'Disabled.')}
      />
      <form
        aria-label="Subscription settings"
        onSubmit={(e) => {
          e.preventDefault();
          const checked = checkSubscriptionForm(values);
          if (!checked.ok) setFields(checked.fields);
          else void patch(checked.body, 'Saved.');
        }}
      >
        <Stack>
          <SubscriptionFields values={values} setValues={setValues} errors={fields} readOnly={!canWrite} />
          {canWrite ? (
            <Group>
              <Button type="submit" loading={busy}>
                Save
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
      <DeliverySettings s={s} />
    </Stack>
  );
}
