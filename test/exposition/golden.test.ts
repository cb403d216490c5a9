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

describe.each(GOLDEN_CASES)('golden $name', ({ name, build, observed, promtoolLints }) => {
  const snapshot = build();
  const text = render(snapshot);
  const openMetrics = renderOpenMetrics(snapshot);

  it(`matches fixtures/${name}.prom`, () => expectGolden(`${name}.prom`, text));

  it(`matches fixtures/${name}.om.txt (OpenMetrics)`, () => expectGolden(`${name}.om.txt`, openMetrics));

  it('OpenMetrics: the strict prometheus_client parser reads back the same samples', () => {
    expect(pythonParse(openMetrics, 'openmetrics')).toEqual(expectedSamples(snapshot, observed, 'openmetrics'));
  });

  it(
    promtoolLints === undefined
      ? 'passes promtool check metrics without a lint'
      : 'promtool parses it, with the expected lints',
    () => {
      expect(promtoolCheckMetrics(text)).toEqual(
        promtoolLints === undefined ? { status: 0, output: '' } : { status: 3, output: promtoolLints },
      );
    },
  );

  it('reads back the same samples with prometheus_client', () => {
    // prometheus_client's text parser names every counter sample with `_total`, as OpenMetrics
    // does; Prometheus itself stores a text sample under the name written.
    const counters = new Set(snapshot.families.filter((f) => f.type === 'counter').map((f) => f.name));
    const asPythonReadsIt = expectedSamples(snapshot, observed).map((sample) =>
      counters.has(sample.name) && !sample.name.endsWith('_total')
        ? { ...sample, name: `${sample.name}_total` }
        : sample,
    );
    expect(pythonParse(text)).toEqual(asPythonReadsIt);
  });
});
