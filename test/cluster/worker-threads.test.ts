// A pool of real worker threads, each recording into its own registry and sharing it: the
// aggregate is their exact sum, a thread that hangs does not hang the scrape (its last snapshot
// is used, the miss counted), a thread that exits leaves its counts, and a thread can read the
// whole pool's aggregate.
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsServer, MetricsAggregator, type RegistrySnapshot } from '../../src/index.js';
import { startTsWorker } from '../support/ts-worker.js';

const THREAD = new URL('../support/metrics-thread.ts', import.meta.url);
let seq = 0;
const pool: Worker[] = [];

async function startPool(size: number, aggregator: MetricsAggregator): Promise<Worker[]> {
  const threads = Array.from({ length: size }, (_, id) => startTsWorker(THREAD, { id }));
  pool.push(...threads);
  await Promise.all(threads.map((thread) => waitFor(thread, (message) => 'ready' in message)));
  for (const thread of threads) aggregator.addWorker(thread);
  return threads;
}

function waitFor(
  thread: Worker,
  match: (message: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const listener = (message: Record<string, unknown>) => {
      if (!match(message)) return;
      thread.off('message', listener);
      resolve(message);
    };
    thread.on('message', listener);
  });
}

/** Sends the thread one of its commands and waits for its answer. */
function command(thread: Worker, message: Record<string, unknown>): Promise<Record<string, unknown>> {
  const id = ++seq;
  const answer = waitFor(thread, (reply) => reply.done === id);
  thread.postMessage({ ...message, seq: id });
  return answer;
}

/** The value of one scalar series, or a histogram's count, in a snapshot. */
function seriesValue(
  snapshot: RegistrySnapshot,
  name: string,
  labelValues: readonly string[] = [],
): number | undefined {
  const family = snapshot.families.find((each) => each.name === name);
  const series = (
    family?.series as readonly { labelValues: readonly string[]; value?: number; count?: number }[]
  )?.find((each) => each.labelValues.join() === labelValues.join());
  return series === undefined ? undefined : (series.value ?? series.count);
}

afterEach(async () => {
  await Promise.all(pool.splice(0).map((thread) => thread.terminate()));
});

describe('MetricsAggregator over worker threads', () => {
  it('aggregates a pool to the exact sum, with NaN and ±Inf gauges intact per source', async () => {
    const aggregator = new MetricsAggregator({ gauges: { perSource: 'thread' }, cluster: false });
    const threads = await startPool(4, aggregator);
    const counts = [3, 50, 700, 1234];
    await Promise.all(threads.map((thread, i) => command(thread, { cmd: 'record', kind: 'email', count: counts[i] })));
    await Promise.all(threads.map((thread, i) => command(thread, { cmd: 'record', kind: 'resize', count: i })));
    const values = [Number.NaN, Infinity, -Infinity, 2.5];
    await Promise.all(threads.map((thread, i) => command(thread, { cmd: 'gauge', queue: 'q', value: values[i] })));
    const snapshot = await aggregator.snapshot();
    expect(seriesValue(snapshot, 'jobs_total', ['email'])).toBe(3 + 50 + 700 + 1234);
    expect(seriesValue(snapshot, 'jobs_total', ['resize'])).toBe(0 + 1 + 2 + 3);
    expect(seriesValue(snapshot, 'job_size')).toBe(3 + 50 + 700 + 1234 + 6);
    const gauges = threads.map((thread) => seriesValue(snapshot, 'queue_depth', ['q', `thread-${thread.threadId}`]));
    expect(gauges).toEqual(values);
    // perSource applies to the aggregator's own gauges too, under the source name `aggregator`.
    expect(seriesValue(snapshot, 'promlite_aggregation_workers', ['aggregator'])).toBe(4);
    expect(seriesValue(snapshot, 'promlite_aggregation_timeouts_total')).toBe(0);
    aggregator.close();
  });

  it('answers the scrape while a thread hangs: its last snapshot is used, the miss counted', async () => {
    const aggregator = new MetricsAggregator({ timeoutMs: 300, cluster: false });
    const threads = await startPool(3, aggregator);
    await Promise.all(threads.map((thread) => command(thread, { cmd: 'record', kind: 'email', count: 10 })));
    await aggregator.snapshot(); // every thread's snapshot is known
    const hung = threads[0] as Worker;
    const unblocked = waitFor(hung, (message) => 'unblocked' in message);
    let stillHanging = true;
    void unblocked.then(() => (stillHanging = false));
    hung.postMessage({ cmd: 'hang', ms: 8000 });
    await waitFor(hung, (message) => 'hanging' in message);
    await Promise.all(threads.slice(1).map((thread) => command(thread, { cmd: 'record', kind: 'email', count: 1 })));
    const server = await createMetricsServer({ registry: aggregator, port: 0 });
    try {
      const text = await (await fetch(server.url)).text();
      expect(stillHanging).toBe(true);
      expect(text).toContain('\njobs_total{kind="email"} 32\n');
      expect(text).toContain('\npromlite_aggregation_timeouts_total 1\n');
      expect(text).toContain('# TYPE promlite_scrape_duration_seconds histogram');
    } finally {
      await server.close();
      aggregator.close();
    }
  }, 30_000);

  it('keeps the counts of a thread that exits, and drops its gauges', async () => {
    const aggregator = new MetricsAggregator({ cluster: false });
    const threads = await startPool(2, aggregator);
    await Promise.all(threads.map((thread) => command(thread, { cmd: 'record', kind: 'email', count: 5 })));
    await Promise.all(threads.map((thread) => command(thread, { cmd: 'gauge', queue: 'q', value: 4 })));
    expect(seriesValue(await aggregator.snapshot(), 'queue_depth', ['q'])).toBe(8);
    const gone = threads[0] as Worker;
    await gone.terminate();
    const [replacement] = await startPool(1, aggregator);
    await command(replacement as Worker, { cmd: 'record', kind: 'email', count: 1 });
    const after = await aggregator.snapshot();
    expect(seriesValue(after, 'jobs_total', ['email'])).toBe(5 + 5 + 1);
    expect(seriesValue(after, 'job_size')).toBe(11);
    expect(seriesValue(after, 'queue_depth', ['q'])).toBe(4);
    expect(seriesValue(after, 'promlite_aggregation_retired_workers_total')).toBe(1);
    expect(seriesValue(after, 'promlite_aggregation_workers')).toBe(2);
    aggregator.close();
  });

  it('lets any thread read the whole pool: the same aggregate from each', async () => {
    const aggregator = new MetricsAggregator({ cluster: false });
    const threads = await startPool(3, aggregator);
    await Promise.all(threads.map((thread, i) => command(thread, { cmd: 'record', kind: 'email', count: i + 1 })));
    const answers = await Promise.all(threads.map((thread) => command(thread, { cmd: 'aggregate' })));
    for (const answer of answers) expect(answer.text).toContain('\njobs_total{kind="email"} 6\n');
    aggregator.close();
  });
});
