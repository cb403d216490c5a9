import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { PromliteError, Registry, render, type FamilySnapshot, type GaugeFamily } from '../../src/index.js';

const queue = (depth: number): GaugeFamily => ({
  type: 'gauge',
  name: 'queue_depth',
  help: 'Jobs waiting.',
  labelNames: ['queue'],
  series: [{ labelValues: ['mail'], value: depth }],
});

describe('registry.collect', () => {
  it('adds every family a collector returns, once per snapshot, merged in name order', () => {
    const registry = new Registry();
    registry.counter({ name: 'b_total', help: 'B.' });
    let reads = 0;
    registry.collect(() => {
      reads++;
      return [
        queue(reads),
        { type: 'counter', name: 'a_total', help: 'A.', labelNames: [], series: [{ labelValues: [], value: 2 }] },
        {
          type: 'histogram',
          name: 'wait_seconds',
          help: 'W.',
          labelNames: [],
          upperBounds: [1, 5],
          series: [{ labelValues: [], cumulativeCounts: [1, 2], sum: 4, count: 3 }],
        },
        {
          type: 'info',
          name: 'tool_info',
          help: 'T.',
          labelNames: ['version'],
          series: [{ labelValues: ['1.2'], value: 1 }],
        },
      ];
    });
    const snapshot = registry.snapshot();
    expect(reads).toBe(1);
    expect(snapshot.families.map((f) => f.name)).toEqual([
      'a_total',
      'b_total',
      'promlite_collect_errors_total',
      'promlite_exemplars_dropped_total',
      'promlite_series_dropped_total',
      'queue_depth',
      'tool_info',
      'wait_seconds',
    ]);
    const text = render(snapshot);
    expect(text).toContain('queue_depth{queue="mail"} 1\n');
    expect(text).toContain(
      'wait_seconds_bucket{le="5"} 2\nwait_seconds_bucket{le="+Inf"} 3\nwait_seconds_sum 4\nwait_seconds_count 3\n',
    );
    expect(render(registry.snapshot())).toContain('queue_depth{queue="mail"} 2\n');
  });

  it('applies the prefix and default labels, and sorts series', () => {
    const registry = new Registry({ prefix: 'app_', defaultLabels: { service: 'billing' } });
    registry.collect(() => [
      {
        ...queue(1),
        series: [
          { labelValues: ['sms'], value: 2 },
          { labelValues: ['mail'], value: 1 },
        ],
      },
    ]);
    const family = registry.snapshot().families.find((f) => f.name === 'app_queue_depth');
    expect(family).toMatchObject({
      labelNames: ['queue', 'service'],
      series: [{ labelValues: ['mail', 'billing'] }, { labelValues: ['sms', 'billing'] }],
    });
    expect(Object.isFrozen(family)).toBe(true);
  });

  it.each<[string, () => unknown]>([
    [
      'throws',
      () => {
        throw new Error('down');
      },
    ],
    ['returns a promise', () => Promise.resolve([])],
    ['returns no array', () => ({ families: [] })],
    ['returns null for a family', () => [null]],
    ['returns an unknown type', () => [{ ...queue(1), type: 'summary' }]],
    ['returns a state set', () => [{ ...queue(1), type: 'stateset' }]],
    ['returns a bad name', () => [{ ...queue(1), name: 'queue-depth' }]],
    // In OpenMetrics the declared counter `declared_total` is the family `declared`.
    ['returns a gauge whose name a declared counter holds', () => [{ ...queue(1), name: 'declared' }]],
    ['returns an empty help', () => [{ ...queue(1), help: '' }]],
    ['returns a bad label name', () => [{ ...queue(1), labelNames: ['0q'] }]],
    [
      'returns a default label as its own',
      () => [{ ...queue(1), labelNames: ['env'], series: [{ labelValues: ['x'], value: 1 }] }],
    ],
    ['returns too few label values', () => [{ ...queue(1), series: [{ labelValues: [], value: 1 }] }]],
    ['returns a number as a label value', () => [{ ...queue(1), series: [{ labelValues: [5], value: 1 }] }]],
    [
      'returns a label set twice',
      () => [
        {
          ...queue(1),
          series: [
            { labelValues: ['a'], value: 1 },
            { labelValues: ['a'], value: 2 },
          ],
        },
      ],
    ],
    ['returns a string value', () => [{ ...queue(1), series: [{ labelValues: ['a'], value: '1' }] }]],
    [
      'returns a negative counter',
      () => [
        { type: 'counter', name: 'x_total', help: 'X.', labelNames: [], series: [{ labelValues: [], value: -1 }] },
      ],
    ],
    [
      'returns an info valued 2',
      () => [{ type: 'info', name: 'x_info', help: 'X.', labelNames: [], series: [{ labelValues: [], value: 2 }] }],
    ],
    [
      'returns unsorted buckets',
      () => [{ type: 'histogram', name: 'h', help: 'H.', labelNames: [], upperBounds: [2, 1], series: [] }],
    ],
    [
      'returns decreasing bucket counts',
      () => [
        {
          type: 'histogram',
          name: 'h',
          help: 'H.',
          labelNames: [],
          upperBounds: [1, 2],
          series: [{ labelValues: [], cumulativeCounts: [2, 1], sum: 1, count: 2 }],
        },
      ],
    ],
    [
      'returns a count below the buckets',
      () => [
        {
          type: 'histogram',
          name: 'h',
          help: 'H.',
          labelNames: [],
          upperBounds: [1],
          series: [{ labelValues: [], cumulativeCounts: [3], sum: 1, count: 2 }],
        },
      ],
    ],
    [
      'returns a declared name',
      () => [{ type: 'counter', name: 'declared_total', help: 'D.', labelNames: [], series: [] }],
    ],
    [
      'returns a name whose samples clash with a declared family',
      () => [{ type: 'gauge', name: 'latency_count', help: 'L.', labelNames: [], series: [] }],
    ],
    ['returns one name twice', () => [queue(1), queue(2)]],
  ])('leaves all its families out, counts and reports it, when the collector %s', (_, collector) => {
    const onCollectError = vi.fn();
    const registry = new Registry({ onCollectError, defaultLabels: { env: 'test' } });
    registry.counter({ name: 'declared_total', help: 'D.' }).inc();
    registry.histogram({ name: 'latency', help: 'L.' });
    registry.collect(
      () => [{ type: 'gauge', name: 'fine', help: 'F.', labelNames: [], series: [{ labelValues: [], value: 1 }] }],
      { name: 'good' },
    );
    registry.collect(
      () => [
        { type: 'gauge', name: 'lost', help: 'L.', labelNames: [], series: [] },
        ...(collector() as FamilySnapshot[]),
      ],
      { name: 'bad' },
    );
    const text = render(registry.snapshot());
    expect(text).toContain('fine{env="test"} 1\n');
    expect(text).not.toContain('lost');
    expect(text).toContain('declared_total{env="test"} 1\n');
    expect(text).toContain('promlite_collect_errors_total{metric="bad",env="test"} 1\n');
    expect(onCollectError).toHaveBeenCalledOnce();
    expect(onCollectError.mock.calls[0]?.[1]).toBe('bad');
  });

  it('lets declared metrics keep their names: a later declaration wins over a collector', () => {
    const registry = new Registry();
    registry.collect(() => [queue(1)]);
    expect(render(registry.snapshot())).toContain('queue_depth{queue="mail"} 1\n');
    registry.gauge({ name: 'queue_depth', help: 'Mine.' }).set(7);
    const text = render(registry.snapshot());
    expect(text).toContain('queue_depth 7\n');
    expect(text).toContain('promlite_collect_errors_total{metric="collector"} 1\n');
  });

  it('caps series at maxSeriesPerMetric and label values at maxLabelValueLength, counting drops', () => {
    const registry = new Registry({ maxSeriesPerMetric: 2, maxLabelValueLength: 3 });
    registry.collect(() => [
      { ...queue(1), series: ['a', 'long', 'b', 'c'].map((q) => ({ labelValues: [q], value: 1 })) },
    ]);
    const text = render(registry.snapshot());
    expect(text.match(/^queue_depth\{/gm)).toHaveLength(2);
    expect(text).toContain('promlite_series_dropped_total{metric="queue_depth"} 2\n');
  });

  it('refuses what is not a collector, or unknown options, when it is added', () => {
    const registry = new Registry();
    expect(() => registry.collect(5 as never)).toThrow(/registry.collect: the first argument must be a function/);
    expect(() => registry.collect(() => [], { label: 'x' } as never)).toThrow(/unknown option "label"/);
    expect(() => registry.collect(() => [], { name: 5 } as never)).toThrow(PromliteError);
  });

  it('never throws into snapshot(), whatever a collector returns', () => {
    fc.assert(
      fc.property(fc.anything(), (returned) => {
        const registry = new Registry({
          onCollectError: () => {
            throw new Error('hook');
          },
        });
        registry.collect(() => returned as FamilySnapshot[]);
        registry.collect(() => [returned, queue(1)] as FamilySnapshot[]);
        expect(() => render(registry.snapshot())).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});
