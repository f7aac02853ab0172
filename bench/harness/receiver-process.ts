import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseReceipts, type ReceiverAddress, type ReceiverMode, type ReceiverStats } from './fast-receiver.ts';
import type { Receipt } from './ledger.ts';

const ENTRY = fileURLToPath(new URL('../receiver.ts', import.meta.url));

/** The fast receiver (bench/receiver.ts) started as a child process, and its control API. */
export class ReceiverProcess {
  readonly pid: number;
  readonly address: ReceiverAddress;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly control: string;

  private constructor(child: ChildProcess, address: ReceiverAddress, exited: Promise<void>) {
    this.child = child;
    this.pid = child.pid ?? 0;
    this.address = address;
    this.exited = exited;
    this.control = `http://127.0.0.1:${address.control}`;
  }

  /** `nodeOptions` go to the child's NODE_OPTIONS (--cpu-prof, say). */
  /** `tls`: certificate and key files, for HTTPS ports beside the HTTP ones. */
  static async start(webhookPorts: number, nodeOptions = '', tls: { certFile: string; keyFile: string } | null = null): Promise<ReceiverProcess> {
    const env = { ...process.env, NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} ${nodeOptions}`.trim() };
    const tlsArgs = tls ? ['--tls-cert', tls.certFile, '--tls-key', tls.keyFile] : [];
    const child = spawn(process.execPath, [ENTRY, '--ports', String(webhookPorts), ...tlsArgs], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    const address = await new Promise<ReceiverAddress>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the receiver did not start within 15 s:\n${stderr}`)), 15_000);
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n')[0];
        if (line !== undefined && out.includes('\n')) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as ReceiverAddress);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the receiver exited with ${code} before listening:\n${stderr}`));
      });
    });
    return new ReceiverProcess(child, address, exited);
  }

  /** Base URLs of the webhook ports: one origin each. */
  get origins(): string[] {
    return this.address.ports.map((p) => `http://127.0.0.1:${p}`);
  }

  /** Base URLs of the HTTPS webhook ports (empty without a certificate). */
  get httpsOrigins(): string[] {
    return this.address.tls_ports.map((p) => `https://127.0.0.1:${p}`);
  }

  async stats(): Promise<ReceiverStats> {
    return (await this.call('GET', '/stats')).json() as Promise<ReceiverStats>;
  }

  /** Forgets everything; `countPrefix` names the keys `prefix_ok_keys` counts from now on. */
  async reset(countPrefix = ''): Promise<void> {
    await this.call('POST', '/reset', { count_prefix: countPrefix });
  }

  async setMode(mode: ReceiverMode): Promise<void> {
    await this.call('PUT', '/mode', mode);
  }

  /** Runs `fn` with the receiver in `mode`, then answers 2xx to everything again. */
  async withMode<T>(mode: ReceiverMode, fn: () => Promise<T>): Promise<T> {
    await this.setMode(mode);
    try {
      return await fn();
    } finally {
      await this.setMode({ fail_first_fraction: 0, fail_status: 503 });
    }
  }

  async receipts(): Promise<Map<string, Receipt>> {
    return parseReceipts(await (await this.call('GET', '/receipts')).text());
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${this.control}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`receiver ${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  }
}
