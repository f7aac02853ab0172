#!/usr/bin/env node
// `npm run sdks`: regenerates the SDK code that openapi-generator writes from docs/openapi.json
// (sdks/pom.xml, Maven and Java 17): the Python client, committed under
// sdks/python/hookstream/_generated. The Java client is generated at every Maven build of sdks/java,
// so nothing of it is committed. `--check` regenerates into sdks/target only and fails, naming the
// files, when the committed Python client is not what the document makes (CI runs it).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './lib.mjs';

const check = process.argv.includes('--check');
const fresh = join(ROOT, 'sdks/target/python/hookstream/_generated');
const committed = join(ROOT, 'sdks/python/hookstream/_generated');

rmSync(join(ROOT, 'sdks/target/python'), { recursive: true, force: true });
const mvn = spawnSync('mvn', ['-B', '-q', '-N', '-f', join(ROOT, 'sdks/pom.xml'), 'generate-sources'], { cwd: ROOT, encoding: 'utf8' });
if (mvn.error || mvn.status !== 0) {
  // Maven and Java 17 come from Debian's packages here; npm test installs maven when it is missing.
  console.error(mvn.error ? `cannot run mvn: ${mvn.error.message}` : `${mvn.stdout}\n${mvn.stderr}`);
  process.exit(1);
}

/** Every file under dir, as paths relative to it. */
function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => !f.includes('__pycache__') && statSync(join(dir, f)).isFile())
    .sort();
}

if (check) {
  const a = files(committed);
  const b = files(fresh);
  const stale = [...new Set([...a, ...b])].filter(
    (f) => !a.includes(f) || !b.includes(f) || !readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f))),
  );
  if (stale.length > 0) {
    console.error(`the Python SDK is not what docs/openapi.json makes; run npm run sdks. Differing:\n  ${stale.map((f) => relative(ROOT, join(committed, f))).join('\n  ')}`);
    process.exit(1);
  }
  console.log(`the Python SDK matches docs/openapi.json (${b.length} generated files)`);
} else {
  rmSync(committed, { recursive: true, force: true });
  cpSync(fresh, committed, { recursive: true });
  console.log(`wrote ${relative(ROOT, committed)} (${files(committed).length} files); the Java client is generated when sdks/java builds`);
}
