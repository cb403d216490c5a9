import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { render } from '../src/index.js';
import { promtoolCheckMetrics, pythonParse } from './support/consumers.js';
import { expectedSamples } from './support/expected-samples.js';
import { GOLDEN_CASES } from './golden-cases.js';

const fixturePath = (name: string) => new URL(`../fixtures/${name}.prom`, import.meta.url);

describe.each(GOLDEN_CASES)('golden $name', ({ name, build }) => {
  const snapshot = build();
  const text = render(snapshot);

  it('matches fixtures/' + name + '.prom', () => {
    const path = fixturePath(name);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
    if (!existsSync(path)) {
      throw new Error(`fixtures/${name}.prom is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts (or make golden), then review git diff fixtures/`);
    }
    expect(text).toBe(readFileSync(path, 'utf8'));
  });

  it('passes promtool check metrics without a lint', () => {
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('reads back the same samples with prometheus_client', () => {
    expect(pythonParse(text)).toEqual(expectedSamples(snapshot));
  });
});
