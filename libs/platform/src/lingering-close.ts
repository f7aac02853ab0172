import type { Socket } from 'node:net';

/** How long a refused upload may keep sending after our answer before the connection is cut. */
export const LINGER_MS = 2_000;

const lingering = new WeakSet<Socket>();

/**
 * Makes the connection close the way nginx's `lingering_close` does once the answer is written:
 * half-close (our FIN follows the answer), then read and discard what the client still sends until
 * it stops or `lingerMs` passes.
 *
 * Why: we answer 401/413 before reading the body. Node's server then destroys the socket at once,
 * and closing a socket with unread bytes in its receive buffer sends a reset instead of a FIN; the
 * client, still uploading, gets ECONNRESET on its next write and usually never reads the answer
 * already sitting in its buffer (200 of 200 fast 8 MiB uploads lost the 401 on loopback). The
 * client then sees "connection reset" instead of "unauthenticated".
 *
 * Node's HTTP server ends a `Connection: close` response with `socket.destroySoon()`; this swaps
 * that one socket's `destroySoon`. Bounded in time, so a refused client cannot hold it open.
 */
export function lingerOnClose(socket: Socket, lingerMs = LINGER_MS): void {
  if (lingering.has(socket)) return;
  lingering.add(socket);
  socket.destroySoon = function lingeringClose(this: Socket): void {
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), lingerMs);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    // The client finished sending (or half-closed after reading our answer): nothing left to wait for.
    this.once('end', () => this.destroy());
    this.resume();
  };
}
