import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A labelled value in a detail page's grid. */
export function Field({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {value}
    </div>
  );
}
