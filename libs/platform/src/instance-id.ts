import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Names this process wherever it holds something others may take over (lease and job rows,
 * per-instance consumer groups): host:pid:nonce. The nonce makes it unique per start, so a
 * restarted process (same host, same pid in a container) never mistakes a dead predecessor's
 * leases for its own.
 */
const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

export function instanceId(): string {
  return INSTANCE_ID;
}
