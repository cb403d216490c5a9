// What prom-client users reach for on a registry: removeSingleMetric, resetMetrics, getSingleMetricAsString,
// and metrics made with `new` from plain JavaScript.
import { describe, expect, it } from 'vitest';
import {
  Counter,
  Gauge,
  Histogram,
  PromliteError,
  Registry,
  type RegistrySnapshot,
  render,
  StateGauge,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

const names = (snapshot: RegistrySnapshot) => snapshot.families.map((family) => family.name);

describe('registry.removeMetric', () => {
  it('takes a metric out of every later snapshot and frees its name for a different declaration', () => {
    const registry = new Registry({ prefix: 'app_' });
    const old = registry.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['kind'] });
    old.inc({ kind: 'a' });
    expect(registry.removeMetric('app_jobs_total')).toBe(true);
    expect(registry.removeMetric('app_jobs_total')).toBe(false);
    expect(names(registry.snapshot())).not.toContain('app_jobs_total');
    // The handle still takes updates, which reach nothing exported.
    old.inc({ kind: 'b' });
    const fresh = registry.counter({ name: 'jobs_total', help: 'Other help.' });
    fresh.inc(3);
    expect(render(registry.snapshot())).toContain('app_jobs_total 3\n');
    expect(registry.get('app_jobs_total')).toBe(fresh);
  });

  it('frees every sample name the family held', () => {
    const registry = new Registry();
    registry.histogram({ name: 'latency', help: 'L.' });
    // In OpenMetrics a counter `latency_total` is the family `latency`: taken while the histogram is there.
    expect(() => registry.counter({ name: 'latency_total', help: 'C.' })).toThrow(/clash with "latency"/);
    registry.removeMetric('latency');
    expect(() => registry.counter({ name: 'latency_total', help: 'C.' })).not.toThrow();
  });

  it('lets observeJob and stateGauge declare their families again after removal', () => {
    const registry = new Registry();
    registry.observeJob('mail', 'success', 1);
    registry.removeMetric('job_duration_seconds');
    registry.observeJob('mail', 'success', 2);
    const family = registry.snapshot().families.find((f) => f.name === 'job_duration_seconds');
    expect(family?.type === 'histogram' && family.series.map((s) => s.sum)).toEqual([2]);

    registry.stateGauge({ name: 'breaker', help: 'B.', states: ['open', 'closed'] });
    registry.removeMetric('breaker');
    const again = registry.stateGauge({ name: 'breaker', help: 'B.', states: ['up', 'down'] });
    again.set('down');
    expect(render(registry.snapshot())).toContain('breaker{breaker="down"} 1\n');
  });

  it("refuses to remove the registry's own counters", () => {
    const registry = new Registry();
    const error = thrown(() => registry.removeMetric('promlite_series_dropped_total'));
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as Error).message).toMatch(/is the registry's own/);
  });
});

describe('registry.resetMetrics', () => {
  it('starts counters, gauges and histograms again, keeping info, state sets and its own counts', () => {
    const registry = new Registry({ maxSeriesPerMetric: 2 });
    const requests = registry.counter({ name: 'requests_total', help: 'R.', labelNames: ['code'] });
    const plain = registry.counter({ name: 'plain_total', help: 'P.' });
    const depth = registry.gauge({ name: 'depth', help: 'D.' });
    const latency = registry.histogram({ name: 'latency', help: 'L.', labelNames: ['route'] });
    registry.buildInfo({ version: '1.0.0' });
    registry.stateGauge({ name: 'mode', help: 'M.', states: ['a', 'b'] }).set('b');
    requests.inc({ code: '200' });
    requests.inc({ code: '404' });
    requests.inc({ code: '500' }); // over the limit: dropped and counted
    plain.inc(5);
    depth.set(7);
    latency.observe({ route: '/x' }, 0.2);
    registry.resetMetrics();
    const text = render(registry.snapshot());
    expect(text).not.toContain('requests_total{');
    expect(text).toContain('plain_total 0\n');
    expect(text).toContain('depth 0\n');
    expect(text).not.toContain('latency_count');
    expect(text).toMatch(/build_info\{version="1\.0\.0",node_version="v[^"]+"\} 1\n/);
    expect(text).toContain('mode{mode="b"} 1\n');
    expect(text).toContain('promlite_series_dropped_total{metric="requests_total"} 1\n');
  });
});

describe('one metric as text (prom-client getSingleMetricAsString)', () => {
  it('renders a snapshot narrowed to one family', () => {
    const registry = new Registry();
    registry.counter({ name: 'a_total', help: 'A.' }).inc();
    registry.gauge({ name: 'b', help: 'B.' }).set(2);
    const snapshot = registry.snapshot();
    const one = render({ families: snapshot.families.filter((family) => family.name === 'b') });
    expect(one).toBe('# HELP b B.\n# TYPE b gauge\nb 2\n');
  });

  it('snapshotOf gives one family by full name, running only its collect function', () => {
    const registry = new Registry({ prefix: 'app_' });
    registry.counter({ name: 'a_total', help: 'A.' }).inc();
    let otherCollects = 0;
    registry.gauge({ name: 'b', help: 'B.', collect: () => ++otherCollects });
    registry.gauge({ name: 'queue', help: 'Q.', collect: () => 7 });
    expect(render(registry.snapshotOf('app_queue'))).toBe('# HELP app_queue Q.\n# TYPE app_queue gauge\napp_queue 7\n');
    expect(otherCollects).toBe(0);
    expect(registry.snapshotOf('app_missing').families).toEqual([]);
  });

  it('snapshotOf finds a family a collector returns', () => {
    const registry = new Registry();
    registry.collect(() => [
      { name: 'pool_size', help: 'P.', type: 'gauge', labelNames: [], series: [{ labelValues: [], value: 3 }] },
    ]);
    expect(render(registry.snapshotOf('pool_size'))).toBe('# HELP pool_size P.\n# TYPE pool_size gauge\npool_size 3\n');
  });
});

describe('metrics made with `new`, as in prom-client', () => {
  it.each([
    ['Counter', () => new (Counter as never as new (options: object) => unknown)({ name: 'x_total', help: 'X.' })],
    ['Gauge', () => new (Gauge as never as new (options: object) => unknown)({ name: 'x', help: 'X.' })],
    ['Histogram', () => new (Histogram as never as new (options: object) => unknown)({ name: 'x', help: 'X.' })],
    ['Counter', () => new (Counter as never as new () => unknown)()],
  ])('new %s(...) says to declare it on a registry', (type, construct) => {
    const error = thrown(construct);
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as Error).message).toContain(`new ${type}(…): a ${type.toLowerCase()} belongs to a registry`);
    expect((error as Error).message).toContain(`registry.${type.toLowerCase()}({ name, help`);
  });

  it('new StateGauge(...) says the same', () => {
    const construct = StateGauge as never as new (options: object) => unknown;
    const error = thrown(() => new construct({ name: 'x', help: 'X.', states: ['a'] }));
    expect((error as Error).message).toContain('registry.stateGauge({ name, help, states })');
  });
});
