import { Textarea, TextInput } from '@mantine/core';
import type { Dispatch, SetStateAction } from 'react';
import type { SubscriptionFormValues } from '../subscription-form.ts';

/** The subscription form's fields, for a new subscription and for editing one; errors by field, as the API names them. */
export function SubscriptionFields({ values, setValues, errors, readOnly = false }: { values: SubscriptionFormValues; setValues: Dispatch<SetStateAction<SubscriptionFormValues>>; errors: Readonly<Record<string, string>>; readOnly?: boolean }) {
  const set = (k: keyof SubscriptionFormValues) => (e: { currentTarget: { value: string } }) => {
    // Read now: React clears the event's currentTarget once the handler returns.
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [k]: value }));
  };
  return (
    <>
      <TextInput label="Endpoint URL" required readOnly={readOnly} placeholder="https://hooks.example.com/hookstream" value={values.url} onChange={set('url')} error={errors['url']} />
      <Textarea label="Event types" description="Separated by commas or new lines; * for every one, order.* for a family" required readOnly={readOnly} autosize minRows={2} value={values.eventTypes} onChange={set('eventTypes')} error={errors['event_types']} />
      <TextInput label="Name" readOnly={readOnly} value={values.name} onChange={set('name')} error={errors['name']} />
      <Textarea label="Description" readOnly={readOnly} autosize minRows={2} value={values.description} onChange={set('description')} error={errors['description']} />
    </>
  );
}
