import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricReference } from '../scripts/metric-reference.js';

describe('docs/metrics.md', () => {
  it('matches the metrics the code defines (run `make docs` after changing them)', () => {
    const committed = readFileSync(new URL('../docs/metrics.md', import.meta.url), 'utf8');
    expect(committed, 'docs/metrics.md is stale: run `make docs` and commit it').toBe(metricReference());
  });
});
