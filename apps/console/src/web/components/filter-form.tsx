import { Button, Group, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { checkFilters, DELIVERY_STATUSES, type ListFilters } from '../filters.ts';

export type FilterField = 'status' | 'event_type' | 'subscription_id' | 'status_code' | 'error_class' | 'since' | 'until' | 'tenant_id';

const LABELS: Record<FilterField, string> = {
  status: 'Status',
  event_type: 'Event type',
  subscription_id: 'Subscription id',
  status_code: 'HTTP status',
  error_class: 'Error class',
  since: 'Since',
  until: 'Until',
  tenant_id: 'Tenant',
};

/**
 * A list's filters. They are checked as the API checks them, so a mistyped id is named on its
 * field at once; what passes becomes the page's URL (and so the API query).
 */
export function FilterForm({ fields, initial, onApply }: { fields: readonly FilterField[]; initial: Record<string, string>; onApply: (query: Record<string, string>) => void }) {
  const [values, setValues] = useState<ListFilters>(() => fromQuery(initial));
  const [problem, setProblem] = useState<{ field: keyof ListFilters; message: string } | null>(null);
  const set = (field: FilterField, value: string) => setValues((v) => ({ ...v, [field]: value }));
  const error = (field: FilterField) => (problem?.field === field ? problem.message : undefined);
  return (
    <form
      aria-label="Filters"
      onSubmit={(e) => {
        e.preventDefault();
        const checked = checkFilters(values);
        if (!checked.ok) {
          setProblem({ field: checked.field, message: checked.message });
          return;
        }
        setProblem(null);
        onApply(checked.query);
      }}
    >
      <Group align="flex-end" gap="sm" wrap="wrap">
        {fields.map((field) =>
          field === 'status' ? (
            <Select key={field} label={LABELS[field]} placeholder="any" clearable data={[...DELIVERY_STATUSES]} value={values.status ?? null} onChange={(v) => set(field, v ?? '')} error={error(field)} w={150} />
          ) : (
            <TextInput
              key={field}
              label={LABELS[field]}
              type={field === 'since' || field === 'until' ? 'datetime-local' : 'text'}
              value={values[field] ?? ''}
              onChange={(e) => set(field, e.currentTarget.value)}
              error={error(field)}
              w={field === 'subscription_id' ? 320 : 190}
            />
          ),
        )}
        <Button type="submit">Apply</Button>
      </Group>
    </form>
  );
}

/** The URL's query back into the form (times shown in the browser's zone, as the input wants them). */
function fromQuery(query: Record<string, string>): ListFilters {
  const local = (iso: string | undefined) => {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${String(d.getFullYear())}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  return { ...query, since: local(query['since']), until: local(query['until']) };
}
