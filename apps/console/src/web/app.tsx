import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { DeadLetterPage } from './pages/dead-letter-page.tsx';
import { DeadLettersPage } from './pages/dead-letters-page.tsx';
import { DeliveriesPage } from './pages/deliveries-page.tsx';
import { DeliveryPage } from './pages/delivery-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { parseRoute, type Route, routeHref } from './route.ts';
import { apiFor, clearSession, loadSession, saveSession, type Session } from './session.ts';

function useRoute(): [Route, (href: string) => void] {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return [parseRoute(hash), (href) => (window.location.hash = href.replace(/^#/, ''))];
}

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
  const section = route.page === 'dead-letters' || route.page === 'dead-letter' ? 'dead-letters' : 'deliveries';
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Text fw={700}>Hookstream</Text>
          </Group>
          <Group gap="sm">
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {session.tenantId ? `tenant ${session.tenantId}` : 'signed in'}
            </Text>
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
        <NavLink href={routeHref({ page: 'deliveries', query: {} })} label="Deliveries" active={section === 'deliveries'} onClick={close} />
        <NavLink href={routeHref({ page: 'dead-letters', query: {} })} label="Dead letters" active={section === 'dead-letters'} onClick={close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Page route={route} api={api} session={session} navigate={navigate} />
      </AppShell.Main>
    </AppShell>
  );
}

function Page({ route, api, session, navigate }: { route: Route; api: ReturnType<typeof apiFor>; session: Session; navigate: (href: string) => void }) {
  switch (route.page) {
    case 'deliveries':
      return <DeliveriesPage api={api} query={route.query} tenantId={session.tenantId} navigate={navigate} />;
    case 'delivery':
      return <DeliveryPage key={route.id} api={api} id={route.id} tenantId={session.tenantId} />;
    case 'dead-letters':
      return <DeadLettersPage api={api} query={route.query} tenantId={session.tenantId} navigate={navigate} />;
    case 'dead-letter':
      return <DeadLetterPage key={route.id} api={api} id={route.id} tenantId={session.tenantId} />;
  }
}
