// docs/api.md: every export of src/index.ts is named there, and every `ts` example runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
const examples = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);

/** Every name `src/index.ts` exports, values and types. */
function exportedNames(): string[] {
  const index = readFileSync(join(root, 'src/index.ts'), 'utf8');
  const names = new Set<string>();
  for (const [, list] of index.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const item of (list as string).split(',')) {
      const name = item.replace(/\btype\b/, '').trim();
      if (name !== '') names.add(name);
    }
  }
  return [...names];
}

describe('docs/api.md', () => {
  it('names every export of src/index.ts', () => {
    const missing = exportedNames().filter((name) => !doc.includes(`\`${name}\``) && !new RegExp(`\\b${name}\\b`).test(examples.join('\n')));
    expect(missing).toEqual([]);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))('example %i runs', (_, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'promlite-api-'));
    const file = join(dir, 'example.mts');
    writeFileSync(file, code.replaceAll("from 'promlite'", `from '${join(root, 'src/index.ts')}'`));
    const result = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr.replace(/npm warn.*\n/g, ''), code).toBe('');
    expect(result.status).toBe(0);
  }, 40_000);
});
