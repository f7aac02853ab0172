import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { TENANT } from '../filters.ts';
import { apiFor, type ApiProblem, problemOf, type Session } from '../session.ts';

/**
 * Sign-in with an API key. The key is asked what it is (GET /v1/api-keys/current) before it is
 * kept (in this tab's sessionStorage only); a wrong one is refused here, with the API's own code.
 * An admin key may name the tenant to look at, which must exist.
 */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [apiKey, setApiKey] = useState('');
  const [tenant, setTenant] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const tenantError = tenant.trim() && !TENANT.test(tenant.trim()) ? 'letters, digits, _ and -, at most 64 characters' : undefined;
  const submit = async () => {
    const key = apiKey.trim();
    const api = apiFor({ apiKey: key });
    setBusy(true);
    setProblem(null);
    try {
      const me = await api.GET('/v1/api-keys/current');
      if (!me.data) {
        setProblem(problemOf(me.error, me.response.status));
        return;
      }
      const identity = { kind: me.data.kind, tenantId: me.data.tenant_id, scopes: me.data.scopes };
      const named = tenant.trim() || null;
      if (named && identity.kind === 'tenant' && named !== identity.tenantId) {
        setProblem({ code: 'not_found', message: `this key acts for its own tenant only; leave "Tenant" empty` });
        return;
      }
      if (named && identity.kind === 'admin') {
        const found = await api.GET('/v1/tenants/{tenantId}', { params: { path: { tenantId: named } } });
        if (!found.data) {
          setProblem(problemOf(found.error, found.response.status));
          return;
        }
      }
      onSignedIn({ apiKey: key, tenantId: identity.kind === 'admin' ? named : null, identity });
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={440} component="main">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (apiKey.trim() && !tenantError) void submit();
          }}
        >
          <Stack>
            <Title order={1} size="h2">
              Hookstream console
            </Title>
            <Text size="sm" c="dimmed">
              Sign in with an API key. It is kept in this tab only, and sent only to this console&apos;s server, which passes it to the API.
            </Text>
            <PasswordInput label="API key" required autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.currentTarget.value)} />
            <TextInput label="Tenant (admin key only; empty for every tenant)" value={tenant} onChange={(e) => setTenant(e.currentTarget.value)} error={tenantError} />
            {problem ? (
              <Alert color="red" role="alert" title="Not signed in">
                <code>{problem.code}</code>: {problem.message}
              </Alert>
            ) : null}
            <Button type="submit" loading={busy} disabled={!apiKey.trim() || Boolean(tenantError)}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
