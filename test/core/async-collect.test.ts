// Collect functions and collectors that return a promise (prom-client's async collect()): awaited by
// snapshotAsync and the metrics handler before a synchronous snapshot, with a timeout.
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsHandler, PromliteError, Registry, type RegistrySnapshot, render } from '../../src/index.js';
import { fetchRaw } from '../support/http.js';

const seriesValues = (snapshot: RegistrySnapshot, name: string) => {
  const family = snapshot.families.find((f) => f.name === name);
  return family?.type === 'histogram' || family?.type === 'summary'
    ? undefined
    : family?.series.map((s) => [s.labelValues, s.value]);
};

const collectErrors = (snapshot: RegistrySnapshot) => seriesValues(snapshot, 'promlite_collect_errors_total') ?? [];

/** Fails the test if anything ends up as an unhandled rejection. */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(unhandled).toEqual([]);
});

describe('registry.snapshotAsync', () => {
  it('awaits collect functions and collectors that return a promise, calling each once', async () => {
    const registry = new Registry();
    let calls = 0;
    registry.gauge({
      name: 'rows',
      help: 'Rows in the store.',
      labelNames: ['table'],
      collect: async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        return [{ labels: { table: 'users' }, value: 42 }];
      },
    });
    registry.counter({ name: 'reads_total', help: 'Reads.', collect: () => Promise.resolve(7) });
    registry.collect(async () => [
      { type: 'gauge', name: 'pool_size', help: 'Pool.', labelNames: [], series: [{ labelValues: [], value: 3 }] },
    ]);
    const snapshot = await registry.snapshotAsync();
    expect(seriesValues(snapshot, 'rows')).toEqual([[['users'], 42]]);
    expect(seriesValues(snapshot, 'reads_total')).toEqual([[[], 7]]);
    expect(seriesValues(snapshot, 'pool_size')).toEqual([[[], 3]]);
    expect(calls).toBe(1);
    expect(collectErrors(snapshot)).toEqual([]);
  });

  it('leaves out what rejects or does not settle in time, counts it and tells onCollectError', async () => {
    const errors: [string, unknown][] = [];
    const registry = new Registry({ onCollectError: (error, metric) => errors.push([metric, error]) });
    registry.gauge({ name: 'slow', help: 'Never settles.', collect: () => new Promise<number>(() => {}) });
    registry.gauge({ name: 'broken', help: 'Rejects.', collect: () => Promise.reject(new Error('store down')) });
    registry.gauge({ name: 'fine', help: 'Sync.', collect: () => 1 });
    registry.collect(() => new Promise(() => {}), { name: 'stuck_collector' });
    const snapshot = await registry.snapshotAsync({ timeoutMs: 20 });
    expect(snapshot.families.map((f) => f.name)).not.toContain('slow');
    expect(snapshot.families.map((f) => f.name)).not.toContain('broken');
    expect(seriesValues(snapshot, 'fine')).toEqual([[[], 1]]);
    expect(collectErrors(snapshot)).toEqual([
      [['broken'], 1],
      [['slow'], 1],
      [['stuck_collector'], 1],
    ]);
    const byMetric = new Map(errors);
    expect((byMetric.get('broken') as Error).message).toBe('store down');
    expect(byMetric.get('slow')).toBeInstanceOf(PromliteError);
    expect((byMetric.get('slow') as PromliteError).code).toBe('COLLECT_TIMEOUT');
    expect((byMetric.get('stuck_collector') as PromliteError).code).toBe('COLLECT_TIMEOUT');
  });

  it('refuses bad options', async () => {
    const registry = new Registry();
    await expect(registry.snapshotAsync({ timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
    await expect(registry.snapshotAsync({ timeout: 5 } as never)).rejects.toThrow(/timeout/);
  });
});

describe('a synchronous snapshot() of an async collect function', () => {
  it('leaves the family out and says to use snapshotAsync, with no unhandled rejection', async () => {
    const errors: unknown[] = [];
    const registry = new Registry({ onCollectError: (error) => errors.push(error) });
    registry.gauge({ name: 'rows', help: 'Rows.', collect: () => Promise.reject(new Error('late')) });
    const snapshot = registry.snapshot();
    expect(snapshot.families.map((f) => f.name)).not.toContain('rows');
    expect(collectErrors(snapshot)).toEqual([[['rows'], 1]]);
    expect((errors[0] as Error).message).toMatch(/returned a promise.*await registry\.snapshotAsync\(\)/);
  });
});

describe('the metrics handler', () => {
  it('awaits async collect functions before it renders, and drops one past collectTimeoutMs', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'queue_depth', help: 'Depth, from a remote store.', collect: async () => 12 });
    registry.gauge({ name: 'never', help: 'Never answers.', collect: () => new Promise<number>(() => {}) });
    const handler = metricsHandler(registry, { collectTimeoutMs: 30 });
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const response = await fetchRaw(`http://127.0.0.1:${port}/metrics`);
      const text = response.body.toString();
      expect(response.status).toBe(200);
      expect(text).toContain('queue_depth 12\n');
      expect(text).not.toContain('\nnever ');
      expect(text).toContain('promlite_collect_errors_total{metric="never"} 1\n');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a bad collectTimeoutMs', () => {
    expect(() => metricsHandler(new Registry(), { collectTimeoutMs: -1 })).toThrow(/collectTimeoutMs/);
  });

  it('renders what the snapshot holds: render itself stays synchronous and pure', async () => {
    const registry = new Registry();
    registry.counter({ name: 'a_total', help: 'A.', collect: async () => 2 });
    const snapshot = await registry.snapshotAsync();
    expect(render(snapshot)).toBe(render(snapshot));
    expect(render(snapshot)).toContain('a_total 2\n');
  });
});
