// Real consumers read a registry full of hostile input: promtool must find nothing to say, and
// prometheus_client must recover every sample, label values byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Registry, render, renderOpenMetrics } from '../../src/index.js';
import { promtoolCheckMetrics, pythonParse } from '../support/consumers.js';
import { expectedSamples, observedJobs, wellFormed, type ObservedSeries } from '../support/expected-samples.js';

const HOSTILE_VALUES = [
  '',
  'C:\\temp\\new',
  'say "hi"',
  'line one\nline two',
  '\\n is not a newline',
  '\\"',
  'trailing backslash\\',
  'a,b=c',
  '{}',
  '} 1\nfake_metric 2',
  '# HELP injected',
  'tab\tcarriage\rreturn',
  'null\u0000byte',
  'ünïcödé ✓',
  '🚀 astral',
  '\uD800 lone surrogate',
  ' leading and trailing ',
  'x'.repeat(1024),
];

const DEFAULT_LABELS = { instance_id: 'a"b\\c\nd' };
const HOSTILE_BOUNDS = [0.001, 1, 1e6];
const JOB_CALLS = [
  ['job "kind"\n', 'success', 12.5],
  ['job "kind"\n', 'failure', -1],
  ['x', 'y', NaN],
] as const;

function hostileRegistry(): Registry {
  const registry = new Registry({ defaultLabels: DEFAULT_LABELS });
  const counter = registry.counter({
    name: 'hostile_total',
    help: 'Help with \\ backslash, "quotes"\nand a newline.',
    labelNames: ['value', 'other'],
  });
  const histogram = registry.histogram({
    name: 'hostile_seconds',
    help: 'Hostile histogram.',
    labelNames: ['value'],
    buckets: HOSTILE_BOUNDS,
  });
  const gauge = registry.gauge({ name: 'hostile_level', help: 'Hostile level.', labelNames: ['value'] });
  HOSTILE_VALUES.forEach((value, i) => {
    counter.inc({ value, other: HOSTILE_VALUES[(i + 3) % HOSTILE_VALUES.length] as string }, i);
    histogram.observe({ value }, i * 100);
    gauge.set({ value }, i % 3 === 0 ? NaN : i % 3 === 1 ? -Infinity : i / 7);
  });
  for (const [kind, status, seconds] of JOB_CALLS) registry.observeJob(kind, status, seconds);
  return registry;
}

/** The histogram series hostileRegistry() makes, from its inputs. */
const HOSTILE_OBSERVED: readonly ObservedSeries[] = [
  ...HOSTILE_VALUES.map((value, i) => ({
    name: 'hostile_seconds',
    labels: { value: wellFormed(value), ...DEFAULT_LABELS },
    upperBounds: HOSTILE_BOUNDS,
    values: [i * 100],
  })),
  ...observedJobs(JOB_CALLS, DEFAULT_LABELS),
];

describe('real consumers on hostile input', () => {
  const snapshot = hostileRegistry().snapshot();
  const text = render(snapshot);

  it('promtool check metrics accepts it without a lint', () => {
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('prometheus_client recovers every sample exactly', () => {
    expect(pythonParse(text)).toEqual(expectedSamples(snapshot, HOSTILE_OBSERVED));
  });

  it('the strict OpenMetrics parser of prometheus_client recovers every sample exactly', () => {
    expect(pythonParse(renderOpenMetrics(snapshot), 'openmetrics')).toEqual(
      expectedSamples(snapshot, HOSTILE_OBSERVED, 'openmetrics'),
    );
  });

  it('promtool rejects a broken text: the check can fail', () => {
    expect(promtoolCheckMetrics('broken{a="1" 1\n').status).toBe(1);
    expect(promtoolCheckMetrics('# HELP jobs Jobs.\n# TYPE jobs counter\njobs 1\n').output).toMatch(/_total/);
  });

  it('both accept arbitrary generated label values', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 30 }), { minLength: 1, maxLength: 30 }),
        (values) => {
          const registry = new Registry();
          const counter = registry.counter({ name: 'generated_total', help: 'Generated.', labelNames: ['value'] });
          for (const value of values) counter.inc({ value });
          const generated = registry.snapshot();
          const output = render(generated);
          expect(promtoolCheckMetrics(output)).toEqual({ status: 0, output: '' });
          expect(pythonParse(output)).toEqual(expectedSamples(generated, []));
          expect(pythonParse(renderOpenMetrics(generated), 'openmetrics')).toEqual(
            expectedSamples(generated, [], 'openmetrics'),
          );
        },
      ),
      { numRuns: 15 },
    );
  });
});
