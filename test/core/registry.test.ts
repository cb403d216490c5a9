import { describe, expect, it, vi } from 'vitest';
import { Counter, Gauge, Histogram, PromliteError, Registry, render } from '../../src/index.js';

describe('Registry options', () => {
  it.each([
    [{ prefix: 'bad-prefix' }, /prefix "bad-prefix"/],
    [{ prefix: '1x' }, /prefix "1x"/],
    [{ maxSeriesPerMetric: 0 }, /registry: option "maxSeriesPerMetric" must be an integer from 1 to \d+, got 0/],
    [
      { maxSeriesPerMetric: '10' as unknown as number },
      /option "maxSeriesPerMetric" must be an integer from 1 to \d+, got "10"/,
    ],
    [{ prefix: 5 as unknown as string }, /option "prefix" must be a string, got 5/],
    [{ onCollectError: 'log' as unknown as () => void }, /option "onCollectError" must be a function/],
    [{ now: 0 as unknown as () => number }, /option "now" must be a function/],
    [
      { maxSeries: 10 } as never,
      /registry: unknown option "maxSeries" \(known: prefix, defaultLabels, maxSeriesPerMetric, maxLabelValueLength, onCollectError, now\)/,
    ],
    [{ maxSeriesPerMetric: 1.5 }, /maxSeriesPerMetric/],
    [{ maxLabelValueLength: -1 }, /maxLabelValueLength/],
    [{ defaultLabels: { 'bad-name': 'x' } }, /label name "bad-name"/],
    [{ defaultLabels: { __x: 'x' } }, /reserved/],
    [{ defaultLabels: { env: 5 as unknown as string } }, /default label "env" must be a string/],
    [{ defaultLabels: { le: 'x' } }, /registry: default label "le" is reserved for histogram bucket upper bounds/],
  ])('rejects %j', (options, message) => {
    expect(() => new Registry(options)).toThrow(message);
  });
});

describe('registration', () => {
  it('returns the existing metric for the same definition', () => {
    const registry = new Registry();
    const first = registry.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['kind'] });
    const second = registry.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['kind'] });
    expect(second).toBe(first);
    const h1 = registry.histogram({ name: 'd_seconds', help: 'D.', buckets: [1, 2] });
    expect(registry.histogram({ name: 'd_seconds', help: 'D.', buckets: [1, 2] })).toBe(h1);
  });

  it.each([
    [
      'a different type',
      (r: Registry) => r.gauge({ name: 'x_total', help: 'X.' }),
      /already registered with type counter/,
    ],
    [
      'a different help',
      (r: Registry) => r.counter({ name: 'x_total', help: 'Other.', labelNames: ['a'] }),
      /different help/,
    ],
    [
      'different labels',
      (r: Registry) => r.counter({ name: 'x_total', help: 'X.', labelNames: ['b'] }),
      /label names \[a\]/,
    ],
    [
      'reordered labels',
      (r: Registry) => r.counter({ name: 'x_total', help: 'X.', labelNames: ['a', 'b'] }),
      /label names \[a\]/,
    ],
  ])('throws DUPLICATE_METRIC for %s', (_, register, message) => {
    const registry = new Registry();
    registry.counter({ name: 'x_total', help: 'X.', labelNames: ['a'] });
    expect(() => register(registry)).toThrow(message);
  });

  it('throws for a histogram with other buckets, and for a gauge in place of a histogram', () => {
    const registry = new Registry();
    registry.histogram({ name: 'd_seconds', help: 'D.', buckets: [1, 2] });
    expect(() => registry.histogram({ name: 'd_seconds', help: 'D.', buckets: [1, 3] })).toThrow(/buckets \[1, 2\]/);
    expect(() => registry.gauge({ name: 'd_seconds', help: 'D.' })).toThrow(/type histogram/);
  });

  it('refuses families whose samples would clash', () => {
    const registry = new Registry();
    registry.counter({ name: 'requests_total', help: 'R.' });
    // OpenMetrics names the counter family "requests": a gauge of that name would collide.
    expect(() => registry.gauge({ name: 'requests', help: 'R.' })).toThrow(/clash with "requests_total"/);
    registry.histogram({ name: 'latency', help: 'L.' });
    expect(() => registry.counter({ name: 'latency_count_total', help: 'L.' })).toThrow(
      /clash with "latency" on the name "latency_count"/,
    );
  });

  it('reserves its own metric names once a feature uses them', () => {
    const registry = new Registry();
    registry.observeJob('email', 'success', 1);
    expect(() => registry.gauge({ name: 'job_duration_seconds', help: 'Mine.' })).toThrow(PromliteError);
  });

  it.each([
    [{ name: 'x_total', help: '' }, /help must be a non-empty string/],
    [
      { name: 'x_total', help: 'X.', labelNames: 'a' as unknown as string[] },
      /counter "x_total": option "labelNames" must be an array of strings, got "a"/,
    ],
    [
      { name: 'x_total', help: 'X.', labelnames: ['a'] } as never,
      /counter "x_total": unknown option "labelnames" \(known: name, help, labelNames, collect\)/,
    ],
    [{ name: 'x_total', help: 'X.', buckets: [1] } as never, /counter "x_total": unknown option "buckets"/],
    [
      { name: 'x_total', help: 'X.', collect: 5 } as never,
      /counter "x_total": option "collect" must be a function, got 5/,
    ],
    [{ name: 'x_total', help: 'X.', labelNames: ['env'] }, /"env" is already a default label/],
  ])('rejects bad options %j', (options, message) => {
    const registry = new Registry({ defaultLabels: { env: 'test' } });
    expect(() => registry.counter(options)).toThrow(message);
  });

  it('rejects bad buckets with INVALID_BUCKETS', () => {
    const registry = new Registry();
    try {
      registry.histogram({ name: 'h_seconds', help: 'H.', buckets: [2, 1] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PromliteError);
      expect((error as PromliteError).code).toBe('INVALID_BUCKETS');
      expect((error as PromliteError).message).toMatch(/^histogram "h_seconds": bucket 1 \(1\) is not greater/);
    }
  });

  it('applies the prefix to names and exposes metrics by full name', () => {
    const registry = new Registry({ prefix: 'app_' });
    const counter = registry.counter({ name: 'x_total', help: 'X.' });
    expect(counter.name).toBe('app_x_total');
    expect(registry.get('app_x_total')).toBe(counter);
    expect(counter).toBeInstanceOf(Counter);
    expect(registry.gauge({ name: 'g', help: 'G.' })).toBeInstanceOf(Gauge);
    expect(registry.histogram({ name: 'h', help: 'H.' })).toBeInstanceOf(Histogram);
  });
});

describe('snapshot', () => {
  it('is isolated from later updates', () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'x_total', help: 'X.', labelNames: ['a'] });
    const histogram = registry.histogram({ name: 'h', help: 'H.', buckets: [1] });
    counter.inc({ a: '1' });
    histogram.observe(0.5);
    const before = registry.snapshot();
    const text = render(before);
    counter.inc({ a: '1' }, 10);
    counter.inc({ a: '2' });
    histogram.observe(0.5);
    counter.remove({ a: '1' });
    expect(render(before)).toBe(text);
    expect(render(registry.snapshot())).not.toBe(text);
  });

  it('is frozen where it shares state with live metrics', () => {
    const registry = new Registry();
    registry.counter({ name: 'x_total', help: 'X.', labelNames: ['a'] }).inc({ a: '1' });
    const snapshot = registry.snapshot();
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(snapshot.families)).toBe(true);
    const family = snapshot.families.find((f) => f.name === 'x_total');
    expect(Object.isFrozen(family)).toBe(true);
    expect(Object.isFrozen(family?.series[0]?.labelValues)).toBe(true);
  });

  it('renders byte-identical text whatever the order of registration and updates', () => {
    const build = (reversed: boolean) => {
      const registry = new Registry();
      const steps = [
        () => registry.counter({ name: 'b_total', help: 'B.', labelNames: ['k'] }).inc({ k: 'z' }),
        () => registry.counter({ name: 'b_total', help: 'B.', labelNames: ['k'] }).inc({ k: 'a' }),
        () => registry.gauge({ name: 'a', help: 'A.', labelNames: ['x', 'y'] }).set({ x: '2', y: '1' }, 1),
        () => registry.gauge({ name: 'a', help: 'A.', labelNames: ['x', 'y'] }).set({ y: '9', x: '1' }, 2),
        () => registry.histogram({ name: 'c', help: 'C.', labelNames: ['r'] }).observe({ r: '/b' }, 1),
        () => registry.histogram({ name: 'c', help: 'C.', labelNames: ['r'] }).observe({ r: '/a' }, 2),
      ];
      for (const step of reversed ? steps.reverse() : steps) step();
      return render(registry.snapshot());
    };
    expect(build(true)).toBe(build(false));
  });

  it('orders families by name and series by label values', () => {
    const registry = new Registry();
    const gauge = registry.gauge({ name: 'g', help: 'G.', labelNames: ['a', 'b'] });
    for (const [a, b] of [
      ['2', 'a'],
      ['10', 'b'],
      ['1', 'z'],
      ['1', 'a'],
    ] as const)
      gauge.set({ a, b }, 1);
    const family = registry.snapshot().families.find((f) => f.name === 'g');
    expect(family?.series.map((s) => s.labelValues.join('|'))).toEqual(['1|a', '1|z', '10|b', '2|a']);
    const names = registry.snapshot().families.map((f) => f.name);
    expect(names).toEqual([...names].sort());
  });
});

describe('collect gauges', () => {
  it('reads values at snapshot time', () => {
    const registry = new Registry();
    let depth = 1;
    registry.gauge({ name: 'depth', help: 'D.', collect: () => depth });
    depth = 7;
    expect(render(registry.snapshot())).toContain('depth 7\n');
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('database down');
      },
    ],
    [
      'throws a non-Error',
      () => {
        throw 'just a string';
      },
    ],
    ['returns a promise', () => Promise.resolve(1) as unknown as number],
    ['returns a string', () => '5' as unknown as number],
    ['returns an undeclared label', () => [{ labels: { nope: 'x' }, value: 1 }]],
    ['returns a non-number value', () => [{ labels: { state: 'x' }, value: '1' as unknown as number }]],
    [
      'returns a label set twice',
      () => [
        { labels: { state: 'x' }, value: 1 },
        { labels: { state: 'x' }, value: 2 },
      ],
    ],
  ])('leaves the family out and counts the failure when collect %s', (_, collect) => {
    const onCollectError = vi.fn();
    const registry = new Registry({ onCollectError });
    registry.gauge({ name: 'broken', help: 'B.', labelNames: ['state'], collect: collect as () => number });
    registry.gauge({ name: 'fine', help: 'F.', collect: () => 1 });
    const text = render(registry.snapshot());
    expect(text).not.toContain('broken{');
    expect(text).toContain('fine 1\n');
    expect(text).toContain('promlite_collect_errors_total{metric="broken"} 1\n');
    expect(onCollectError).toHaveBeenCalledOnce();
    expect(onCollectError.mock.calls[0]?.[1]).toBe('broken');
    render(registry.snapshot());
    expect(render(registry.snapshot())).toContain('promlite_collect_errors_total{metric="broken"} 3\n');
  });

  it('works for counters, which must collect finite values >= 0', () => {
    const registry = new Registry();
    let cpu = 1.5;
    registry.counter({ name: 'cpu_seconds_total', help: 'CPU.', collect: () => cpu });
    registry.counter({ name: 'bad_total', help: 'Bad.', collect: () => -1 });
    cpu = 2.25;
    const text = render(registry.snapshot());
    expect(text).toContain('# TYPE cpu_seconds_total counter\ncpu_seconds_total 2.25\n');
    expect(text).not.toMatch(/^bad_total /m);
    expect(text).toContain('promlite_collect_errors_total{metric="bad_total"} 1\n');
  });

  it('caps collected series at maxSeriesPerMetric and counts the rest as dropped', () => {
    const registry = new Registry({ maxSeriesPerMetric: 2 });
    registry.gauge({
      name: 'many',
      help: 'M.',
      labelNames: ['i'],
      collect: () => [1, 2, 3, 4].map((i) => ({ labels: { i }, value: i })),
    });
    const text = render(registry.snapshot());
    expect(text.match(/^many\{/gm)).toHaveLength(2);
    expect(text).toContain('promlite_series_dropped_total{metric="many"} 2\n');
  });
});

describe('names under a prefix', () => {
  it('judges the name as given, not only with the prefix in front', () => {
    const registry = new Registry({ prefix: 'app_' });
    expect(() => registry.gauge({ name: '', help: 'H.' })).toThrow(
      'gauge "" (prefix "app_"): a metric name must match [a-zA-Z_:][a-zA-Z0-9_:]* before the prefix too',
    );
    expect(() => registry.counter({ name: '1abc_total', help: 'H.' })).toThrow(
      /counter "1abc_total" \(prefix "app_"\)/,
    );
    expect(registry.gauge({ name: 'ok', help: 'H.' }).name).toBe('app_ok');
  });
});

describe('names a service already has', () => {
  it('accepts counters without _total and gauges with it, refusing only names two families would share', () => {
    const registry = new Registry();
    registry.counter({ name: 'jobs', help: 'Jobs.' }).inc();
    registry.gauge({ name: 'secrets_total', help: 'Secrets.' }).set(3);
    // In OpenMetrics the counter `jobs` writes the sample `jobs_total`: a gauge of that name would be read as it.
    expect(() => registry.gauge({ name: 'jobs_total', help: 'G.' })).toThrow(
      'gauge "jobs_total": its samples would clash with "jobs" on the name "jobs_total"',
    );
    // And a counter `secrets` would be the OpenMetrics family of the sample `secrets_total`.
    expect(() => registry.counter({ name: 'secrets', help: 'C.' })).toThrow(/clash with "secrets_total"/);
  });
});
