// docs/migrating-from-prom-client.md: every promlite example runs, and every row of its table names an API that exists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as promlite from '../src/index.js';
import { examplesIn, root, itRunsEach } from './support/doc-examples.js';
import { usePushgatewayFromEnv } from './support/pushgateway.js';

const guide = readFileSync(join(root, 'docs/migrating-from-prom-client.md'), 'utf8');

describe('docs/migrating-from-prom-client.md', () => {
  const examples = examplesIn(guide);
  // The Pushgateway example pushes to a real one, found as a cron job would: PUSHGATEWAY_URL.
  usePushgatewayFromEnv();

  it('has a promlite example beside the prom-client code of each section', () => {
    const prom = [...guide.matchAll(/```js\n/g)].length;
    expect(examples.length).toBeGreaterThanOrEqual(prom);
    expect(examples.length).toBeGreaterThan(5);
  });

  it('names in its table only functions and registry methods that exist', () => {
    const table = guide.slice(guide.indexOf('## At a glance'), guide.indexOf('## Registry and counters'));
    const promliteColumn = [...table.matchAll(/^\| [^|]+ \| ([^|]+) \|$/gm)].map((match) => match[1] as string);
    const registry = new promlite.Registry();
    for (const cell of promliteColumn) {
      for (const [, method] of cell.matchAll(/registry\.(\w+)\(/g))
        expect(typeof Reflect.get(registry, method as string), cell).toBe('function');
      for (const [, name] of cell.matchAll(/`(\w+)\(/g)) expect((name as string) in promlite, cell).toBe(true);
    }
  });

  itRunsEach(
    examples.map((code, i) => [i + 1, code] as const),
    'example %s runs',
  );
});
