import type { EventMessage } from './messages.js';

/** The body a receiver gets (docs/architecture.md): built once at fan-out and reused byte for byte. */
export interface ReceiverPayload {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export function receiverBody(event: EventMessage): string {
  const payload: ReceiverPayload = {
    id: event.id,
    type: event.type,
    timestamp: event.occurred_at,
    data: event.data,
  };
  return JSON.stringify(payload);
}
