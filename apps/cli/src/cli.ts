import { readFileSync } from 'node:fs';
import { DEFAULT_DLQ_URL, DEFAULT_REGISTRY_URL, parseCommandLine, UsageError } from './args.js';
import { ApiError, connect, UnreachableError } from './client.js';
import { Commands, type Output } from './commands.js';

/** Exit codes, stable for scripts. */
export const EXIT = {
  ok: 0,
  /** The API refused or failed the request (or a job waited for ended cancelled). */
  failed: 1,
  usage: 2,
  unreachable: 3,
  notFound: 4,
} as const;

export const HELP = `hookstream: on-call for Hookstream's deliveries, dead letters, replays and subscriptions

usage: hookstream <command> [arguments] [flags]

dead letters (dlq-inspector)
  dlq ls                        list dead letters, newest first
        [--subscription ID] [--event-type order.placed|order.*] [--since T] [--until T]
        [--status-code 503|5xx] [--error-class timeout|http_status|…] [--replayed true|false]
        [--limit N] [--cursor C] [--all]
  dlq show <id>                 why it died: reason, attempt history, replays, payload
  dlq replay <id>               send it again (same webhook-id, new retry schedule)
        [--idempotency-key K]   the same key never sends twice
        [--force]               send even though its latest death was already replayed
  dlq replay-bulk [filters]     replay every match as a job, at a bounded rate
        [--rate N] [--dry-run] [--wait] [--idempotency-key K]
  dlq recover <subscription-id> --since T
                                re-send the subscription's dead letters that died since T
        [--rate N] [--dry-run] [--wait] [--idempotency-key K]

replay jobs (dlq-inspector)
  jobs ls [--status queued|running|completed|cancelled] [--limit N] [--cursor C] [--all]
  jobs show <id> [--wait]       progress; --wait follows it to the end
  jobs cancel <id>              stop it: nothing more is sent once this answers

live deliveries (dlq-inspector)
  tail [--subscription ID]      print each attempt's outcome as it happens, until Ctrl-C

the catch-up feed (dlq-inspector): every event that matched a subscription, delivered or not
  events --subscription ID      in the order matched, from the start or after a cursor
        [--after C] [--limit N] [--all]
        [--follow]              read to the end, then poll for what comes next, until Ctrl-C

quarantined messages (dlq-inspector): what consumers took out of their partitions
  quarantine ls                 list them, newest first (also: quarantine list)
        [--topic hookstream.events] [--code validation_failed|pg_22008|…]
        [--status quarantined|redriven] [--since T] [--until T] [--limit N] [--cursor C] [--all]
  quarantine show <id>          the reason, the source topic/partition/offset, the original bytes
  quarantine redrive <id>       produce it back to its source topic, byte for byte, once

deliveries (dlq-inspector)
  deliveries ls                 list deliveries, newest first, with when each was delivered or retries next
        [--subscription ID] [--event-type T] [--status pending|delivered|failing|dead]
        [--status-code 503|5xx] [--since T] [--until T] [--limit N] [--cursor C] [--all]
  deliveries show <id>          where one stands (delivered at, next retry at) and every attempt

subscriptions (subscription-registry)
  subscriptions ls [--limit N] [--cursor C] [--all]
  subscriptions enable <id>
  subscriptions disable <id> [--reason manual|auto_disabled|gone]
  subscriptions batch <id> [--max-events N] [--max-bytes N] [--max-wait-ms N] | --off
                                send its events in batches (one signed request, a JSON
                                array), or one per request again (docs/guides/batching.md)
  subscriptions match <event-type> [--data '{"amount": 5}']
                                who would receive such an event, and why each other
                                subscription would not (type filters, payload filters)

tenants (subscription-registry; an admin key)
  tenants disable <tenant-id>   pause all its deliveries: events are still accepted and
                                stored, fan-outs park, pending deliveries wait
  tenants enable <tenant-id>    resume them; everything held goes out

flags for every command
  --json                  print the API's JSON instead of tables
  --api-key-file PATH     a file holding the API key (mode 600), or HOOKSTREAM_API_KEY_FILE;
                          else HOOKSTREAM_API_KEY. Never on the command line (ps, history).
                          Scopes it needs: deliveries:read (ls, show, tail), deliveries:retry
                          (replay, recover, cancel, redrive), subscriptions:read/write
  --insecure              allow plain http:// to a host other than this machine
  --tenant T              the tenant an admin key acts for, or HOOKSTREAM_TENANT
  --dlq-url URL           or HOOKSTREAM_DLQ_URL (default ${DEFAULT_DLQ_URL})
  --registry-url URL      or HOOKSTREAM_REGISTRY_URL (default ${DEFAULT_REGISTRY_URL})

times (T) are ISO 8601 (2026-11-22T02:00:00Z) or how long ago: 90s, 30m, 2h, 3d.
exit codes: 0 done, 1 the API refused or failed (or a waited-for job was cancelled),
2 bad usage, 3 a service could not be reached, 4 not found.
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the CLI once; returns the exit code. Output goes through `io` so tests can read it. */
export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: Output, now = new Date(), stop?: AbortSignal): Promise<number> {
  try {
    const { command, globals } = parseCommandLine(argv, env, now);
    if (command.kind === 'help') {
      io.out(HELP);
      return EXIT.ok;
    }
    if (command.kind === 'version') {
      io.out(version());
      return EXIT.ok;
    }
    const hs = connect({ 'dlq-inspector': globals.dlqUrl, 'subscription-registry': globals.registryUrl }, globals.apiKey);
    return await new Commands(hs, globals, io, 1000, stop).run(command);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`hookstream: ${err.message}\nrun hookstream --help for the commands and flags`);
      return EXIT.usage;
    }
    if (err instanceof UnreachableError) {
      io.err(`hookstream: ${err.message}`);
      return EXIT.unreachable;
    }
    if (err instanceof ApiError) {
      const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
      const details = Array.isArray(err.details)
        ? (err.details as Array<{ path?: unknown; message?: unknown }>).map((d) => `\n  - ${text(d.path ?? '?')}: ${text(d.message ?? '')}`).join('')
        : err.details && typeof err.details === 'object'
          ? `\n  ${JSON.stringify(err.details)}`
          : '';
      io.err(`hookstream: ${err.message} (${err.status} ${err.code})${details}`);
      return err.status === 404 ? EXIT.notFound : EXIT.failed;
    }
    io.err(`hookstream: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT.failed;
  }
}
