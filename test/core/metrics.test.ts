import { describe, expect, it } from 'vitest';
import { exponentialBuckets, linearBuckets, PromliteError, Registry, type RegistrySnapshot } from '../../src/index.js';

function sampleValue(
  snapshot: RegistrySnapshot,
  name: string,
  labelValues: readonly string[] = [],
): number | undefined {
  const family = snapshot.families.find((f) => f.name === name);
  if (family === undefined || family.type === 'histogram' || family.type === 'summary')
    throw new Error(`no scalar family ${name}`);
  return family.series.find((s) => s.labelValues.join('\u0000') === labelValues.join('\u0000'))?.value;
}

function errorOf(action: () => unknown): PromliteError {
  try {
    action();
  } catch (error) {
    if (error instanceof PromliteError) return error;
    throw error;
  }
  throw new Error('expected a PromliteError');
}

describe('counter', () => {
  it('supports every call form of the API', () => {
    const registry = new Registry();
    const plain = registry.counter({ name: 'plain_total', help: 'P.' });
    plain.inc();
    plain.inc(5);
    const labeled = registry.counter({ name: 'labeled_total', help: 'L.', labelNames: ['method'] });
    labeled.inc({ method: 'GET' });
    labeled.inc({ method: 'GET' }, 2);
    const child = labeled.labels({ method: 'GET' });
    child.inc();
    child.inc(0.5);
    const snapshot = registry.snapshot();
    expect(sampleValue(snapshot, 'plain_total')).toBe(6);
    expect(sampleValue(snapshot, 'labeled_total', ['GET'])).toBe(4.5);
  });

  it.each([-1, NaN, Infinity, -Infinity, '1' as unknown as number])('rejects the increment %s', (amount) => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['a'] });
    const plain = registry.counter({ name: 'p_total', help: 'P.' });
    for (const action of [
      () => plain.inc(amount),
      () => counter.inc({ a: 'x' }, amount),
      () => counter.labels({ a: 'x' }).inc(amount),
    ]) {
      const error = errorOf(action);
      expect(error.code).toBe('INVALID_VALUE');
      expect(error.message).toMatch(/^counter "(c|p)_total": increment must be a finite number >= 0/);
    }
    expect(sampleValue(registry.snapshot(), 'p_total')).toBe(0);
  });

  it('converts number label values to strings', () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['code'] });
    counter.inc({ code: 200 });
    counter.inc({ code: '200' });
    expect(sampleValue(registry.snapshot(), 'c_total', ['200'])).toBe(2);
  });
});

describe('label sets', () => {
  const registry = new Registry();
  const histogram = registry.histogram({ name: 'job_seconds', help: 'J.', labelNames: ['queue', 'kind'] });

  it.each([
    ['a missing label', { queue: 'a' }, 'histogram "job_seconds": label "kind" is missing (declared: queue, kind)'],
    [
      'an undeclared label',
      { queue: 'a', kind: 'b', extra: 'c' },
      'histogram "job_seconds": label "extra" is not declared (declared: queue, kind)',
    ],
    [
      'a misspelt label',
      { queue: 'a', knd: 'b' },
      'histogram "job_seconds": label "knd" is not declared (declared: queue, kind); did you mean "kind"?',
    ],
    [
      'an unrelated undeclared label beside a missing one',
      { queue: 'a', zone: 'b' },
      'histogram "job_seconds": label "zone" is not declared (declared: queue, kind)',
    ],
    [
      'a non-string value',
      { queue: 'a', kind: true },
      'histogram "job_seconds": label "kind" must be a string or number, got boolean',
    ],
    [
      'a null value',
      { queue: null, kind: 'b' },
      'histogram "job_seconds": label "queue" must be a string or number, got null',
    ],
  ])('rejects %s with a message naming the metric and the label', (_, labels, message) => {
    for (const action of [
      () => histogram.observe(labels as never, 1),
      () => histogram.labels(labels as never),
      () => histogram.remove(labels as never),
    ]) {
      const error = errorOf(action);
      expect(error.code).toBe('INVALID_LABELS');
      expect(error.message).toBe(message);
    }
  });

  it('rejects an undeclared label even when the series exists', () => {
    histogram.observe({ queue: 'a', kind: 'b' }, 1);
    expect(() => histogram.observe({ queue: 'a', kind: 'b', extra: 'c' } as never, 1)).toThrow(
      /label "extra" is not declared/,
    );
  });

  it('rejects labels on an unlabelled metric, and no labels on a labelled one', () => {
    const counter = registry.counter({ name: 'plain_total', help: 'P.' });
    expect(() => counter.inc({ a: 'x' } as never)).toThrow(
      'counter "plain_total": label "a" is not declared (declared: none)',
    );
    expect(() => histogram.observe(1)).toThrow(
      'histogram "job_seconds": label "queue" is missing (declared: queue, kind)',
    );
    expect(() => histogram.labels(null as never)).toThrow(/labels must be an object, got null/);
  });
});

describe('gauge', () => {
  it('sets, adds and subtracts', () => {
    const registry = new Registry();
    const gauge = registry.gauge({ name: 'g', help: 'G.' });
    gauge.set(3);
    gauge.inc();
    gauge.inc(2);
    gauge.dec(0.5);
    const queue = registry.gauge({ name: 'q', help: 'Q.', labelNames: ['queue'] });
    queue.set({ queue: 'a' }, 3);
    queue.inc({ queue: 'a' });
    queue.dec({ queue: 'a' }, 2);
    queue.labels({ queue: 'b' }).set(1);
    queue.labels({ queue: 'b' }).dec();
    const snapshot = registry.snapshot();
    expect(sampleValue(snapshot, 'g')).toBe(5.5);
    expect(sampleValue(snapshot, 'q', ['a'])).toBe(2);
    expect(sampleValue(snapshot, 'q', ['b'])).toBe(0);
  });

  it('accepts NaN and infinities, rejects non-numbers', () => {
    const registry = new Registry();
    const gauge = registry.gauge({ name: 'g', help: 'G.' });
    gauge.set(NaN);
    expect(sampleValue(registry.snapshot(), 'g')).toBeNaN();
    gauge.set(-Infinity);
    expect(sampleValue(registry.snapshot(), 'g')).toBe(-Infinity);
    expect(() => gauge.set('3' as unknown as number)).toThrow('gauge "g": value must be a number, got the string "3"');
    expect(() => gauge.inc(undefined as unknown as number)).not.toThrow();
  });

  it('sets the current time in seconds', () => {
    const registry = new Registry();
    const gauge = registry.gauge({ name: 'g', help: 'G.' });
    const before = Date.now() / 1000;
    gauge.setToCurrentTime();
    const value = sampleValue(registry.snapshot(), 'g') as number;
    expect(value).toBeGreaterThanOrEqual(before);
    expect(value).toBeLessThanOrEqual(Date.now() / 1000);
  });
});

describe('histogram', () => {
  it('counts an observation exactly on a bound in that bucket', () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: 'h', help: 'H.', buckets: [1, 2] });
    for (const value of [1, 2, 2.0000001, -5]) histogram.observe(value);
    const family = registry.snapshot().families.find((f) => f.name === 'h');
    expect(family?.type === 'histogram' && family.series[0]).toEqual({
      labelValues: [],
      cumulativeCounts: [2, 3],
      sum: 1 + 2 + 2.0000001 - 5,
      count: 4,
    });
  });

  it('puts infinities in the outer buckets, through labels and bound children alike', () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: 'h', help: 'H.', labelNames: ['a'], buckets: [0, 1] });
    const child = histogram.labels({ a: 'child' });
    for (const value of [-Infinity, 0, 1, Infinity, -0, 1e308]) {
      histogram.observe({ a: 'labels' }, value);
      child.observe(value);
    }
    const family = registry.snapshot().families.find((f) => f.name === 'h');
    const series = family?.type === 'histogram' ? family.series : [];
    expect(series.map((s) => [s.labelValues[0], s.cumulativeCounts, s.count])).toEqual([
      ['child', [3, 4], 6],
      ['labels', [3, 4], 6],
    ]);
    expect(series.map((s) => s.sum)).toEqual([Number.NaN, Number.NaN]);
  });

  it('counts everything in +Inf when it has no finite buckets (native only)', () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: 'h', help: 'H.', buckets: [], native: {} });
    for (const value of [-Infinity, -1, 0, 5, Infinity]) histogram.observe(value);
    const family = registry.snapshot().families.find((f) => f.name === 'h');
    expect(family?.type === 'histogram' && [family.series[0]?.cumulativeCounts, family.series[0]?.count]).toEqual([
      [],
      5,
    ]);
  });

  it('rejects NaN and non-numbers, accepts infinities', () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: 'h', help: 'H.', labelNames: ['a'] });
    expect(() => histogram.observe({ a: 'x' }, NaN)).toThrow(
      'histogram "h": observation must be a number other than NaN, got NaN',
    );
    expect(() => histogram.labels({ a: 'x' }).observe('1' as unknown as number)).toThrow(/got the string "1"/);
    expect(() => histogram.observe({ a: 'x' }, Infinity)).not.toThrow();
  });

  it('copies its buckets', () => {
    const registry = new Registry();
    const buckets = [1, 2];
    const histogram = registry.histogram({ name: 'h', help: 'H.', buckets });
    buckets[0] = 100;
    expect(histogram.upperBounds).toEqual([1, 2]);
  });

  it('times in seconds with startTimer', async () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: 'h', help: 'H.', labelNames: ['route'] });
    const end = histogram.startTimer({ route: '/x' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = end();
    expect(seconds).toBeGreaterThanOrEqual(0.015);
    expect(seconds).toBeLessThan(10);
    const childEnd = histogram.labels({ route: '/y' }).startTimer();
    childEnd();
    const family = registry.snapshot().families.find((f) => f.name === 'h');
    expect(family?.type === 'histogram' && family.series.map((s) => [s.labelValues[0], s.count, s.sum > 0])).toEqual([
      ['/x', 1, true],
      ['/y', 1, true],
    ]);
  });
});

describe('remove and reset', () => {
  it('remove deletes one series and detaches its child', () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['a'] });
    const child = counter.labels({ a: 'x' });
    child.inc();
    counter.inc({ a: 'y' });
    expect(counter.remove({ a: 'x' })).toBe(true);
    expect(counter.remove({ a: 'x' })).toBe(false);
    child.inc(); // detached: records nowhere, as in the Go client
    expect(sampleValue(registry.snapshot(), 'c_total', ['x'])).toBeUndefined();
    expect(sampleValue(registry.snapshot(), 'c_total', ['y'])).toBe(1);
    counter.inc({ a: 'x' });
    expect(sampleValue(registry.snapshot(), 'c_total', ['x'])).toBe(1);
  });

  it('remove frees nested levels so removed values keep no memory', () => {
    const registry = new Registry({ maxSeriesPerMetric: 2 });
    const gauge = registry.gauge({ name: 'g', help: 'G.', labelNames: ['a', 'b'] });
    for (let round = 0; round < 50; round++) {
      gauge.set({ a: `a${round}`, b: 'x' }, round);
      gauge.remove({ a: `a${round}`, b: 'x' });
    }
    gauge.set({ a: 'last', b: 'x' }, 1);
    gauge.set({ a: 'last', b: 'y' }, 2);
    expect(registry.snapshot().families.find((f) => f.name === 'g')?.series).toHaveLength(2);
  });

  it('reset clears a labelled metric and zeroes an unlabelled one', () => {
    const registry = new Registry();
    const labeled = registry.histogram({ name: 'h', help: 'H.', labelNames: ['a'] });
    labeled.observe({ a: 'x' }, 1);
    const plain = registry.counter({ name: 'p_total', help: 'P.' });
    plain.inc(3);
    labeled.reset();
    plain.reset();
    const snapshot = registry.snapshot();
    expect(snapshot.families.find((f) => f.name === 'h')?.series).toEqual([]);
    expect(sampleValue(snapshot, 'p_total')).toBe(0);
    plain.inc();
    expect(sampleValue(registry.snapshot(), 'p_total')).toBe(1);
  });

  it('remove on an unlabelled metric is an error', () => {
    const registry = new Registry();
    expect(() => registry.gauge({ name: 'g', help: 'G.' }).remove({})).toThrow('gauge "g": has no labels; use reset()');
  });
});

describe('bucket layouts', () => {
  it('linearBuckets and exponentialBuckets give what prom-client gives, without float noise', () => {
    expect(linearBuckets(0.1, 0.1, 5)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(linearBuckets(-1, 0.5, 3)).toEqual([-1, -0.5, 0]);
    expect(exponentialBuckets(0.001, 10, 4)).toEqual([0.001, 0.01, 0.1, 1]);
    expect(exponentialBuckets(1, 2, 5)).toEqual([1, 2, 4, 8, 16]);
    const registry = new Registry();
    expect(() => registry.histogram({ name: 'h', help: 'H.', buckets: linearBuckets(0.05, 0.05, 20) })).not.toThrow();
  });

  it('refuses layouts that make no buckets or no increasing ones, naming the argument', () => {
    expect(() => linearBuckets(0, 0, 3)).toThrow('linearBuckets: width must be a number > 0, got 0');
    expect(() => linearBuckets(0, 1, 0)).toThrow(/count must be an integer from 1/);
    expect(() => exponentialBuckets(0, 2, 3)).toThrow('exponentialBuckets: start must be a number > 0, got 0');
    expect(() => exponentialBuckets(1, 1, 3)).toThrow(/factor must be a number > 1/);
    expect(() => exponentialBuckets(1, Number.NaN, 3)).toThrow(/factor must be a finite number/);
    expect(() => linearBuckets('1' as never, 1, 3)).toThrow(/start must be a finite number, got "1"/);
  });
});

describe('values of the wrong type', () => {
  it('say that a string was given, where "5" and 5 would print alike', () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'c_total', help: 'C.' });
    expect(() => counter.inc('5' as never)).toThrow(
      'counter "c_total": increment must be a finite number >= 0, got the string "5"',
    );
    expect(() => counter.inc(-1)).toThrow('counter "c_total": increment must be a finite number >= 0, got -1');
  });
});
