// docs/cluster.md: every `ts` example runs (the cluster one forks real workers).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { examplesIn, itRunsEach, root } from './support/doc-examples.js';

const doc = readFileSync(join(root, 'docs/cluster.md'), 'utf8');

describe('docs/cluster.md', () => {
  itRunsEach(examplesIn(doc).map((code, i) => [i + 1, code] as const));
});
