// Snapshots of counters, gauges and histograms are kept as columns (core/series-columns.ts);
// to whoever reads one they must be the plain data they always were.
import { describe, expect, it, vi } from 'vitest';
import { mergeSnapshots, Registry, render, renderOpenMetrics, renderProtobuf } from '../../src/index.js';
import type { HistogramFamily, RegistrySnapshot } from '../../src/index.js';
import { ColumnFamily, plainSnapshot } from '../../src/core/series-columns.js';

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

  it('are merged from their columns: no source family is turned into objects whole', () => {
    // A primary merging its workers' snapshots would otherwise make every series of each family
    // as an object in one synchronous step (spreading a family reads its series).
    const worker = () => {
      const registry = new Registry();
      const requests = registry.counter({ name: 'requests_total', help: 'R.', labelNames: ['route'] });
      const latency = registry.histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['route'] });
      for (const route of ['/a', '/b', '/c']) {
        requests.inc({ route });
        latency.observe({ route }, 0.2);
      }
      return registry.snapshot();
    };
    const snapshots = [worker(), worker()];
    const seriesAt = vi.spyOn(ColumnFamily.prototype, 'seriesAt');
    try {
      const merged = mergeSnapshots(snapshots);
      expect(seriesAt).not.toHaveBeenCalled();
      const requests = merged.families.find((family) => family.name === 'requests_total');
      expect(requests?.series).toEqual(['/a', '/b', '/c'].map((route) => ({ labelValues: [route], value: 2 })));
    } finally {
      seriesAt.mockRestore();
    }
  });

  it('merge into columns that read and render as the merge of the same snapshots as objects', () => {
    const first = filled();
    const second = filled();
    second.requests.inc({ route: '/c' }, 2, { trace_id: 'ghi' });
    second.inFlight.set({ route: '/a' }, 4);
    second.latency.observe({ route: '/c' }, 0.3);
    const snapshots = [first.registry.snapshot(), second.registry.snapshot()];
    for (const gauges of ['sum', 'max', 'first'] as const) {
      const options = { gauges };
      const fromColumns = mergeSnapshots(snapshots, options);
      const fromObjects = mergeSnapshots(snapshots.map(plainSnapshot), options);
      expect(fromColumns.families.some((family) => family instanceof ColumnFamily)).toBe(true);
      expect(plainSnapshot(fromColumns)).toEqual(fromObjects);
      expect(render(fromColumns)).toBe(render(fromObjects));
      expect(renderOpenMetrics(fromColumns)).toBe(renderOpenMetrics(fromObjects));
      expect(renderProtobuf(fromColumns).equals(renderProtobuf(fromObjects))).toBe(true);
    }
  });
});
