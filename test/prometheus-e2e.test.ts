// A real Prometheus scrapes promlite — once negotiating OpenMetrics, once offered text 0.0.4
// only — with a bearer token, and every recorded sample must come back from its query API
// exactly: counter values, every histogram bucket, hostile label values byte for byte.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HealthChecks,
  instrumentHttp,
  metricsHandler,
  registerProcessMetrics,
  Registry,
  type ProcessMetrics,
  type RegistrySnapshot,
} from '../src/index.js';
import { controlClock } from './support/clock.js';
import { fetchRaw } from './support/http.js';
import {
  expectedSamples,
  GO_DEFAULT_BUCKETS,
  observedJobs,
  wellFormed,
  type ObservedSeries,
} from './support/expected-samples.js';
import { eventually, startPrometheus, type RunningPrometheus } from './support/prometheus.js';

const TOKEN = 'e2e-token-7f3a';
const HOSTILE = [
  'plain',
  'C:\\temp',
  'say "hi"',
  'two\nlines',
  '\\"\n',
  'a,b=c',
  '{}',
  'ünïcödé ✓ 🚀',
  '\uD800',
  'x'.repeat(1000),
  '',
];
const DEFAULT_LABELS = { service: 'e2e' };
const LATENCY_BOUNDS = [0.001, 0.5, 1, 1e6];
const JOB_CALLS = [
  ['email', 'success', 0.4],
  ['email', 'failure', 7],
  ['report', 'completed', 95],
  ['report', 'success', 3500],
  ['email', 'success', 0.1],
] as const;
/** How long the instrumented app takes per path, on the controlled clock. */
const HANDLER_MS: Record<string, number> = { '/users/1': 20, '/users/2': 300, '/missing': 7 };

/** Every histogram series of the scraped registry, from what this file did to it. */
const OBSERVED: readonly ObservedSeries[] = [
  ...observedJobs(JOB_CALLS, DEFAULT_LABELS),
  ...HOSTILE.map((value, i) => ({
    name: 'hostile_latency_seconds',
    labels: { value: wellFormed(value), ...DEFAULT_LABELS },
    upperBounds: LATENCY_BOUNDS,
    values: [i * 0.3, 1],
  })),
  {
    name: 'http_request_duration_seconds',
    labels: { method: 'GET', route: '/users/:id', ...DEFAULT_LABELS },
    upperBounds: GO_DEFAULT_BUCKETS,
    values: [0.02, 0.3],
  },
  {
    name: 'http_request_duration_seconds',
    labels: { method: 'GET', route: '(unmatched)', ...DEFAULT_LABELS },
    upperBounds: GO_DEFAULT_BUCKETS,
    values: [0.007],
  },
];

function demoRegistry(): Registry {
  const registry = new Registry({ defaultLabels: DEFAULT_LABELS, now: () => 1_700_000_000_000 });
  for (const [kind, status, seconds] of JOB_CALLS) registry.observeJob(kind, status, seconds);
  registry.buildInfo({ version: '1.2.3', commit: 'e2e0001' });
  registry
    .stateGauge({
      name: 'breaker_state',
      help: 'Breaker state.',
      states: ['closed', 'open'],
      labelNames: ['dependency'],
    })
    .set({ dependency: 'db' }, 'open');
  const rpc = registry.summary({
    name: 'rpc_duration_seconds',
    help: 'RPC latency.',
    labelNames: ['method'],
    percentiles: [0.5, 0.99],
  });
  for (let i = 1; i <= 50; i++) rpc.observe({ method: 'get' }, i / 10);
  registry.summary({ name: 'idle_rpc_seconds', help: 'Never observed: NaN quantiles.', percentiles: [0.5] });
  // Names a service already has (issue 11): a counter without `_total`, a gauge with it.
  registry.counter({ name: 'unseal_success', help: 'Unseals.', labelNames: ['method'] }).inc({ method: 'GET' }, 5);
  registry.gauge({ name: 'secrets_total', help: 'Secrets stored.' }).set(42);
  const requests = registry.counter({
    name: 'hostile_requests_total',
    help: 'Requests with hostile labels.',
    labelNames: ['value', 'other'],
  });
  const latency = registry.histogram({
    name: 'hostile_latency_seconds',
    help: 'Latency with hostile labels.',
    labelNames: ['value'],
    buckets: LATENCY_BOUNDS,
  });
  const level = registry.gauge({
    name: 'hostile_level',
    help: 'Levels, special values included.',
    labelNames: ['value'],
  });
  HOSTILE.forEach((value, i) => {
    requests.inc({ value, other: HOSTILE[(i + 1) % HOSTILE.length] as string }, i * 1.5);
    latency.observe({ value }, i * 0.3);
    latency.observe({ value }, 1);
    level.set({ value }, i === 0 ? NaN : i === 1 ? -Infinity : i === 2 ? Infinity : i / 3);
  });
  return registry;
}

interface Served {
  readonly server: Server;
  readonly target: string;
  readonly contentTypes: Set<string>;
}

async function serve(registry: Registry, openMetrics: boolean): Promise<Served> {
  const handler = metricsHandler(registry, { token: TOKEN, trustedCidrs: [], openMetrics });
  const contentTypes = new Set<string>();
  const server = createServer((request, response) => {
    // Record the Content-Type each scrape was answered with.
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    (response as { writeHead: unknown }).writeHead = (status: number, headers?: Record<string, string>) => {
      if (status === 200 && headers?.['Content-Type'] !== undefined) contentTypes.add(headers['Content-Type']);
      return writeHead(status, headers);
    };
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, target: `127.0.0.1:${(server.address() as { port: number }).port}`, contentTypes };
}

/** `name{a="x",b="y"}` with labels sorted, empty values dropped (Prometheus stores them as absent). */
function seriesKey(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels)
    .filter(([label, value]) => value !== '' && label !== 'job' && label !== 'instance' && label !== '__name__')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${name}${JSON.stringify(pairs)}`;
}

function apiValue(text: string): number {
  return text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
}

/** Families whose values change with every scrape or come from the process, and Prometheus's own series. */
const isChanging = (name: string) => /^(promlite_scrape_|process_|nodejs_|scrape_|up$)/.test(name);

const WITHOUT_CHANGING = (snapshot: RegistrySnapshot): RegistrySnapshot => ({
  families: snapshot.families.filter((family) => !isChanging(family.name)),
});

describe('a real Prometheus scrapes promlite', () => {
  let prometheus: RunningPrometheus;
  const registry = demoRegistry();
  const processMetrics: ProcessMetrics = registerProcessMetrics(registry);
  const served: Record<'openmetrics' | 'text', Served> = {} as never;

  beforeAll(async () => {
    // Health checks and HTTP instrumentation write their families once, before any scrape, on
    // a controlled clock: each path takes a known time, so its buckets are known here.
    const clock = controlClock();
    try {
      await new HealthChecks(registry)
        .add('database', () => true)
        .add('cache', () => false, { critical: false })
        .run();
      const app = createServer(
        instrumentHttp(registry).wrap((request, response) => {
          clock.elapse(HANDLER_MS[request.url ?? ''] ?? 0);
          response.statusCode = request.url === '/missing' ? 404 : 200;
          response.end('ok');
        }),
      );
      await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
      const appUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
      for (const path of Object.keys(HANDLER_MS)) await fetchRaw(`${appUrl}${path}`);
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    } finally {
      clock.restore();
    }
    served.openmetrics = await serve(registry, true);
    served.text = await serve(registry, false);
    prometheus = await startPrometheus([
      { name: 'openmetrics', target: served.openmetrics.target, metricsPath: '/metrics', token: TOKEN },
      { name: 'text', target: served.text.target, metricsPath: '/metrics', token: TOKEN },
    ]);
    await eventually(
      async () => {
        const targets = await prometheus.targets();
        return targets.length === 2 && targets.every((target) => target.health === 'up') ? true : undefined;
      },
      45_000,
      async () => `targets not up: ${JSON.stringify(await prometheus.targets())}\n${prometheus.log()}`,
    );
  }, 60_000);

  afterAll(async () => {
    processMetrics.stop();
    await prometheus?.stop();
    for (const { server } of Object.values(served)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each(['openmetrics', 'text'] as const)('%s: every sample comes back exactly', async (format) => {
    const expected = new Map<string, number>();
    for (const sample of expectedSamples(WITHOUT_CHANGING(registry.snapshot()), OBSERVED, format)) {
      expected.set(seriesKey(sample.name, sample.labels), sample.value);
    }
    const stored = await eventually(
      async () => {
        const result = (await prometheus.query(`{job="${format}"}`)).filter(
          (sample) => !isChanging(sample.metric.__name__ as string),
        );
        return result.length >= expected.size ? result : undefined;
      },
      20_000,
      () => `fewer series than expected (${expected.size})`,
    );
    const actual = new Map<string, number>();
    for (const { metric, value } of stored)
      actual.set(seriesKey(metric.__name__ as string, metric), apiValue(value[1]));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, value] of expected) expect(actual.get(key), key).toBe(value);
    // Byte for byte: the hostile label values Prometheus stored are the ones we recorded.
    const storedValues = new Set(
      stored.filter((s) => s.metric.__name__ === 'hostile_level').map((s) => s.metric.value ?? ''),
    );
    expect(storedValues).toEqual(new Set(HOSTILE.map(wellFormed)));
  });

  it.each(['openmetrics', 'text'] as const)(
    '%s: the process metrics arrive under their standard names',
    async (format) => {
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'process_start_time_seconds',
        'process_open_fds',
        'nodejs_heap_size_used_bytes',
        'nodejs_eventloop_lag_p99_seconds',
        'nodejs_version_info',
      ]) {
        // The event-loop lag has no reading until the delay monitor's first samples: the first
        // scrapes may come before that, so wait for a scrape that has it.
        const result = await eventually(
          async () => {
            const found = await prometheus.query(`${name}{job="${format}"}`);
            return found.length > 0 ? found : undefined;
          },
          15_000,
          () => `${name} never arrived (job ${format})`,
        );
        expect(Number.isFinite(apiValue(result[0]?.value[1] as string)), name).toBe(true);
      }
    },
  );

  it('stores a counter declared without _total as written from text, with _total from OpenMetrics', async () => {
    const value = async (query: string) => apiValue((await prometheus.query(query))[0]?.value[1] ?? 'NaN');
    expect(await value('unseal_success{job="text",method="GET"}')).toBe(5);
    expect(await value('unseal_success_total{job="openmetrics",method="GET"}')).toBe(5);
    expect(await prometheus.query('unseal_success{job="openmetrics"}')).toEqual([]);
    expect(await value('secrets_total{job="text"}')).toBe(42);
    expect(await value('secrets_total{job="openmetrics"}')).toBe(42);
  });

  it('negotiated OpenMetrics with one target and text 0.0.4 with the other', () => {
    expect([...served.openmetrics.contentTypes]).toEqual([
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    ]);
    expect([...served.text.contentTypes]).toEqual(['text/plain; version=0.0.4; charset=utf-8']);
  });

  it('was refused without the token', async () => {
    const response = await fetch(`http://${served.text.target}/metrics`);
    expect(response.status).toBe(401);
  });
});
