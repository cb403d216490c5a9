// docs/api.md: each entry point's section names every export of that entry point, and every `ts` example runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINTS, examplesIn, root, itRunsEach } from './support/doc-examples.js';

const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
const examples = examplesIn(doc);

/** Every name a file exports, values and types. */
function exportedNames(file: string): string[] {
  const index = readFileSync(join(root, file), 'utf8');
  const names = new Set<string>();
  for (const [, list] of index.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const item of (list as string).split(',')) {
      const name = item.replace(/\btype\b/, '').trim();
      if (name !== '') names.add(name);
    }
  }
  return [...names];
}

/** The text of the `## \`<specifier>\`` section of docs/api.md, up to the next `## `. */
function sectionOf(specifier: string): string {
  const start = doc.indexOf(`\n## \`${specifier}\`\n`);
  if (start === -1) return '';
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

describe('docs/api.md', () => {
  it.each(ENTRY_POINTS)('its `%s` section names every export of %s', (specifier, file) => {
    const section = sectionOf(specifier);
    expect(section, `docs/api.md has no "## \`${specifier}\`" section`).not.toBe('');
    const code = examplesIn(section).join('\n');
    const missing = exportedNames(file).filter(
      (name) => !section.includes(`\`${name}\``) && !new RegExp(`\\b${name}\\b`).test(code),
    );
    expect(missing).toEqual([]);
  });

  it('names only entry points that package.json exports, each built from its src/ file', () => {
    const exported = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports as Record<string, unknown>;
    const built = (file: string, format: 'esm' | 'cjs', extension: string) =>
      `./${file.replace(/^src\//, `dist/${format}/`).replace(/\.ts$/, extension)}`;
    expect(Object.keys(exported).filter((key) => key !== './package.json')).toEqual(
      ENTRY_POINTS.map(([specifier]) => specifier.replace(/^promlite/, '.')),
    );
    for (const [specifier, file] of ENTRY_POINTS) {
      expect(exported[specifier.replace(/^promlite/, '.')]).toEqual({
        import: { types: built(file, 'esm', '.d.ts'), default: built(file, 'esm', '.js') },
        require: { types: built(file, 'cjs', '.d.ts'), default: built(file, 'cjs', '.js') },
      });
    }
  });

  itRunsEach(examples.map((code, i) => [i + 1, code] as const));
});
