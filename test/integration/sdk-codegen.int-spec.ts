import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '@hookstream/testing';

/**
 * The Python SDK's generated client is committed: it must be what openapi-generator makes of
 * docs/openapi.json today. (The Java client is generated at every Maven build, so it cannot drift.)
 */
describe('the Python and Java SDKs, generated', () => {
  it('commit the Python client openapi-generator makes of docs/openapi.json (regenerate: npm run sdks)', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/sdks.mjs'), '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/matches docs\/openapi\.json \(\d+ generated files\)/);
  });
});
