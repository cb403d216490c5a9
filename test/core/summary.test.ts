// Summaries: the rank-error bound of docs/summary.md against exact ranks, bounded memory, the sliding
// window on a fake clock, the call shapes shared with histograms, and bad input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PromliteError, Registry, type RegistrySnapshot, render, Summary } from '../../src/index.js';
import { defaultRankError, QuantileStream } from '../../src/core/quantile-stream.js';

const QUANTILES = [0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999];

/** How far the rank of `value` in `sorted` is from q·n, beyond the bound ε·n + 1 (≤ 0 when within it). */
function excessRankError(sorted: readonly number[], value: number, q: number): number {
  const n = sorted.length;
  let below = 0;
  while (below < n && (sorted[below] as number) < value) below++;
  let through = below;
  while (through < n && sorted[through] === value) through++;
  // Ranks `value` may stand for: below+1 … through (1-based).
  const distance = Math.max(0, below + 1 - q * n, q * n - through);
  return distance - (defaultRankError(q) * n + 1);
}

function streamOf(values: readonly number[]): QuantileStream {
  const stream = new QuantileStream(QUANTILES.map((quantile) => ({ quantile, error: defaultRankError(quantile) })));
  for (let i = 0; i < values.length; i += 128) stream.insertSorted([...values.slice(i, i + 128)].sort((a, b) => a - b));
  return stream;
}

describe('the quantile stream', () => {
  it('answers every target within its rank-error bound, on random streams', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
          minLength: 1,
          maxLength: 3000,
        }),
        (values) => {
          const stream = streamOf(values);
          const sorted = [...values].sort((a, b) => a - b);
          for (const q of QUANTILES)
            expect(excessRankError(sorted, stream.query(q), q), `q=${q}`).toBeLessThanOrEqual(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each([
    ['ascending', (i: number) => i],
    ['descending', (i: number) => -i],
    ['sawtooth', (i: number) => i % 977],
    ['constant', () => 7],
    ['heavy-tailed', (i: number) => ((i * 7919) % 10007) ** 3],
  ])('stays within the bound and small on 200,000 %s observations', (_, valueAt) => {
    const values = Array.from({ length: 200_000 }, (_, i) => valueAt(i));
    const stream = streamOf(values);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of QUANTILES) expect(excessRankError(sorted, stream.query(q), q), `q=${q}`).toBeLessThanOrEqual(0);
    // The memory docs/summary.md states: about a hundred values for the default quantiles.
    expect(stream.size).toBeLessThan(250);
  });

  it('is NaN when empty, and exact on tiny streams', () => {
    expect(streamOf([]).query(0.5)).toBeNaN();
    expect(streamOf([3]).query(0.99)).toBe(3);
  });
});

/** A clock the test moves: the registry reads it for the summary's window. */
function clockedRegistry(): { registry: Registry; advance: (seconds: number) => void } {
  let now = 1_700_000_000_000;
  return { registry: new Registry({ now: () => now }), advance: (seconds) => (now += seconds * 1000) };
}

function seriesOf(snapshot: RegistrySnapshot, name: string) {
  const family = snapshot.families.find((f) => f.name === name);
  if (family?.type !== 'summary') throw new Error(`no summary ${name}`);
  return family.series.map((s) => ({ labels: s.labelValues, quantiles: s.quantileValues, sum: s.sum, count: s.count }));
}

describe('registry.summary', () => {
  it('reports quantiles of the window and _sum, _count since the start', () => {
    const { registry, advance } = clockedRegistry();
    const latency = registry.summary({
      name: 'latency_seconds',
      help: 'L.',
      percentiles: [0.5],
      maxAgeSeconds: 60,
      ageBuckets: 3,
    });
    for (let i = 1; i <= 99; i++) latency.observe(i);
    // The median of 1…99 within its rank error (0.05 · 99 + 1 ranks).
    const median = () => seriesOf(registry.snapshot(), 'latency_seconds')[0]?.quantiles[0] as number;
    expect(Math.abs(median() - 50)).toBeLessThanOrEqual(6);
    expect(seriesOf(registry.snapshot(), 'latency_seconds')[0]).toMatchObject({ sum: 4950, count: 99 });
    // 40 s later the window still holds them; 70 s later, past maxAge, it has let them go.
    advance(40);
    latency.observe(1000);
    expect(Math.abs(median() - 50)).toBeLessThanOrEqual(6);
    advance(70);
    const [late] = seriesOf(registry.snapshot(), 'latency_seconds');
    expect(late?.quantiles).toEqual([Number.NaN]);
    expect([late?.sum, late?.count]).toEqual([5950, 100]);
  });

  it('has the call shapes of a histogram: labels, bound children, timers, remove, reset', () => {
    const { registry } = clockedRegistry();
    const rpc = registry.summary({ name: 'rpc_seconds', help: 'R.', labelNames: ['method'], percentiles: [0.5, 0.9] });
    rpc.observe({ method: 'get' }, 1);
    rpc.labels({ method: 'get' }).observe(3);
    rpc.startTimer({ method: 'put' })();
    expect(seriesOf(registry.snapshot(), 'rpc_seconds').map((s) => [s.labels, s.count])).toEqual([
      [['get'], 2],
      [['put'], 1],
    ]);
    expect(rpc.remove({ method: 'put' })).toBe(true);
    rpc.reset();
    expect(seriesOf(registry.snapshot(), 'rpc_seconds')).toEqual([]);
    expect(rpc.percentiles).toEqual([0.5, 0.9]);
    expect(rpc).toBeInstanceOf(Summary);
  });

  it('counts ±Infinity in _sum and _count but keeps them out of the quantiles', () => {
    const { registry } = clockedRegistry();
    const summary = registry.summary({ name: 's', help: 'S.', percentiles: [0.5] });
    summary.observe(2);
    summary.observe(Number.POSITIVE_INFINITY);
    expect(seriesOf(registry.snapshot(), 's')).toEqual([
      { labels: [], quantiles: [2], sum: Number.POSITIVE_INFINITY, count: 2 },
    ]);
  });

  it('sorts its percentiles, and returns the same summary for the same declaration', () => {
    const { registry } = clockedRegistry();
    const first = registry.summary({ name: 's', help: 'S.', percentiles: [0.9, 0.5] });
    expect(first.percentiles).toEqual([0.5, 0.9]);
    expect(registry.summary({ name: 's', help: 'S.', percentiles: [0.5, 0.9] })).toBe(first);
    expect(() => registry.summary({ name: 's', help: 'S.', percentiles: [0.5, 0.99] })).toThrow(
      'summary "s": already registered with percentiles [0.5, 0.9], maxAgeSeconds 600, ageBuckets 5',
    );
  });

  it.each([
    [{ percentiles: [0, 0.5] }, /percentile 0 must be between 0 and 1/],
    [{ percentiles: [1.5] }, /percentile 1.5 must be between 0 and 1/],
    [{ percentiles: ['0.5'] }, /option "percentiles" must be an array of numbers/],
    [{ percentiles: [0.5, 0.5] }, /percentile 0.5 is listed twice/],
    [{ percentiles: [] }, /percentiles must not be empty/],
    [{ maxAgeSeconds: 0 }, /option "maxAgeSeconds" must be a finite number greater than 0/],
    [{ ageBuckets: 1.5 }, /option "ageBuckets" must be an integer from 1 to 1000/],
    [{ labelNames: ['quantile'] }, /label "quantile" is reserved/],
    [{ buckets: [1] }, /unknown option "buckets"/],
  ])('refuses %j, naming the summary and the option', (options, message) => {
    const registry = new Registry();
    const error = (() => {
      try {
        registry.summary({ name: 'bad_seconds', help: 'B.', ...(options as object) });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as Error).message).toMatch(/summary "bad_seconds"/);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses NaN and non-numbers, also over the series limit', () => {
    const registry = new Registry({ maxSeriesPerMetric: 1 });
    const summary = registry.summary({ name: 's', help: 'S.', labelNames: ['k'] });
    summary.observe({ k: 'a' }, 1);
    expect(() => summary.observe({ k: 'b' }, Number.NaN)).toThrow(
      /observation must be a number other than NaN, got NaN/,
    );
    expect(() => summary.observe({ k: 'a' }, '1' as never)).toThrow(/got the string "1"/);
    summary.observe({ k: 'b' }, 1);
    expect(render(registry.snapshot())).toContain('promlite_series_dropped_total{metric="s"} 1\n');
  });
});
