// startTimer on histograms and gauges, with prom-client's call shapes: labels at the start, at the stop, or both.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PromliteError, Registry, type RegistrySnapshot } from '../../src/index.js';
import { thrown } from '../support/thrown.js';

/** Makes successive `performance.now()` calls read these times, given in seconds. */
function clockReads(...seconds: number[]): void {
  const readings = seconds.map((s) => 1000 + s * 1000);
  vi.spyOn(performance, 'now').mockImplementation(() => readings.shift() ?? 0);
}

function seriesOf(snapshot: RegistrySnapshot, name: string): unknown[] {
  const family = snapshot.families.find((f) => f.name === name);
  if (family === undefined) return [];
  if (family.type === 'histogram' || family.type === 'summary')
    return family.series.map((s) => [s.labelValues, s.count, s.sum]);
  return family.series.map((s) => [s.labelValues, s.value]);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Histogram.startTimer', () => {
  it('merges the labels given when it stops with those given at the start', () => {
    const registry = new Registry();
    const latency = registry.histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['method', 'code'] });
    clockReads(0, 0.25);
    const end = latency.startTimer({ method: 'GET' });
    expect(end({ code: 200 })).toBe(0.25);
    expect(seriesOf(registry.snapshot(), 'latency_seconds')).toEqual([[['GET', '200'], 1, 0.25]]);
  });

  it('takes every label at the stop, and lets the stop override the start', () => {
    const registry = new Registry();
    const latency = registry.histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['method', 'code'] });
    clockReads(0, 0.5, 10, 12);
    const first = latency.startTimer();
    first({ method: 'PUT', code: '201' });
    const second = latency.startTimer({ method: 'GET', code: 'pending' });
    second({ code: 500 });
    expect(seriesOf(registry.snapshot(), 'latency_seconds')).toEqual([
      [['GET', '500'], 1, 2],
      [['PUT', '201'], 1, 0.5],
    ]);
  });

  it('refuses an undeclared label or a bad value at the start, before any time passes', () => {
    const registry = new Registry();
    const latency = registry.histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['method'] });
    const undeclared = thrown(() => latency.startTimer({ methd: 'GET' } as never));
    expect(undeclared).toBeInstanceOf(PromliteError);
    expect((undeclared as Error).message).toBe(
      'histogram "latency_seconds": label "methd" is not declared (declared: method)',
    );
    expect((thrown(() => latency.startTimer({ method: {} as never })) as Error).message).toMatch(
      /label "method" must be a string or number/,
    );
    expect((thrown(() => latency.startTimer(42 as never)) as Error).message).toMatch(/labels must be an object/);
  });

  it('names the missing label when it stops without a complete set, and records nothing', () => {
    const registry = new Registry();
    const latency = registry.histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['method', 'code'] });
    const end = latency.startTimer({ method: 'GET' });
    expect((thrown(() => end()) as Error).message).toBe(
      'histogram "latency_seconds": label "code" is missing (declared: method, code)',
    );
    expect(seriesOf(registry.snapshot(), 'latency_seconds')).toEqual([]);
  });

  it('an unlabelled histogram times with no labels at all', () => {
    const registry = new Registry();
    const job = registry.histogram({ name: 'job_seconds', help: 'J.' });
    clockReads(0, 3);
    job.startTimer()();
    expect(seriesOf(registry.snapshot(), 'job_seconds')).toEqual([[[], 1, 3]]);
  });

  it("a bound child's timer refuses labels at the stop rather than recording them elsewhere", () => {
    const registry = new Registry();
    const latency = registry.histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['method'] });
    clockReads(0, 1, 5, 7);
    const child = latency.labels({ method: 'GET' });
    child.startTimer()();
    const end = child.startTimer();
    expect((thrown(() => end({ method: 'PUT' })) as Error).message).toMatch(
      /the timer of a bound child takes no labels/,
    );
    expect(seriesOf(registry.snapshot(), 'latency_seconds')).toEqual([[['GET'], 1, 1]]);
  });
});

describe('Gauge.startTimer', () => {
  it('sets the gauge to the elapsed seconds, with labels merged as the histogram does', () => {
    const registry = new Registry();
    const lastRun = registry.gauge({ name: 'last_run_seconds', help: 'R.', labelNames: ['job', 'outcome'] });
    clockReads(0, 4);
    const end = lastRun.startTimer({ job: 'backup' });
    expect(end({ outcome: 'ok' })).toBe(4);
    expect(seriesOf(registry.snapshot(), 'last_run_seconds')).toEqual([[['backup', 'ok'], 4]]);
  });

  it('works unlabelled and on a bound child', () => {
    const registry = new Registry();
    const plain = registry.gauge({ name: 'plain_seconds', help: 'P.' });
    const labelled = registry.gauge({ name: 'labelled_seconds', help: 'L.', labelNames: ['job'] });
    clockReads(0, 1.5, 10, 12.5);
    plain.startTimer()();
    labelled.labels({ job: 'a' }).startTimer()();
    const snapshot = registry.snapshot();
    expect(seriesOf(snapshot, 'plain_seconds')).toEqual([[[], 1.5]]);
    expect(seriesOf(snapshot, 'labelled_seconds')).toEqual([[['a'], 2.5]]);
  });

  it('a timer over the series limit checks the labels and counts the drop', () => {
    const registry = new Registry({ maxSeriesPerMetric: 1 });
    const gauge = registry.gauge({ name: 'g_seconds', help: 'G.', labelNames: ['job'] });
    gauge.set({ job: 'a' }, 1);
    gauge.startTimer({ job: 'b' })();
    const dropped = registry.snapshot().families.find((f) => f.name === 'promlite_series_dropped_total');
    expect(dropped?.type === 'counter' && dropped.series.map((s) => [s.labelValues, s.value])).toEqual([
      [['g_seconds'], 1],
    ]);
  });
});
