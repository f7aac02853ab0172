import type { HookstreamClient } from '@hookstream/client';
import { Anchor, Badge, Code, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { ListState } from '../components/list-state.tsx';
import { useLoaded } from '../components/use-loaded.ts';
import { exampleFromSchema } from '../example-payload.ts';
import { routeHref } from '../route.ts';

/** One event type: its schema as the tenant wrote it, and an example payload built from it. */
export function EventTypePage({ api, name, tenantId }: { api: HookstreamClient; name: string; tenantId: string | null }) {
  const { loaded } = useLoaded(`${name}/${tenantId ?? ''}`, () => api.GET('/v1/event-types/{name}', { params: { path: { name }, query: tenantId ? { tenant_id: tenantId } : {} } }));
  return (
    <Stack>
      <Anchor href={routeHref({ page: 'event-types', query: {} })} size="sm">
        ← Event types
      </Anchor>
      <ListState loaded={loaded} empty="" isEmpty={() => false}>
        {(t) => (
          <>
            <Title order={1} size="h2" ff="monospace">
              {t.name}{' '}
              {t.deprecated ? (
                <Badge color="orange" variant="light">
                  deprecated
                </Badge>
              ) : null}
            </Title>
            {t.description ? <Text>{t.description}</Text> : null}
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <div>
                <Title order={2} size="h4" mb="xs">
                  Schema
                </Title>
                <Code block aria-label="Schema" tabIndex={0}>
                  {t.schema ? JSON.stringify(t.schema, null, 2) : 'No schema: any data is accepted.'}
                </Code>
              </div>
              <div>
                <Title order={2} size="h4" mb="xs">
                  Example payload
                </Title>
                <Code block aria-label="Example payload" tabIndex={0}>
                  {JSON.stringify({ type: t.name, data: t.schema ? exampleFromSchema(t.schema) : {} }, null, 2)}
                </Code>
              </div>
            </SimpleGrid>
          </>
        )}
      </ListState>
    </Stack>
  );
}
