import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Names this process in lease and job rows (host:pid:nonce): unique per start, so a restarted
 * process never mistakes a dead predecessor's leases for its own.
 */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
