// Inputs of the golden files in fixtures/: TypeScript, because JSON cannot hold NaN or ±Inf.
import {
  Counter,
  Gauge,
  HealthChecks,
  Histogram,
  instrumentHttp,
  Registry,
  type RegistrySnapshot,
} from '../../src/index.js';
import { GO_DEFAULT_BUCKETS, observedJobs, type ObservedSeries } from '../support/expected-samples.js';

export interface GoldenCase {
  /** The fixture is fixtures/<name>.prom. */
  readonly name: string;
  readonly build: () => RegistrySnapshot;
  /** Every histogram series `build` makes, with the values it observed: what the consumers must read back. */
  readonly observed: readonly ObservedSeries[];
  /** What `promtool check metrics` says of the text (exit 3: lints only, it parsed); nothing when absent. */
  readonly promtoolLints?: string;
}

const FIXED_NOW = () => 1_700_000_000_000;
const API_LATENCIES = [0.003, 0.02, 0.02, 0.3, 7, 12];
const BOUNDS = [-1, 0, 1e-5, 0.0001, 0.005, 1, 100000, 1e6, 1234567, 2.5e21];
const ON_AND_PAST_BOUNDS = [...BOUNDS, 3e21, Infinity];
const NATIVE_VALUES = [0.001, 0.0011, 0.25, 0.5, 1, 1.0905, 2, 3, 0, -0.5, -4, Infinity];
const JOB_CALLS = [
  ['email', 'success', 0.42],
  ['email', 'success', 3600],
  ['email', 'failure', 12],
  ['report', 'completed', 95],
  ['report', 'timeout', -5],
  ['report', 'failure', NaN],
  ['', 'success', 1],
] as const;

export const GOLDEN_CASES: readonly GoldenCase[] = [
  {
    // Quantiles over a window, `_sum` and `_count`; an empty window's NaN; negative values, which
    // OpenMetrics leaves out.
    name: 'summary',
    build: () => {
      const registry = new Registry({ now: FIXED_NOW });
      const rpc = registry.summary({
        name: 'rpc_duration_seconds',
        help: 'RPC latency.',
        labelNames: ['method'],
        percentiles: [0.5, 0.9, 0.99],
      });
      for (let i = 1; i <= 200; i++) rpc.observe({ method: i % 2 === 0 ? 'get' : 'put' }, i / 100);
      registry.summary({ name: 'idle_seconds', help: 'Never observed.', percentiles: [0.5] });
      const offsets = registry.summary({
        name: 'clock_offset_seconds',
        help: 'Offsets, some negative.',
        percentiles: [0.1, 0.9],
      });
      for (const offset of [-3, -1, 0.5, 2]) offsets.observe(offset);
      return registry.snapshot();
    },
    observed: [],
  },
  {
    // A secrets daemon's names, kept as its dashboards use them (issue 11): counters without
    // `_total`, a gauge and a histogram-like suffix on gauges. promtool lints, and parses, them.
    name: 'existing-names',
    build: () => {
      const registry = new Registry({ prefix: 'vault_' });
      registry
        .counter({ name: 'http_requests_success', help: 'Requests answered.', labelNames: ['method'] })
        .inc({ method: 'GET' }, 5);
      registry.counter({ name: 'http_requests_error', help: 'Requests failed.' }).inc(2);
      registry.gauge({ name: 'secrets_total', help: 'Secrets stored.' }).set(42);
      registry.gauge({ name: 'unseal_count', help: 'Unseal keys given.' }).set(3);
      return registry.snapshot();
    },
    observed: [],
    promtoolLints: [
      'vault_http_requests_error counter metrics should have "_total" suffix',
      'vault_http_requests_success counter metrics should have "_total" suffix',
      'vault_secrets_total non-counter metrics should not have "_total" suffix',
      'vault_unseal_count non-histogram and non-summary metrics should not have "_count" suffix',
    ].join('\n'),
  },
  {
    name: 'empty-registry',
    build: () => new Registry().snapshot(),
    observed: [],
  },
  {
    name: 'counter',
    build: () => {
      const registry = new Registry();
      registry.counter({ name: 'unlabeled_total', help: 'Never incremented: exported at 0.' });
      const requests = registry.counter({
        name: 'http_requests_total',
        help: 'Requests served.',
        labelNames: ['method', 'code'],
      });
      requests.inc({ method: 'POST', code: '200' }, 3);
      requests.inc({ method: 'GET', code: '404' });
      requests.labels({ method: 'GET', code: '200' }).inc(2.5);
      requests.inc({ code: 200, method: 'GET' });
      return registry.snapshot();
    },
    observed: [],
  },
  {
    name: 'gauge',
    build: () => {
      const registry = new Registry();
      const queue = registry.gauge({ name: 'queue_depth', help: 'Jobs waiting.', labelNames: ['queue'] });
      queue.set({ queue: 'mail' }, 42);
      queue.inc({ queue: 'sms' }, 3);
      queue.dec({ queue: 'sms' });
      queue.set({ queue: 'push' }, -1.5);
      const temperature = registry.gauge({ name: 'room_temperature_celsius', help: 'Temperature.' });
      temperature.set(21.25);
      registry.gauge({
        name: 'pool_connections',
        help: 'Connections by state, read at snapshot time.',
        labelNames: ['state'],
        collect: () => [
          { labels: { state: 'idle' }, value: 4 },
          { labels: { state: 'active' }, value: 6 },
        ],
      });
      registry.gauge({ name: 'cache_entries', help: 'Entries, read at snapshot time.', collect: () => 1234 });
      return registry.snapshot();
    },
    observed: [],
  },
  {
    name: 'histogram',
    build: () => {
      const registry = new Registry();
      const latency = registry.histogram({
        name: 'http_request_duration_seconds',
        help: 'Latency.',
        labelNames: ['route'],
      });
      for (const value of API_LATENCIES) latency.observe({ route: '/api' }, value);
      latency.labels({ route: '/health' }).observe(0.001);
      const sizes = registry.histogram({ name: 'payload_bytes', help: 'Payload sizes.', buckets: [100, 1000, 10000] });
      sizes.observe(50);
      sizes.observe(5000);
      registry.histogram({ name: 'idle_seconds', help: 'Never observed: exported with zero buckets.', buckets: [1] });
      return registry.snapshot();
    },
    observed: [
      {
        name: 'http_request_duration_seconds',
        labels: { route: '/api' },
        upperBounds: GO_DEFAULT_BUCKETS,
        values: API_LATENCIES,
      },
      {
        name: 'http_request_duration_seconds',
        labels: { route: '/health' },
        upperBounds: GO_DEFAULT_BUCKETS,
        values: [0.001],
      },
      { name: 'payload_bytes', labels: {}, upperBounds: [100, 1000, 10000], values: [50, 5000] },
      { name: 'idle_seconds', labels: {}, upperBounds: [1], values: [] },
    ],
  },
  {
    name: 'bucket-boundaries',
    build: () => {
      const registry = new Registry();
      const histogram = registry.histogram({
        name: 'bounds',
        help: 'Observations exactly on bounds, and bounds in every notation.',
        buckets: BOUNDS,
      });
      for (const value of ON_AND_PAST_BOUNDS) histogram.observe(value);
      return registry.snapshot();
    },
    observed: [{ name: 'bounds', labels: {}, upperBounds: BOUNDS, values: ON_AND_PAST_BOUNDS }],
  },
  {
    name: 'escaping',
    build: () => {
      const registry = new Registry();
      const paths = registry.counter({
        name: 'escaped_total',
        help: 'Help with a backslash \\ and a "quote" and a\nnewline, and Unicode: ünïcödé ✓ 🚀.',
        labelNames: ['path'],
      });
      for (const path of [
        'C:\\temp',
        'say "hi"',
        'two\nlines',
        'ünïcödé ✓ 🚀',
        '\\"\n',
        '',
        'a,b=c',
        '{}',
        'tab\there',
        '\r',
      ]) {
        paths.inc({ path });
      }
      return registry.snapshot();
    },
    observed: [],
  },
  {
    name: 'special-floats',
    build: () => {
      const registry = new Registry();
      const values = registry.gauge({
        name: 'special_values',
        help: 'Values that must be spelled exactly.',
        labelNames: ['case'],
      });
      const cases: [string, number][] = [
        ['nan', NaN],
        ['plus_inf', Infinity],
        ['minus_inf', -Infinity],
        ['negative_zero', -0],
        ['huge', 1e21],
        ['tiny', 1e-7],
        ['max', Number.MAX_VALUE],
        ['min_positive', Number.MIN_VALUE],
        ['third', 1 / 3],
        // biome-ignore lint/correctness/noPrecisionLoss: the literal is 2^53 + 1 on purpose: it reads as 2^53
        ['integer', 9007199254740993],
      ];
      for (const [name, value] of cases) values.set({ case: name }, value);
      return registry.snapshot();
    },
    observed: [],
  },
  {
    name: 'prefix-default-labels',
    build: () => {
      const registry = new Registry({ prefix: 'myapp_', defaultLabels: { service: 'billing', region: 'eu-west' } });
      registry
        .counter({ name: 'invoices_total', help: 'Invoices issued.', labelNames: ['currency'] })
        .inc({ currency: 'EUR' });
      registry.gauge({ name: 'up', help: 'Always 1.' }).set(1);
      registry.histogram({ name: 'render_seconds', help: 'Render time.', buckets: [0.1, 1] }).observe(0.5);
      return registry.snapshot();
    },
    observed: [
      {
        name: 'myapp_render_seconds',
        labels: { service: 'billing', region: 'eu-west' },
        upperBounds: [0.1, 1],
        values: [0.5],
      },
    ],
  },
  {
    name: 'info-and-stateset',
    build: () => {
      const registry = new Registry({ prefix: 'app_' });
      registry.buildInfo({ version: '1.4.2', commit: 'a1b2c3d', node_version: 'v20.0.0', branch: 'main' });
      const breaker = registry.stateGauge({
        name: 'circuit_breaker_state',
        help: 'Circuit breaker state by dependency.',
        states: ['closed', 'open', 'half_open'],
        labelNames: ['dependency'],
      });
      breaker.set({ dependency: 'db' }, 'open');
      breaker.set({ dependency: 'cache' }, 'closed');
      breaker.set({ dependency: 'db' }, 'half_open');
      registry.stateGauge({ name: 'mode', help: 'Service mode; none current yet.', states: ['normal', 'maintenance'] });
      return registry.snapshot();
    },
    observed: [],
  },
  {
    // The families HealthChecks and instrumentHttp declare, with the values a run would record
    // set by hand: their timings are not repeatable (the flows are tested over real sockets).
    name: 'health-and-http-families',
    build: () => {
      const registry = new Registry();
      new HealthChecks(registry);
      instrumentHttp(registry, { buckets: [0.05, 0.5] });
      const metric = <T>(name: string, type: new (...args: never[]) => T): T => {
        const found = registry.get(name);
        if (!(found instanceof type)) throw new Error(`${name} is not registered`);
        return found;
      };
      const up = metric('health_check_up', Gauge);
      const took = metric('health_check_duration_seconds', Gauge);
      up.set({ component: 'database' }, 1);
      took.set({ component: 'database' }, 0.0031);
      up.set({ component: 'payment-api' }, 0);
      took.set({ component: 'payment-api' }, 0.5);
      const requests = metric('http_requests_total', Counter);
      const duration = metric('http_request_duration_seconds', Histogram);
      requests.inc({ method: 'GET', route: '/users/:id', status: '200' }, 2);
      requests.inc({ method: 'GET', route: '(unmatched)', status: '404' });
      requests.inc({ method: 'POST', route: '/orders', status: '499' });
      duration.observe({ method: 'GET', route: '/users/:id' }, 0.012);
      duration.observe({ method: 'GET', route: '/users/:id' }, 0.2);
      metric('http_request_size_bytes_total', Counter).inc({ method: 'POST', route: '/orders' }, 512);
      metric('http_response_size_bytes_total', Counter).inc({ method: 'GET', route: '/users/:id' }, 2048);
      return registry.snapshot();
    },
    observed: [
      {
        name: 'http_request_duration_seconds',
        labels: { method: 'GET', route: '/users/:id' },
        upperBounds: [0.05, 0.5],
        values: [0.012, 0.2],
      },
    ],
  },
  {
    // Native histograms: text formats get the classic buckets (only +Inf without `buckets`);
    // the protobuf golden (fixtures/native-histogram.pb.txt) holds the native buckets too.
    name: 'native-histogram',
    build: () => {
      const registry = new Registry();
      const latency = registry.histogram({
        name: 'rpc_latency_seconds',
        help: 'Native only, with zero, negative and infinite observations.',
        labelNames: ['method'],
        native: {},
      });
      for (const v of NATIVE_VALUES) latency.observe({ method: 'get' }, v);
      const both = registry.histogram({
        name: 'payload_bytes',
        help: 'Classic and native buckets, coarse schema, limited.',
        buckets: [100, 1000],
        native: { bucketFactor: 4, maxBuckets: 3 },
      });
      for (const v of [1, 50, 200, 5000, 2e6]) both.observe(v);
      registry.histogram({ name: 'idle_seconds', help: 'Native, never observed.', native: { zeroThreshold: 0 } });
      registry.histogram({ name: 'idle_seconds_default', help: 'Native, never observed.', native: {} }).labels({});
      return registry.snapshot();
    },
    observed: [
      { name: 'rpc_latency_seconds', labels: { method: 'get' }, upperBounds: [], values: NATIVE_VALUES },
      { name: 'payload_bytes', labels: {}, upperBounds: [100, 1000], values: [1, 50, 200, 5000, 2e6] },
      { name: 'idle_seconds', labels: {}, upperBounds: [], values: [] },
      { name: 'idle_seconds_default', labels: {}, upperBounds: [], values: [] },
    ],
  },
  {
    name: 'observe-job',
    build: () => {
      const registry = new Registry({ now: FIXED_NOW });
      for (const [kind, status, seconds] of JOB_CALLS) registry.observeJob(kind, status, seconds);
      return registry.snapshot();
    },
    observed: observedJobs(JOB_CALLS),
  },
];
