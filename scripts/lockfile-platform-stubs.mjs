#!/usr/bin/env node
// The npm registry this project is built against serves only the Linux builds of native
// packages (@swc/core-*, @unrs/resolver-binding-*). npm then writes a lockfile without the other
// platforms' optional packages, and `npm ci` refuses it as out of sync. This adds the missing
// entries as optional, platform-restricted stubs (os/cpu/libc inferred from the package name),
// which `npm ci` skips on Linux exactly as it would skip the real ones.
// Run it after every `npm install` that changes package-lock.json: npm run lockfile:fix
import { readFileSync, writeFileSync } from 'node:fs';
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pk = lock.packages;
const added = [];
for (const [path, entry] of Object.entries(pk)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (pk[key] || pk[`${path}/node_modules/${name}`]) continue;
    const m = /-(android|darwin|freebsd|linux|win32|openharmony|sunos|aix|netbsd|openbsd)-(arm64|x64|ia32|arm|ppc64|s390x|riscv64|loong64|wasm32)(?:-(gnu|musl|gnueabihf|musleabihf|msvc|eabi))?$/.exec(name);
    if (!m) { console.error('cannot infer platform for', name); continue; }
    const stub = { version, dev: entry.dev || undefined, optional: true, os: [m[1]], cpu: [m[2]] };
    if (m[1] === 'linux' && m[3]) stub.libc = [m[3].startsWith('musl') ? 'musl' : 'glibc'];
    pk[key] = stub;
    added.push(`${name}@${version}`);
  }
}
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log('added', added.length);
