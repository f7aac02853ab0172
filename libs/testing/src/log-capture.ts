import type { ServiceProcess } from './processes.js';

/**
 * Every line a set of service processes wrote, from their start until now. ServiceProcess keeps
 * only its last 2000 lines; a test that must read all of them (no secret in any log line) tees
 * each process's buffer into an unbounded one as soon as the services are up.
 */
export class LogCapture {
  private readonly lines: { service: string; line: string }[] = [];

  constructor(processes: Iterable<ServiceProcess>) {
    for (const p of processes) {
      for (const line of p.output) this.lines.push({ service: p.name, line });
      const buffer = p.output;
      const push = buffer.push.bind(buffer);
      buffer.push = (...items: string[]): number => {
        for (const line of items) this.lines.push({ service: p.name, line });
        return push(...items);
      };
    }
  }

  /** All lines so far, each prefixed with its service. */
  all(): string[] {
    return this.lines.map((l) => `[${l.service}] ${l.line}`);
  }
}
