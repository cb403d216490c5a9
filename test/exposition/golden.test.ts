import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { render, renderOpenMetrics } from '../../src/index.js';
import { promtoolCheckMetrics, pythonParse } from '../support/consumers.js';
import { expectedSamples } from '../support/expected-samples.js';
import { GOLDEN_CASES } from './golden-cases.js';

/** Compares `actual` with fixtures/<file>, or writes it there under UPDATE_GOLDEN=1. */
function expectGolden(file: string, actual: string): void {
  const path = new URL(`../../fixtures/${file}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  if (!existsSync(path)) {
    throw new Error(
      `fixtures/${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts (or make golden), then review git diff fixtures/`,
    );
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe.each(GOLDEN_CASES)('golden $name', ({ name, build, observed }) => {
  const snapshot = build();
  const text = render(snapshot);
  const openMetrics = renderOpenMetrics(snapshot);

  it(`matches fixtures/${name}.prom`, () => expectGolden(`${name}.prom`, text));

  it(`matches fixtures/${name}.om.txt (OpenMetrics)`, () => expectGolden(`${name}.om.txt`, openMetrics));

  it('OpenMetrics: the strict prometheus_client parser reads back the same samples', () => {
    expect(pythonParse(openMetrics, 'openmetrics')).toEqual(expectedSamples(snapshot, observed, 'openmetrics'));
  });

  it('passes promtool check metrics without a lint', () => {
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('reads back the same samples with prometheus_client', () => {
    expect(pythonParse(text)).toEqual(expectedSamples(snapshot, observed));
  });
});
