import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { isLoopbackHost, readKeyFile } from './credentials.js';

describe('readKeyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookstream-cli-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the first line of a file only its owner can read', () => {
    const path = join(dir, 'own');
    writeFileSync(path, '  hsk_abc_def  \nanything else\n');
    chmodSync(path, 0o600);
    expect(readKeyFile(path)).toBe('hsk_abc_def');
  });

  it('refuses a file other users can read, an empty file and a missing one', () => {
    const shared = join(dir, 'shared');
    writeFileSync(shared, 'hsk_abc_def\n');
    chmodSync(shared, 0o644);
    expect(() => readKeyFile(shared)).toThrow(/can be read by other users \(mode 644\); run chmod 600/);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    chmodSync(empty, 0o600);
    expect(() => readKeyFile(empty)).toThrow(/is empty/);
    expect(() => readKeyFile(join(dir, 'missing'))).toThrow(/ENOENT/);
  });
});

describe('isLoopbackHost', () => {
  it('knows this machine by name and address, and nothing that only looks like it', () => {
    for (const h of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.255.0.9', '[::1]', '::1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['127.0.0.1.nip.io', 'localhost.example', '10.0.0.1', '[::ffff:7f00:1]', '0.0.0.0', 'example.com']) expect(isLoopbackHost(h)).toBe(false);
  });
});
