// Runs the ```ts examples of a document as programs, with `promlite` imports pointed at src/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

export const root = new URL('../..', import.meta.url).pathname;

/** Each entry point: how users import it, and its file. */
export const ENTRY_POINTS = [
  ['promlite', 'src/index.ts'],
  ['promlite/serve', 'src/serve/index.ts'],
  ['promlite/instrument', 'src/instrument/index.ts'],
] as const;

/** The code of every ```ts block of `text`, in order. */
export function examplesIn(text: string): string[] {
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

/** Runs one example with tsx; returns its exit status and what it wrote to stderr (npm's warnings left out). */
export function runExample(code: string): { status: number | null; stderr: string; stdout: string } {
  // Inside the repository, so that the packages an example imports (express, koa…) resolve.
  const parent = join(root, 'test-artifacts', 'examples');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'example-'));
  const file = join(dir, 'example.mts');
  let program = code;
  // Longest specifier first, so that 'promlite' does not match the start of 'promlite/serve'.
  for (const [specifier, entry] of [...ENTRY_POINTS].reverse()) {
    program = program.replaceAll(`from '${specifier}'`, `from '${join(root, entry)}'`);
  }
  writeFileSync(file, program);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr.replace(/npm warn.*\n/g, ''), stdout: result.stdout };
}

/** One test per example, `[name, code]`: each runs as a program, writing nothing to stderr and exiting 0. */
export function itRunsEach(examples: readonly (readonly [string | number, string])[], title = 'example %s runs'): void {
  it.each(examples)(
    title,
    (_, code) => {
      const result = runExample(code);
      expect(result.stderr, code).toBe('');
      expect(result.status).toBe(0);
    },
    40_000,
  );
}
