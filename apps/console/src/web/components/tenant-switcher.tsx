import type { HookstreamClient } from '@hookstream/client';
import { Button, Group, TextInput } from '@mantine/core';
import { useState } from 'react';
import { TENANT } from '../filters.ts';
import { problemOf } from '../session.ts';

/**
 * An admin key's tenant, changed in place: the tenant must exist (asked of the registry) before
 * the console acts for it. Empty: every tenant, where the lists allow it.
 */
export function TenantSwitcher({ api, tenantId, onChange }: { api: HookstreamClient; tenantId: string | null; onChange: (tenantId: string | null) => void }) {
  const [value, setValue] = useState(tenantId ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const trimmed = value.trim();
  const apply = async () => {
    if (!trimmed) {
      setError(null);
      onChange(null);
      return;
    }
    if (!TENANT.test(trimmed)) {
      setError('letters, digits, _ and -');
      return;
    }
    setBusy(true);
    try {
      const found = await api.GET('/v1/tenants/{tenantId}', { params: { path: { tenantId: trimmed } } });
      if (found.data) {
        setError(null);
        onChange(trimmed);
      } else setError(problemOf(found.error, found.response.status).code);
    } catch (err) {
      setError(problemOf(err).code);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      aria-label="Tenant"
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
    >
      <Group gap={4} wrap="nowrap">
        <TextInput size="xs" aria-label="Tenant (empty: every tenant)" placeholder="every tenant" value={value} onChange={(e) => setValue(e.currentTarget.value)} error={error} w={160} />
        <Button size="xs" variant="default" type="submit" loading={busy}>
          Switch
        </Button>
      </Group>
    </form>
  );
}
