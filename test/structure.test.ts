// The layout's promises, checked from the code itself: folders import one way (no cycle between
// them), and no source file grows past 250 lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level folder under src/ a file belongs to; files directly in src/ form `(root)`. */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split('/');
  return parts.length === 1 ? '(root)' : (parts[0] as string);
}

/** Edges between folders, from every relative import (the root index.ts, which gathers all, aside). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    if (file === join(SRC, 'index.ts')) continue;
    const from = folderOf(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)) {
      const to = folderOf(normalize(join(dirname(file), match[1] as string)));
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
  }
  return graph;
}

/** One cycle in the graph, as a path that returns to its start, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle !== undefined) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('the layout of src/', () => {
  it('has no import cycle between folders', () => {
    expect(findCycle(folderGraph())).toBeUndefined();
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('lets data flow one way: instrument → core → exposition → serve', () => {
    const graph = folderGraph();
    expect([...(graph.get('core') ?? [])].sort()).toEqual(['(root)']);
    expect([...(graph.get('exposition') ?? [])].sort()).toEqual(['(root)', 'core']);
    expect(graph.get('(root)')).toBeUndefined();
    // Pushing renders a snapshot and sends it: it needs no serving and no instrumentation.
    expect([...(graph.get('push') ?? [])].sort()).toEqual(['(root)', 'core', 'exposition']);
  });

  it('keeps every source file at 250 lines or fewer', () => {
    const long = sourceFiles(SRC)
      .map((file) => [relative(SRC, file), readFileSync(file, 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 250);
    expect(long).toEqual([]);
  });
});
