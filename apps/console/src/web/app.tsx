import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ReactElement, useEffect, useMemo, useState } from 'react';
import { NeedsScope, NeedsTenant } from './components/needs-tenant.tsx';
import { TenantSwitcher } from './components/tenant-switcher.tsx';
import { DeadLetterPage } from './pages/dead-letter-page.tsx';
import { DeadLettersPage } from './pages/dead-letters-page.tsx';
import { DeliveriesPage } from './pages/deliveries-page.tsx';
import { DeliveryPage } from './pages/delivery-page.tsx';
import { EventTypePage } from './pages/event-type-page.tsx';
import { EventTypesPage } from './pages/event-types-page.tsx';
import { MatchPage } from './pages/match-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { SubscriptionNewPage } from './pages/subscription-new-page.tsx';
import { SubscriptionPage } from './pages/subscription/subscription-page.tsx';
import { SubscriptionsPage } from './pages/subscriptions-page.tsx';
import { TailPage } from './pages/tail-page.tsx';
import { parseRoute, type Route, routeHref } from './route.ts';
import { actingTenant, apiFor, can, clearSession, loadSession, saveSession, type Session } from './session.ts';

function useRoute(): [Route, (href: string) => void] {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return [parseRoute(hash), (href) => (window.location.hash = href.replace(/^#/, ''))];
}

/** The navigation, each entry with the scope it needs: a key sees only what it may use. */
const NAV = [
  { label: 'Deliveries', page: 'deliveries', sections: ['deliveries', 'delivery'], scope: 'deliveries:read' },
  { label: 'Dead letters', page: 'dead-letters', sections: ['dead-letters', 'dead-letter'], scope: 'deliveries:read' },
  { label: 'Live tail', page: 'tail', sections: ['tail'], scope: 'deliveries:read' },
  { label: 'Subscriptions', page: 'subscriptions', sections: ['subscriptions', 'subscription', 'subscription-new'], scope: 'subscriptions:read' },
  { label: 'Event types', page: 'event-types', sections: ['event-types', 'event-type'], scope: 'subscriptions:read' },
  { label: 'Who would receive this?', page: 'match', sections: ['match'], scope: 'subscriptions:read' },
] as const;

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [route, navigate] = useRoute();
  const [opened, { toggle, close }] = useDisclosure();
  const api = useMemo(() => (session ? apiFor(session) : null), [session]);
  if (!session || !api) {
    return (
      <SignInPage
        onSignedIn={(s) => {
          saveSession(s);
          setSession(s);
        }}
      />
    );
  }
  const tenant = actingTenant(session);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Text fw={700}>Hookstream</Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {session.identity.kind === 'admin' ? (
              <Group gap="xs" wrap="nowrap" visibleFrom="sm">
                <Text size="sm" c="dimmed">
                  admin
                </Text>
                <TenantSwitcher
                  key={tenant ?? ''}
                  api={api}
                  tenantId={tenant}
                  onChange={(tenantId) => {
                    const next = { ...session, tenantId };
                    saveSession(next);
                    setSession(next);
                  }}
                />
              </Group>
            ) : (
              <Text size="sm" c="dimmed" visibleFrom="sm">
                tenant {tenant ?? ''}
              </Text>
            )}
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                clearSession();
                setSession(null);
              }}
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Pages">
        {session.identity.kind === 'admin' ? (
          <Group hiddenFrom="sm" mb="xs">
            <TenantSwitcher
              key={tenant ?? ''}
              api={api}
              tenantId={tenant}
              onChange={(tenantId) => {
                const next = { ...session, tenantId };
                saveSession(next);
                setSession(next);
              }}
            />
          </Group>
        ) : null}
        {NAV.filter((n) => can(session, n.scope)).map((n) => (
          <NavLink key={n.page} href={routeHref({ page: n.page, query: {} })} label={n.label} active={(n.sections as readonly string[]).includes(route.page)} onClick={close} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Page route={route} api={api} session={session} navigate={navigate} />
      </AppShell.Main>
    </AppShell>
  );
}

function Page({ route, api, session, navigate }: { route: Route; api: ReturnType<typeof apiFor>; session: Session; navigate: (href: string) => void }) {
  const scoped = (scope: string, page: ReactElement) => (can(session, scope) ? page : <NeedsScope scope={scope} />);
  // The tenant-level pages (subscriptions, the catalog) need one tenant: an admin names it at sign-in.
  const forTenant = (scope: string, page: ReactElement) => scoped(scope, actingTenant(session) ? page : <NeedsTenant />);
  const tenantId = session.tenantId;
  const check = (scope: string) => can(session, scope);
  switch (route.page) {
    case 'deliveries':
      return scoped('deliveries:read', <DeliveriesPage api={api} query={route.query} tenantId={tenantId} navigate={navigate} />);
    case 'delivery':
      return scoped('deliveries:read', <DeliveryPage key={route.id} api={api} id={route.id} tenantId={tenantId} canRetry={check('deliveries:retry')} canReadSubscription={check('subscriptions:read')} />);
    case 'dead-letters':
      return scoped('deliveries:read', <DeadLettersPage api={api} query={route.query} tenantId={tenantId} canReplay={check('deliveries:retry')} navigate={navigate} />);
    case 'dead-letter':
      return scoped('deliveries:read', <DeadLetterPage key={route.id} api={api} id={route.id} tenantId={tenantId} canReplay={check('deliveries:retry')} />);
    case 'tail':
      return scoped('deliveries:read', <TailPage key={JSON.stringify(route.query)} api={api} query={route.query} tenantId={tenantId} navigate={navigate} />);
    case 'subscriptions':
      return forTenant('subscriptions:read', <SubscriptionsPage api={api} query={route.query} tenantId={tenantId} canWrite={check('subscriptions:write')} navigate={navigate} />);
    case 'subscription':
      return forTenant('subscriptions:read', <SubscriptionPage key={route.id} api={api} id={route.id} tenantId={tenantId} can={check} />);
    case 'subscription-new':
      return forTenant('subscriptions:write', <SubscriptionNewPage api={api} tenantId={tenantId} />);
    case 'event-types':
      return forTenant('subscriptions:read', <EventTypesPage api={api} query={route.query} tenantId={tenantId} navigate={navigate} />);
    case 'event-type':
      return forTenant('subscriptions:read', <EventTypePage key={route.name} api={api} name={route.name} tenantId={tenantId} />);
    case 'match':
      return forTenant('subscriptions:read', <MatchPage api={api} tenantId={tenantId} />);
  }
}
