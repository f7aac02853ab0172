import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '@hookstream/testing';

/** Relative links in a Markdown text: the file part of each `](target)` that is not a URL or an anchor. */
function relativeLinks(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    const file = target.split('#')[0];
    if (file) out.push(file);
  }
  return out;
}

/** Docs move (README to docs/guides/...); a link left behind would send a newcomer nowhere. */
describe('links between the docs', () => {
  it('finds the relative links of a text, skipping URLs and anchors', () => {
    expect(relativeLinks('[a](docs/x.md) [b](https://e.com/y.md) [c](#top) [d](../z.md#part) [e](mailto:x@y)')).toEqual(['docs/x.md', '../z.md']);
  });

  it('every relative link in a tracked Markdown file names a file that exists', () => {
    const files = execFileSync('git', ['ls-files', '*.md'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(10);
    const broken = files.flatMap((f) =>
      relativeLinks(readFileSync(join(REPO_ROOT, f), 'utf8'))
        .filter((link) => !existsSync(normalize(join(REPO_ROOT, dirname(f), link))))
        .map((link) => `${f} -> ${link}`),
    );
    expect(broken).toEqual([]);
  });
});
