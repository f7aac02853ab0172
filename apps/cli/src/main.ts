import { runCli } from './cli.js';

// Ctrl-C ends `hookstream tail` and `events --follow` cleanly (exit 0); any other command is just stopped.
const stop = new AbortController();
const interrupt = () => {
  if (stop.signal.aborted) process.exit(130);
  stop.abort();
  setTimeout(() => process.exit(130), 500).unref();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

process.exitCode = await runCli(
  process.argv.slice(2),
  process.env,
  {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  },
  new Date(),
  stop.signal,
);
