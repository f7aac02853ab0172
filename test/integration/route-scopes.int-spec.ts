import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TENANT_SCOPES } from '@hookstream/domain';
import { REPO_ROOT } from '@hookstream/testing';

/**
 * Every HTTP route of every service says who may call it: a tenant scope (@RequireScope), admin
 * keys only (@AdminOnly), any valid key asking about itself (@AnyKey), or anyone (@Public), on the route or on its controller. The guard
 * refuses tenant keys on a route that says nothing (default deny); this test keeps a new route
 * from being operator-only by accident, and names the ones that are.
 */
const ROUTE = /^\s*@(Get|Post|Put|Patch|Delete)\(/;
const ACCESS = /@(RequireScope\('([a-z:]+)'\)|Public\(\)|AdminOnly\(\)|AnyKey\(\))/;

function controllers(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(path).isDirectory()) out.push(...controllers(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && readFileSync(path, 'utf8').includes('@Controller(')) out.push(path);
  }
  return out;
}

describe('route access declarations', () => {
  const files = ['apps', 'libs'].flatMap((top) => readdirSync(join(REPO_ROOT, top)).map((p) => join(REPO_ROOT, top, p, 'src'))).filter((d) => statSync(d, { throwIfNoEntry: false })?.isDirectory()).flatMap(controllers);

  it('finds the controllers', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it('has a scope, @AdminOnly or @Public on every route or its controller, and only known scopes', () => {
    const undeclared: string[] = [];
    const unknown: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      const classAt = lines.findIndex((l) => /^@Controller\(/.test(l));
      // The controller's own decorators: the lines starting with @ just above and below @Controller.
      let start = classAt;
      while (start > 0 && /^@/.test(lines[start - 1] ?? '')) start--;
      let end = classAt;
      while (/^@/.test(lines[end + 1] ?? '')) end++;
      const classLevel = lines.slice(start, end + 1).some((l) => ACCESS.test(l));
      lines.forEach((line, i) => {
        for (const m of line.matchAll(new RegExp(ACCESS.source, 'g'))) if (m[2] && !(TENANT_SCOPES as readonly string[]).includes(m[2])) unknown.push(`${relative(REPO_ROOT, file)}:${i + 1} ${m[2]}`);
        if (!ROUTE.test(line)) return;
        // The route's decorators: the indented @ lines (with their continuations) around this one.
        let a = i;
        while (a > 0 && /^\s+(@|[}\])'"\w])/.test(lines[a - 1] ?? '') && !/^\s+(async\s+)?\w+\(.*\)[^;]*\{\s*$/.test(lines[a - 1] ?? '') && !/^\s*}\s*$/.test(lines[a - 1] ?? '')) a--;
        let b = i;
        while (/^\s+@/.test(lines[b + 1] ?? '')) b++;
        const own = lines.slice(a, b + 1).some((l) => ACCESS.test(l));
        if (!own && !classLevel) undeclared.push(`${relative(REPO_ROOT, file)}:${i + 1} ${line.trim()}`);
      });
    }
    expect(unknown).toEqual([]);
    expect(undeclared).toEqual([]);
  });

  it('opens @AnyKey only to the route where a key asks about itself', () => {
    const uses = files.filter((f) => /@AnyKey\(\)/.test(readFileSync(f, 'utf8'))).map((f) => relative(REPO_ROOT, f));
    expect(uses).toEqual(['apps/subscription-registry/src/api-keys/current-key.controller.ts']);
  });
});
