import { Alert, Center, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ApiProblem } from '../session.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; problem: ApiProblem } | { state: 'ready'; value: T };

/** Every list and page says which of the three it is: loading, failed (with the API's code), or empty. */
export function ListState<T>({ loaded, empty, isEmpty, children }: { loaded: Loaded<T>; empty: string; isEmpty: (value: T) => boolean; children: (value: T) => ReactNode }) {
  if (loaded.state === 'loading') {
    return (
      <Center py="xl" aria-busy="true">
        <Loader size="sm" aria-label="Loading" />
      </Center>
    );
  }
  if (loaded.state === 'error') {
    return (
      <Alert color="red" title="The API refused" role="alert">
        <Text size="sm">
          <code>{loaded.problem.code}</code>: {loaded.problem.message}
        </Text>
      </Alert>
    );
  }
  if (isEmpty(loaded.value)) {
    return (
      <Text c="dimmed" py="lg" role="status">
        {empty}
      </Text>
    );
  }
  return <>{children(loaded.value)}</>;
}
