// docs/frameworks.md: every recipe runs against the real framework — express as 5 and as 4 — over
// real HTTP, and checks what it recorded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesIn, root, runExample } from './support/doc-examples.js';

const guide = readFileSync(join(root, 'docs/frameworks.md'), 'utf8');

/** Each recipe with the framework versions it runs under: `from 'x'` replaced by `from 'alias'`. */
function runs(): [string, string][] {
  const list: [string, string][] = [];
  for (const code of examplesIn(guide)) {
    const framework = /^import \w+ from '(express|koa|fastify)';$/m.exec(code)?.[1] ?? 'node:http';
    list.push([framework, code]);
    // The same recipe under the previous major version, installed as an npm alias.
    if (framework === 'express') list.push(['express 4', code.replace("from 'express'", "from 'express4'")]);
  }
  return list;
}

describe('docs/frameworks.md', () => {
  it('has recipes for express, koa and node:http', () => {
    expect(runs().map(([framework]) => framework)).toEqual(['express', 'express 4', 'koa', 'node:http']);
  });

  it.each(runs())(
    'the %s recipe runs and records what it should',
    (_, code) => {
      const result = runExample(code);
      expect(result.stderr, code).toBe('');
      expect(result.status).toBe(0);
    },
    40_000,
  );
});
