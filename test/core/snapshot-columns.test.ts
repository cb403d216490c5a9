// Snapshots of counters, gauges and histograms are kept as columns (core/series-columns.ts);
// to whoever reads one they must be the plain data they always were.
import { describe, expect, it } from 'vitest';
import { Registry, render, renderOpenMetrics, renderProtobuf } from '../../src/index.js';
import type { HistogramFamily, RegistrySnapshot } from '../../src/index.js';
import { plainSnapshot } from '../../src/core/series-columns.js';

function filled() {
  const registry = new Registry({ defaultLabels: { app: 'a' } });
  const requests = registry.counter({ name: 'requests_total', help: 'R.', labelNames: ['route'] });
  requests.inc({ route: '/a' }, 3);
  requests.inc({ route: '/b' }, 1, { trace_id: 'abc' });
  const inFlight = registry.gauge({ name: 'in_flight', help: 'F.', labelNames: ['route'] });
  inFlight.set({ route: '/a' }, Number.NaN);
  inFlight.set({ route: '/b' }, -2.5);
  const latency = registry.histogram({
    name: 'latency_seconds',
    help: 'L.',
    labelNames: ['route'],
    buckets: [0.1, 1],
    native: {},
  });
  latency.observe({ route: '/a' }, 0.05);
  latency.observe({ route: '/a' }, 5, { trace_id: 'def' });
  latency.observe({ route: '/b' }, Number.POSITIVE_INFINITY);
  registry.histogram({ name: 'plain_seconds', help: 'P.', buckets: [1] }).observe(0.5);
  return { registry, requests, inFlight, latency };
}

describe('snapshots in columns', () => {
  it('read as plain data: deep equality, JSON, structured clone and spreading all see the series', () => {
    const snapshot = filled().registry.snapshot();
    const plain = plainSnapshot(snapshot);
    expect(snapshot).toEqual(plain);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(JSON.parse(JSON.stringify(plain)));
    expect(structuredClone(snapshot)).toEqual(plain);
    for (const family of snapshot.families) {
      expect(Object.keys(family)).toContain('series');
      expect({ ...family }.series).toEqual(family.series);
    }
    const latency = snapshot.families.find((family) => family.name === 'latency_seconds') as HistogramFamily;
    expect(latency.series.map((series) => [series.labelValues, series.cumulativeCounts, series.count])).toEqual([
      [['/a', 'a'], [1, 1], 2],
      [['/b', 'a'], [0, 0], 1],
    ]);
    expect(latency.series[0]?.exemplars?.[2]?.labels).toEqual({ trace_id: 'def' });
    expect(latency.series[1]?.native?.schema).toBeTypeOf('number');
  });

  it('keep the values of the moment they were taken', () => {
    const { registry, requests, inFlight, latency } = filled();
    const before = plainSnapshot(registry.snapshot());
    const taken = registry.snapshot();
    requests.inc({ route: '/a' }, 10, { trace_id: 'later' });
    inFlight.set({ route: '/b' }, 7);
    latency.observe({ route: '/b' }, 0.5, { trace_id: 'later' });
    latency.observe({ route: '/c' }, 0.5);
    expect(plainSnapshot(taken)).toEqual(before);
    expect(plainSnapshot(registry.snapshot())).not.toEqual(before);
  });

  it('render byte for byte as the same snapshot of objects, in every format', () => {
    const snapshot = filled().registry.snapshot();
    const plain: RegistrySnapshot = plainSnapshot(snapshot);
    expect(render(snapshot)).toBe(render(plain));
    expect(renderOpenMetrics(snapshot)).toBe(renderOpenMetrics(plain));
    expect(renderProtobuf(snapshot).equals(renderProtobuf(plain))).toBe(true);
  });
});
