// The aggregator and shareMetrics over in-process MessageChannels: answers that are garbage or
// disagree, workers that stop sharing, an aggregate nobody answers, and the snapshot wire format
// through JSON (what cluster IPC uses by default).
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot } from '../../src/cluster/wire.js';
import { plainSnapshot } from '../../src/core/series-columns.js';
import {
  createMetricsServer,
  MetricsAggregator,
  mergeSnapshots,
  metricsHandler,
  type PromliteError,
  Registry,
  render,
  renderOpenMetrics,
  renderProtobuf,
  shareMetrics,
  statusHandler,
} from '../../src/index.js';
import { runExample } from '../support/doc-examples.js';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** A channel: the aggregator's end and the worker's end. */
function channel(): { aggregating: MessagePort; worker: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  return { aggregating: port1, worker: port2 };
}

/** A worker end that answers every snapshot request with `answer`. */
function answering(port: MessagePort, answer: unknown): void {
  port.on('message', (message: { promlite?: string; type?: string; id?: number }) => {
    if (message.type === 'snapshot?')
      port.postMessage({ promlite: message.promlite, type: 'snapshot', id: message.id, snapshot: answer });
  });
}

function jobsRegistry(count: number, help = 'Jobs.'): Registry {
  const registry = new Registry();
  registry.counter({ name: 'jobs_total', help }).inc(count);
  return registry;
}

describe('MetricsAggregator, answers it cannot use', () => {
  it.each([
    ['not an object', 'text'],
    ['no families', {}],
    ['a family of an unknown type', { families: [{ name: 'x', help: '', type: 'weird', labelNames: [], series: [] }] }],
    [
      'a value that is not a number',
      {
        families: [{ name: 'x', help: '', type: 'counter', labelNames: [], series: [{ labelValues: [], value: '1' }] }],
      },
    ],
    [
      'label values that do not match',
      {
        families: [{ name: 'x', help: '', type: 'gauge', labelNames: ['a'], series: [{ labelValues: [], value: 1 }] }],
      },
    ],
    [
      'families out of order',
      {
        families: [
          { name: 'b', help: '', type: 'gauge', labelNames: [], series: [] },
          { name: 'a', help: '', type: 'gauge', labelNames: [], series: [] },
        ],
      },
    ],
  ])('counts %s as invalid and leaves it out', async (_, answer) => {
    const aggregator = new MetricsAggregator({ cluster: false });
    const good = channel();
    shareMetrics(jobsRegistry(2), { port: good.worker });
    aggregator.addWorker(good.aggregating);
    const bad = channel();
    answering(bad.worker, answer);
    aggregator.addWorker(bad.aggregating);
    const text = render(await aggregator.snapshot());
    expect(text).toContain('\njobs_total 2\n');
    expect(text).toContain('\npromlite_aggregation_errors_total{reason="invalid"} 1\n');
  });

  it('leaves out a family one worker declares unlike the others, and counts the conflict', async () => {
    const aggregator = new MetricsAggregator({ cluster: false, registry: jobsRegistry(1) });
    const other = channel();
    shareMetrics(jobsRegistry(5, 'Other help.'), { port: other.worker });
    aggregator.addWorker(other.aggregating);
    expect(render(await aggregator.snapshot())).toContain('\njobs_total 1\n');
    // Found while merging, after the aggregator's own snapshot: it shows from the next scrape.
    const text = render(await aggregator.snapshot());
    expect(text).toContain('\njobs_total 1\n');
    expect(text).toContain('\npromlite_aggregation_errors_total{reason="conflict"} 1\n');
  });

  it('keeps the counts of a worker that stops sharing', async () => {
    const aggregator = new MetricsAggregator({ cluster: false });
    const ends = channel();
    const sharing = shareMetrics(jobsRegistry(3), { port: ends.worker });
    aggregator.addWorker(ends.aggregating);
    expect(render(await aggregator.snapshot())).toContain('\njobs_total 3\n');
    sharing.stop();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the goodbye crosses the channel
    const text = render(await aggregator.snapshot());
    expect(text).toContain('\njobs_total 3\n');
    expect(text).toContain('\npromlite_aggregation_workers 0\n');
    expect(text).toContain('\npromlite_aggregation_retired_workers_total 1\n');
  });

  it('shares one round between scrapes that come together', async () => {
    const aggregator = new MetricsAggregator({ cluster: false });
    const ends = channel();
    let asked = 0;
    ends.worker.on('message', () => asked++);
    shareMetrics(jobsRegistry(1), { port: ends.worker });
    aggregator.addWorker(ends.aggregating);
    const [a, b] = await Promise.all([aggregator.snapshot(), aggregator.snapshot()]);
    expect(a).toBe(b);
    expect(asked).toBe(1);
  });

  it('refuses what is not a worker, and bad options', () => {
    expect(() => new MetricsAggregator({ timeoutMs: 0 })).toThrow(/option "timeoutMs" must be an integer/);
    expect(() => new MetricsAggregator({ gauges: 'avg' as never })).toThrow(/option "gauges"/);
    expect(() => new MetricsAggregator({ workers: 2 } as never)).toThrow(/unknown option "workers"/);
    const aggregator = new MetricsAggregator({ cluster: false });
    expect(() => aggregator.addWorker({} as never)).toThrow(/a Worker, a MessagePort or a child process/);
  });
});

describe('shareMetrics', () => {
  it('refuses to start where there is nobody to share with (a process without IPC)', () => {
    // Vitest's own workers have an IPC channel: this runs in a plain process of its own.
    const result = runExample(
      "import { Registry, shareMetrics } from 'promlite';\ntry { shareMetrics(new Registry()); } catch (error) { console.log(error.code, error.message); }\n",
    );
    expect(result.stdout).toMatch(/^INVALID_OPTIONS shareMetrics: not in a worker thread nor a cluster worker/);
  });

  it("serves the aggregator's view through metricsHandler, and 500 when nobody answers", async () => {
    const aggregator = new MetricsAggregator({ cluster: false, registry: jobsRegistry(4) });
    const ends = channel();
    const sharing = shareMetrics(jobsRegistry(6), { port: ends.worker });
    aggregator.addWorker(ends.aggregating);
    expect(render(await sharing.aggregate.snapshot())).toContain('\njobs_total 10\n');
    const lonely = channel();
    const alone = shareMetrics(new Registry(), { port: lonely.worker, aggregateTimeoutMs: 50 });
    const error = await alone.aggregate.snapshot().catch((caught: unknown) => caught);
    expect((error as PromliteError).code).toBe('AGGREGATE_UNAVAILABLE');
    const server = await createMetricsServer({ registry: alone.aggregate, port: 0 });
    try {
      const response = await fetch(server.url);
      expect(response.status).toBe(500);
    } finally {
      await server.close();
    }
  });
});

describe('the endpoints serve any snapshot source', () => {
  it('metricsHandler and statusHandler take a plain { snapshot() }', async () => {
    const registry = new Registry();
    registry.observeJob('email', 'success', 0.2);
    const source = { snapshot: () => registry.snapshot(), registry };
    const server = await createMetricsServer({ registry: source, port: 0, statusPage: true });
    try {
      const text = await (await fetch(server.url)).text();
      expect(text).toContain('job_duration_seconds_count{kind="email",status="success"} 1');
      const status = (await (await fetch(server.url.replace('/metrics', '/status.json'))).json()) as {
        jobs: unknown[];
      };
      expect(status.jobs).toHaveLength(1);
    } finally {
      await server.close();
    }
    expect(() => metricsHandler({} as never)).toThrow(/a Registry or a snapshot source/);
    expect(() => statusHandler(42 as never)).toThrow(/a Registry or a snapshot source/);
  });
});

describe('the wire format', () => {
  it('carries NaN and ±Inf through JSON, and leaves a label value "NaN" a string', () => {
    const registry = new Registry();
    const gauge = registry.gauge({ name: 'odd', help: 'Odd.', labelNames: ['kind'] });
    gauge.set({ kind: 'NaN' }, Number.NaN);
    gauge.set({ kind: '+Inf' }, Infinity);
    gauge.set({ kind: '-Inf' }, -Infinity);
    registry.histogram({ name: 'sizes', help: 'S.', buckets: [1] }).observe(Infinity);
    registry.summary({ name: 'waits', help: 'W.' }).observe(1);
    const snapshot = registry.snapshot();
    const decoded = plainSnapshot(decodeSnapshot(JSON.parse(JSON.stringify(encodeSnapshot(snapshot))))!);
    expect(decoded).toEqual(snapshot);
    expect(render(decoded as never)).toBe(render(snapshot));
  });

  it('carries native buckets and exemplars through JSON, byte for byte in every format', () => {
    const registry = new Registry({ now: () => 1_700_000_000_000 });
    const latency = registry.histogram({
      name: 'latency_seconds',
      help: 'L.',
      buckets: [0.1, 1],
      native: {},
      labelNames: ['route'],
    });
    const child = latency.labels({ route: '/a' });
    for (const value of [0, 0.003, 0.05, 0.5, 7, -2]) child.observe(value);
    child.observe(0.2, { trace_id: 'abc' });
    const requests = registry.counter({ name: 'requests_total', help: 'R.' });
    requests.labels({}).inc(1, { trace_id: 'def' });
    const snapshot = registry.snapshot();
    const decoded = plainSnapshot(decodeSnapshot(JSON.parse(JSON.stringify(encodeSnapshot(snapshot))))!);
    expect(decoded).toEqual(snapshot);
    expect(renderOpenMetrics(decoded)).toBe(renderOpenMetrics(snapshot));
    expect(renderProtobuf(decoded)).toEqual(renderProtobuf(snapshot));
  });

  it('refuses a snapshot whose native buckets or exemplars are malformed', () => {
    const registry = new Registry();
    registry
      .histogram({ name: 'latency_seconds', help: 'L.', native: {}, buckets: [1] })
      .labels({})
      .observe(0.5, { trace_id: 'x' });
    const wire = () => JSON.parse(JSON.stringify(encodeSnapshot(registry.snapshot())));
    // The series' extras as JSON brings them: spoiled field by field.
    type WireSeries = {
      native: { schema: unknown; positive: { indexes: unknown; counts: unknown } } | string;
      exemplars: unknown[];
    };
    const spoil = (change: (series: WireSeries) => void) => {
      const message = wire();
      const family = message.families.find((f: { name: string }) => f.name === 'latency_seconds');
      change(family.extras[0]);
      return decodeSnapshot(message);
    };
    expect(spoil(() => {})).toBeDefined();
    expect(
      spoil((series) => {
        (series.native as Exclude<WireSeries['native'], string>).schema = 9;
      }),
    ).toBeUndefined();
    expect(
      spoil((series) => {
        (series.native as Exclude<WireSeries['native'], string>).positive.indexes = [3, 2];
      }),
    ).toBeUndefined();
    expect(
      spoil((series) => {
        (series.native as Exclude<WireSeries['native'], string>).positive.counts = ['1'];
      }),
    ).toBeUndefined();
    expect(
      spoil((series) => {
        series.native = 'lots';
      }),
    ).toBeUndefined();
    expect(
      spoil((series) => {
        series.exemplars = [null];
      }),
    ).toBeUndefined();
    expect(
      spoil((series) => {
        series.exemplars[1] = { labels: { a: 1 }, value: 1, timestampMs: 1 };
      }),
    ).toBeUndefined();
  });
});

describe('merging exemplars', () => {
  it('keeps the latest exemplar of each counter series and each bucket', () => {
    let now = 1000;
    const make = () => {
      const registry = new Registry({ now: () => now });
      return {
        registry,
        requests: registry.counter({ name: 'requests_total', help: 'R.' }),
        latency: registry.histogram({ name: 'latency_seconds', help: 'L.', buckets: [1] }),
      };
    };
    const a = make();
    const b = make();
    a.requests.labels({}).inc(1, { trace_id: 'early' });
    a.latency.labels({}).observe(0.5, { trace_id: 'bucket-early' });
    now = 2000;
    b.requests.labels({}).inc(1, { trace_id: 'late' });
    b.latency.labels({}).observe(5, { trace_id: 'inf-late' });
    const merged = mergeSnapshots([a.registry.snapshot(), b.registry.snapshot()]);
    const text = renderOpenMetrics(merged);
    expect(text).toContain('requests_total 2 # {trace_id="late"} 1 2\n');
    expect(text).toContain('latency_seconds_bucket{le="1.0"} 1 # {trace_id="bucket-early"} 0.5 1\n');
    expect(text).toContain('latency_seconds_bucket{le="+Inf"} 2 # {trace_id="inf-late"} 5 2\n');
  });
});
