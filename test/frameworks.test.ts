// docs/frameworks.md: every recipe runs against the real framework — express as 5 and as 4 — over
// real HTTP, and checks what it recorded.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINTS, examplesIn, root, itRunsEach } from './support/doc-examples.js';

const guide = readFileSync(join(root, 'docs/frameworks.md'), 'utf8');

/** Each recipe with the framework versions it runs under: `from 'x'` replaced by `from 'alias'`. */
function runs(): [string, string][] {
  const list: [string, string][] = [];
  for (const code of examplesIn(guide)) {
    const framework = /^import \w+ from '(express|koa|fastify)';$/m.exec(code)?.[1] ?? 'node:http';
    list.push([framework, code]);
    // The same recipe under the previous major version, installed as an npm alias.
    if (framework === 'express') list.push(['express 4', code.replace("from 'express'", "from 'express4'")]);
    if (framework === 'fastify') list.push(['fastify 4', code.replace("from 'fastify'", "from 'fastify4'")]);
  }
  return list;
}

describe('docs/frameworks.md', () => {
  it('has recipes for express, koa, node:http and fastify', () => {
    expect(runs().map(([framework]) => framework)).toEqual([
      'express',
      'express 4',
      'koa',
      'node:http',
      'fastify',
      'fastify 4',
    ]);
  });

  itRunsEach(runs(), 'the %s recipe runs and records what it should');

  it("type-checks under the strict settings promlite builds with (the frameworks' own types)", () => {
    const parent = join(root, 'test-artifacts', 'recipes');
    mkdirSync(parent, { recursive: true });
    const dir = mkdtempSync(join(parent, 'check-'));
    examplesIn(guide).forEach((code, i) => {
      let program = code;
      for (const [specifier, entry] of [...ENTRY_POINTS].reverse()) {
        const path = relative(dir, join(root, entry)).replace(/\.ts$/, '.js');
        program = program.replaceAll(`from '${specifier}'`, `from '${path}'`);
      }
      writeFileSync(join(dir, `recipe-${i}.mts`), program);
    });
    const config = { extends: join(root, 'tsconfig.json'), compilerOptions: { noEmit: true }, include: ['*.mts'] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);
});
