import { Alert } from '@mantine/core';

/** An admin key looking at every tenant reaches a page that belongs to one tenant. */
export function NeedsTenant() {
  return (
    <Alert color="blue" title="Pick a tenant" role="status">
      This page belongs to one tenant: name it in the header (Tenant, then Switch).
    </Alert>
  );
}

/** A page the key's scopes do not reach: said plainly (the API would refuse it anyway). */
export function NeedsScope({ scope }: { scope: string }) {
  return (
    <Alert color="blue" title="Not for this key" role="status">
      This page needs an API key with the scope <code>{scope}</code>.
    </Alert>
  );
}
