import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './usage-error.js';

/** Reads a key file: its first line, trimmed. Refuses a file other users can read, as ssh does. */
export function readKeyFile(path: string): string {
  let text: string;
  try {
    const mode = statSync(path).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new UsageError(`${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`);
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read the API key file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const key = text.split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (!key) throw new UsageError(`the API key file ${path} is empty`);
  return key;
}

/**
 * The API key, from --api-key-file, else HOOKSTREAM_API_KEY_FILE, else HOOKSTREAM_API_KEY. Never
 * from the command line: argv is visible to every user in `ps` and stays in shell history.
 */
export function resolveApiKey(file: string | undefined, env: Readonly<Record<string, string | undefined>>, read: (path: string) => string): string {
  const path = file ?? env['HOOKSTREAM_API_KEY_FILE'];
  if (path) return read(path);
  return env['HOOKSTREAM_API_KEY'] ?? '';
}

export const ARGV_KEY_REFUSED =
  '--api-key is not accepted: a key on the command line is visible to every user in `ps` and stays in shell history. Set HOOKSTREAM_API_KEY, or put the key in a file only you can read and pass --api-key-file <path>';

/** Whether `host` (as URL.hostname gives it) is this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Plain http sends the API key readable by anything on the path; it is allowed to this machine
 * only, unless the user says --insecure (a trusted private network, a debugging proxy).
 */
export function checkTransport(url: string, flag: string, insecure: boolean): void {
  const u = new URL(url);
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname) && !insecure) {
    throw new UsageError(`${flag} ${url} is plain http to another machine: the API key would cross the network unencrypted. Use https, or pass --insecure if you accept that`);
  }
}
