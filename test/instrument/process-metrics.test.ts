import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { registerProcessMetrics, Registry, render, renderOpenMetrics, type RegistrySnapshot } from '../../src/index.js';
import { promtoolCheckMetrics, pythonParse } from '../support/consumers.js';
import { eventually } from '../support/prometheus.js';
import { expectedSamples, histogramShapeProblems, type Format } from '../support/expected-samples.js';

const STANDARD_NAMES = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
  'nodejs_heap_size_used_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_active_handles',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_gc_duration_seconds',
  'nodejs_version_info',
];

function value(snapshot: RegistrySnapshot, name: string): number | undefined {
  const family = snapshot.families.find((f) => f.name === name);
  const series = family?.series[0];
  return series !== undefined && 'value' in series ? series.value : undefined;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('registerProcessMetrics', () => {
  it('exports the standard names with plausible values, read at snapshot time', async () => {
    const registry = new Registry();
    const processMetrics = registerProcessMetrics(registry);
    try {
      // GC entries reach the observer asynchronously: collect, then wait.
      (globalThis as { gc?: () => void }).gc?.();
      await pause(50);
      const first = registry.snapshot();
      const exported = first.families.filter((f) => f.series.length > 0).map((f) => f.name);
      for (const name of STANDARD_NAMES) expect(exported, name).toContain(name);
      expect(value(first, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
      const uptime = process.uptime();
      expect(Date.now() / 1000 - (value(first, 'process_start_time_seconds') as number)).toBeCloseTo(uptime, 0);
      expect(value(first, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
      expect(value(first, 'process_cpu_seconds_total')).toBeCloseTo(
        (value(first, 'process_cpu_user_seconds_total') as number) +
          (value(first, 'process_cpu_system_seconds_total') as number),
        6,
      );
      const gc = first.families.find((f) => f.name === 'nodejs_gc_duration_seconds');
      expect(gc?.series.some((s) => s.labelValues[0] === 'major')).toBe(true);
      // Busy work: CPU time grows by the next snapshot.
      const until = performance.now() + 30;
      while (performance.now() < until);
      await pause(25);
      expect(value(registry.snapshot(), 'process_cpu_seconds_total')).toBeGreaterThan(
        value(first, 'process_cpu_seconds_total') as number,
      );
    } finally {
      processMetrics.stop();
    }
  });

  it("passes promtool (linting only prom-client's own gauge names) and both prometheus_client parsers", async () => {
    const gcBuckets = [0.001, 0.01, 0.1, 1];
    const registry = new Registry();
    const processMetrics = registerProcessMetrics(registry, { gcDurationBuckets: gcBuckets });
    const isGc = (name: string) => name.startsWith('nodejs_gc_duration_seconds');
    let snapshot: RegistrySnapshot;
    try {
      (globalThis as { gc?: () => void }).gc?.();
      // GC entries reach the observer asynchronously.
      snapshot = await eventually(
        async () => {
          const taken = registry.snapshot();
          return taken.families.some((family) => isGc(family.name) && family.series.length > 0) ? taken : undefined;
        },
        10_000,
        () => 'no garbage collection was observed',
      );
    } finally {
      processMetrics.stop();
    }
    // prom-client named these gauges with `_total`; dashboards query them so, and promtool lints them.
    expect(promtoolCheckMetrics(render(snapshot))).toEqual({
      status: 3,
      output: ['handles', 'requests', 'resources']
        .map((what) => `nodejs_active_${what}_total non-counter metrics should not have "_total" suffix`)
        .join('\n'),
    });
    // GC pauses are the runtime's to know: their histogram is checked for its shape, the rest exactly.
    const withoutGc = { families: snapshot.families.filter((family) => !isGc(family.name)) };
    const read: [Format, string][] = [
      ['text', render(snapshot)],
      ['openmetrics', renderOpenMetrics(snapshot)],
    ];
    for (const [format, text] of read) {
      const samples = pythonParse(text, format);
      expect(samples.filter((sample) => !isGc(sample.name))).toEqual(expectedSamples(withoutGc, [], format));
      expect(histogramShapeProblems(samples, 'nodejs_gc_duration_seconds', gcBuckets, format)).toEqual([]);
    }
  });

  it('leaves Linux-only figures out, never NaN, where /proc is missing or says nothing', async () => {
    for (const procRoot of [
      '/nonexistent/proc/self',
      new URL('../../fixtures/proc/fake-self', import.meta.url).pathname,
    ]) {
      const registry = new Registry();
      const processMetrics = registerProcessMetrics(registry, { procRoot });
      const text = render(registry.snapshot());
      processMetrics.stop();
      for (const name of ['process_virtual_memory_bytes', 'process_heap_bytes', 'process_max_fds'])
        expect(text, name).not.toMatch(new RegExp(`^${name} `, 'm'));
      expect(text).not.toContain('NaN');
      expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    }
  });

  it('keeps nothing alive: a process that registers them still exits on its own', () => {
    const script = `
      import { Registry, registerProcessMetrics, render } from './src/index.ts';
      const registry = new Registry();
      registerProcessMetrics(registry);
      render(registry.snapshot());
      console.log('registered');
    `;
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.stdout).toContain('registered');
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
