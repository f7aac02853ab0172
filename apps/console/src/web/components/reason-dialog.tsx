import { Button, Group, Modal, Textarea } from '@mantine/core';
import { useState } from 'react';

/** Asks why before an action that sends to a receiver again; the reason goes into the audit. */
export function ReasonDialog({ opened, title, action, busy, onClose, onConfirm }: { opened: boolean; title: string; action: string; busy: boolean; onClose: () => void; onConfirm: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (trimmed) onConfirm(trimmed);
        }}
      >
        <Textarea label="Reason (kept in the audit)" required minRows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={!trimmed} loading={busy}>
            {action}
          </Button>
        </Group>
      </form>
    </Modal>
  );
}
