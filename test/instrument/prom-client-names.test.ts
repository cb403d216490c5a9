// registerProcessMetrics produces every family prom-client 15's collectDefaultMetrics() produces, with
// the same type and label names, and keeps those names standard whatever the registry's prefix.
import { describe, expect, it } from 'vitest';
import { PromliteError, Registry, registerProcessMetrics, render } from '../../src/index.js';

/**
 * prom-client 15.1.3's default metrics on Linux (read from its registry's getMetricsAsJSON):
 * name, type, label names. Written out here, not imported: prom-client is a benchmark peer only.
 */
const PROM_CLIENT_DEFAULTS: readonly (readonly [string, 'counter' | 'gauge' | 'histogram', readonly string[]])[] = [
  ['process_cpu_user_seconds_total', 'counter', []],
  ['process_cpu_system_seconds_total', 'counter', []],
  ['process_cpu_seconds_total', 'counter', []],
  ['process_start_time_seconds', 'gauge', []],
  ['process_resident_memory_bytes', 'gauge', []],
  ['process_virtual_memory_bytes', 'gauge', []],
  ['process_heap_bytes', 'gauge', []],
  ['process_open_fds', 'gauge', []],
  ['process_max_fds', 'gauge', []],
  ['nodejs_eventloop_lag_seconds', 'gauge', []],
  ['nodejs_eventloop_lag_min_seconds', 'gauge', []],
  ['nodejs_eventloop_lag_max_seconds', 'gauge', []],
  ['nodejs_eventloop_lag_mean_seconds', 'gauge', []],
  ['nodejs_eventloop_lag_stddev_seconds', 'gauge', []],
  ['nodejs_eventloop_lag_p50_seconds', 'gauge', []],
  ['nodejs_eventloop_lag_p90_seconds', 'gauge', []],
  ['nodejs_eventloop_lag_p99_seconds', 'gauge', []],
  ['nodejs_active_resources', 'gauge', ['type']],
  ['nodejs_active_resources_total', 'gauge', []],
  ['nodejs_active_handles', 'gauge', ['type']],
  ['nodejs_active_handles_total', 'gauge', []],
  ['nodejs_active_requests', 'gauge', ['type']],
  ['nodejs_active_requests_total', 'gauge', []],
  ['nodejs_heap_size_total_bytes', 'gauge', []],
  ['nodejs_heap_size_used_bytes', 'gauge', []],
  ['nodejs_external_memory_bytes', 'gauge', []],
  ['nodejs_heap_space_size_total_bytes', 'gauge', ['space']],
  ['nodejs_heap_space_size_used_bytes', 'gauge', ['space']],
  ['nodejs_heap_space_size_available_bytes', 'gauge', ['space']],
  ['nodejs_version_info', 'gauge', ['version', 'major', 'minor', 'patch']],
  ['nodejs_gc_duration_seconds', 'histogram', ['kind']],
];

describe("prom-client's default metric names", () => {
  it('are all produced, with the same type and label names', () => {
    const registry = new Registry();
    const processMetrics = registerProcessMetrics(registry);
    try {
      const families = new Map(registry.snapshot().families.map((family) => [family.name, family]));
      for (const [name, type, labelNames] of PROM_CLIENT_DEFAULTS) {
        const family = families.get(name);
        expect(family, name).toBeDefined();
        expect([family?.type, family?.labelNames], name).toEqual([type, labelNames]);
      }
    } finally {
      processMetrics.stop();
    }
  });

  it('read real values: heap spaces by name, active handles by type, the version', () => {
    const registry = new Registry();
    const processMetrics = registerProcessMetrics(registry);
    const text = render(registry.snapshot());
    processMetrics.stop();
    expect(text).toMatch(/^nodejs_heap_space_size_used_bytes\{space="old"\} [1-9]\d*$/m);
    expect(text).toMatch(/^nodejs_active_handles_total \d+$/m);
    expect(text).toContain(`nodejs_version_info{version="${process.version}",major="`);
  });
});

describe('names under a registry prefix', () => {
  it('stay standard, so that dashboards built on prom-client keep working', () => {
    const registry = new Registry({ prefix: 'myapp_', defaultLabels: { service: 'billing' } });
    const processMetrics = registerProcessMetrics(registry);
    const text = render(registry.snapshot());
    processMetrics.stop();
    expect(text).toMatch(/^process_cpu_seconds_total\{service="billing"\} /m);
    expect(text).not.toContain('myapp_process_');
    expect(text).not.toContain('myapp_nodejs_');
  });

  it('take a prefix only when asked, as prom-client does', () => {
    const registry = new Registry({ prefix: 'myapp_' });
    const processMetrics = registerProcessMetrics(registry, { prefix: 'svc_' });
    const snapshot = registry.snapshot();
    processMetrics.stop();
    expect(render(snapshot)).toMatch(/^svc_process_cpu_seconds_total /m);
    expect(snapshot.families.map((family) => family.name)).toContain('svc_nodejs_gc_duration_seconds');
  });

  it('refuse a registry that already holds one of the names, naming it', () => {
    const registry = new Registry();
    registry.gauge({ name: 'process_open_fds', help: 'Mine.' });
    let error: unknown;
    try {
      registerProcessMetrics(registry);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as Error).message).toBe(
      'registerProcessMetrics: "process_open_fds" is already registered in this registry',
    );
    expect(() => registerProcessMetrics(new Registry(), { prefix: 'bad-' })).toThrow(/prefix "bad-"/);
  });
});

describe('the event-loop delay under two scrapers', () => {
  it('keeps its reading for a scrape that comes before any new sample', async () => {
    const registry = new Registry();
    const processMetrics = registerProcessMetrics(registry, { eventLoopResolutionMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = render(registry.snapshot());
    // A second scraper right after the first: no sample in between, yet the family is there.
    const second = render(registry.snapshot());
    processMetrics.stop();
    for (const text of [first, second]) expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });
});
