import { Button, Group } from '@mantine/core';

/**
 * Cursor paging as the API gives it: forward with `next_cursor`, back along the cursors already
 * followed (paging.ts keeps them in the URL, so a page is a link too).
 */
export function CursorPager({ trail, next, onMove }: { trail: readonly string[]; next: string | null; onMove: (trail: string[]) => void }) {
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" disabled={trail.length === 0} onClick={() => onMove(trail.slice(0, -1))}>
        Previous page
      </Button>
      <Button variant="default" disabled={!next} onClick={() => next && onMove([...trail, next])}>
        Next page
      </Button>
    </Group>
  );
}
