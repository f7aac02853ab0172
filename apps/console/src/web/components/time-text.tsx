import { Text, Tooltip } from '@mantine/core';
import { showTime } from '../format.ts';

/** A time in the browser's zone; UTC on hover (and for screen readers, in the title). */
export function TimeText({ iso, size = 'sm' }: { iso: string | null | undefined; size?: string }) {
  const shown = showTime(iso);
  if (!shown) return <Text size={size} c="dimmed">–</Text>;
  return (
    <Tooltip label={`${shown.utc} (UTC)`} withArrow>
      <Text size={size} component="time" dateTime={shown.utc} title={shown.utc}>
        {shown.local}
      </Text>
    </Tooltip>
  );
}
