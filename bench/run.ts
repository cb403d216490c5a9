// `make bench`: promlite against prom-client (and @prometheus-io/client, its successor), all
// measured in this one process and run. Prints a table; asserts nothing.
import promClient from 'prom-client';
import * as prometheusIo from '@prometheus-io/client';
import { registerProcessMetrics, Registry, render, renderChunks } from '../src/index.js';
import { renderProtobufChunks } from '../src/exposition/protobuf.js';
import { fillPeer, fillPromlite, type PeerModule } from './registries.js';
import { collectGarbage, heapGrowth, medianMs, nsPerOp, printTable, type Row } from './harness.js';

const PEERS: readonly [string, PeerModule][] = [
  ['prom-client', promClient],
  ['@prometheus-io/client', prometheusIo as unknown as PeerModule],
];

const LABEL_SETS = Array.from({ length: 16 }, (_, i) => ({
  method: i % 2 ? 'GET' : 'POST',
  route: `/api/v1/items/${i}`,
}));
const ITERATIONS = 2_000_000;
const observed = (i: number) => (i % 100) * 0.013;

interface Updates {
  counterPlain: (n: number) => void;
  counterLabels: (n: number) => void;
  counterChild: (n: number) => void;
  histogramPlain: (n: number) => void;
  histogramLabels: (n: number) => void;
  histogramChild: (n: number) => void;
  summaryPlain: (n: number) => void;
  summaryLabels: (n: number) => void;
  summaryChild: (n: number) => void;
}

/** The same window for every library: prom-client's defaults (7 percentiles, 10 minutes, 5 buckets). */
const SUMMARY = { help: 'h', maxAgeSeconds: 600, ageBuckets: 5 } as const;

// promliteUpdates and peerUpdates repeat the same loops on purpose: closures made from one
// function literal share the JIT's feedback, so shared loops would make every library's call
// sites polymorphic and measure the mix rather than each library.
function promliteUpdates(): Updates {
  const registry = new Registry();
  const plain = registry.counter({ name: 'plain_total', help: 'h' });
  const labeled = registry.counter({ name: 'labeled_total', help: 'h', labelNames: ['method', 'route'] });
  const child = labeled.labels(LABEL_SETS[0]!);
  const hPlain = registry.histogram({ name: 'plain_seconds', help: 'h' });
  const hLabeled = registry.histogram({ name: 'labeled_seconds', help: 'h', labelNames: ['method', 'route'] });
  const hChild = hLabeled.labels(LABEL_SETS[0]!);
  const sPlain = registry.summary({ name: 'plain_summary_seconds', ...SUMMARY });
  const sLabeled = registry.summary({ name: 'labeled_summary_seconds', ...SUMMARY, labelNames: ['method', 'route'] });
  const sChild = sLabeled.labels(LABEL_SETS[0]!);
  return {
    summaryPlain: (n) => {
      for (let i = 0; i < n; i++) sPlain.observe(observed(i));
    },
    summaryLabels: (n) => {
      for (let i = 0; i < n; i++) sLabeled.observe(LABEL_SETS[i & 15]!, observed(i));
    },
    summaryChild: (n) => {
      for (let i = 0; i < n; i++) sChild.observe(observed(i));
    },
    counterPlain: (n) => {
      for (let i = 0; i < n; i++) plain.inc();
    },
    counterLabels: (n) => {
      for (let i = 0; i < n; i++) labeled.inc(LABEL_SETS[i & 15]!);
    },
    counterChild: (n) => {
      for (let i = 0; i < n; i++) child.inc();
    },
    histogramPlain: (n) => {
      for (let i = 0; i < n; i++) hPlain.observe(observed(i));
    },
    histogramLabels: (n) => {
      for (let i = 0; i < n; i++) hLabeled.observe(LABEL_SETS[i & 15]!, observed(i));
    },
    histogramChild: (n) => {
      for (let i = 0; i < n; i++) hChild.observe(observed(i));
    },
  };
}

function peerUpdates(client: PeerModule): Updates {
  const registers = [new client.Registry()];
  const plain = new client.Counter({ name: 'plain_total', help: 'h', registers });
  const labeled = new client.Counter({ name: 'labeled_total', help: 'h', labelNames: ['method', 'route'], registers });
  const child = labeled.labels(LABEL_SETS[0]!);
  const hPlain = new client.Histogram({ name: 'plain_seconds', help: 'h', registers });
  const hLabeled = new client.Histogram({
    name: 'labeled_seconds',
    help: 'h',
    labelNames: ['method', 'route'],
    registers,
  });
  const hChild = hLabeled.labels(LABEL_SETS[0]!);
  const sPlain = new client.Summary({ name: 'plain_summary_seconds', ...SUMMARY, registers });
  const sLabeled = new client.Summary({
    name: 'labeled_summary_seconds',
    ...SUMMARY,
    labelNames: ['method', 'route'],
    registers,
  });
  const sChild = sLabeled.labels(LABEL_SETS[0]!);
  return {
    summaryPlain: (n) => {
      for (let i = 0; i < n; i++) sPlain.observe(observed(i));
    },
    summaryLabels: (n) => {
      for (let i = 0; i < n; i++) sLabeled.observe(LABEL_SETS[i & 15]!, observed(i));
    },
    summaryChild: (n) => {
      for (let i = 0; i < n; i++) sChild.observe(observed(i));
    },
    counterPlain: (n) => {
      for (let i = 0; i < n; i++) plain.inc();
    },
    counterLabels: (n) => {
      for (let i = 0; i < n; i++) labeled.inc(LABEL_SETS[i & 15]!);
    },
    counterChild: (n) => {
      for (let i = 0; i < n; i++) child.inc();
    },
    histogramPlain: (n) => {
      for (let i = 0; i < n; i++) hPlain.observe(observed(i));
    },
    histogramLabels: (n) => {
      for (let i = 0; i < n; i++) hLabeled.observe(LABEL_SETS[i & 15]!, observed(i));
    },
    histogramChild: (n) => {
      for (let i = 0; i < n; i++) hChild.observe(observed(i));
    },
  };
}

/** Native histograms (no peer has them): the same loops as the classic rows, on their own closures. */
function nativeRows(): Row[] {
  const registry = new Registry();
  const both = registry
    .histogram({ name: 'both_seconds', help: 'h', labelNames: ['method', 'route'], native: {} })
    .labels(LABEL_SETS[0]!);
  const nativeOnly = registry.histogram({ name: 'native_seconds', help: 'h', native: {} });
  const classic = registry.histogram({ name: 'classic_seconds', help: 'h' });
  const wide = registry.histogram({ name: 'wide_seconds', help: 'h', native: {} });
  // Five decades of latencies: ~130 populated buckets, every observation a hash probe.
  const spread = Array.from({ length: 1024 }, (_, i) => 10 ** (((i * 7919) % 1024) / 204.8 - 4));
  const cases: [string, (n: number) => void, string][] = [
    [
      'histogram observe, no labels, classic only (11 buckets), beside the native rows',
      (n) => {
        for (let i = 0; i < n; i++) classic.observe(observed(i));
      },
      '',
    ],
    [
      'histogram observe, bound child, 11 classic buckets + native (schema 3)',
      (n) => {
        for (let i = 0; i < n; i++) both.observe(observed(i));
      },
      '≤ 2× classic',
    ],
    [
      'histogram observe, no labels, native only (schema 3)',
      (n) => {
        for (let i = 0; i < n; i++) nativeOnly.observe(observed(i));
      },
      '≤ 2× classic',
    ],
    [
      'histogram observe, no labels, native only, values over 5 decades',
      (n) => {
        for (let i = 0; i < n; i++) wide.observe(spread[i & 1023]!);
      },
      '≤ 2× classic',
    ],
  ];
  return cases.map(([operation, update, target]) => ({
    operation,
    unit: 'ns/op',
    results: [nsPerOp(update, ITERATIONS), Number.NaN, Number.NaN],
    target,
  }));
}

function updateRows(): Row[] {
  const all = [promliteUpdates(), ...PEERS.map(([, client]) => peerUpdates(client))];
  const cases: [string, keyof Updates, string][] = [
    ['counter inc, no labels', 'counterPlain', ''],
    ['counter inc, 2 labels as object', 'counterLabels', '≥ 10×'],
    ['counter inc, bound child', 'counterChild', '≥ 30×'],
    ['histogram observe (11 buckets), no labels', 'histogramPlain', ''],
    ['histogram observe, 2 labels as object', 'histogramLabels', '≥ 10×'],
    ['histogram observe, bound child', 'histogramChild', '≥ 30×'],
    ['summary observe (7 quantiles, 10 min window), no labels', 'summaryPlain', ''],
    ['summary observe, 2 labels as object', 'summaryLabels', ''],
    ['summary observe, bound child', 'summaryChild', ''],
  ];
  // The peers are ~100× slower per call: fewer iterations keep the run short, ns/op stays comparable.
  return cases.map(([operation, key, target]) => ({
    operation,
    unit: 'ns/op',
    results: all.map((updates, i) => nsPerOp(updates[key], i === 0 ? ITERATIONS : ITERATIONS / 8)),
    target,
  }));
}

async function renderRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [series, rounds] of [
    [100, 200],
    [10_000, 15],
    [100_000, 5],
  ] as const) {
    // Each library is measured with only its own registry alive, after a full GC, so none pays
    // for another's heap.
    collectGarbage();
    const ours = fillPromlite(series);
    const text = await medianMs(() => render(ours.snapshot()), rounds);
    // One chunk of unbounded size: the bytes HTTP sends, without building a string.
    const bytes = await medianMs(() => renderChunks(ours.snapshot(), Number.POSITIVE_INFINITY).next(), rounds);
    const peers: number[] = [];
    for (const [, client] of PEERS) {
      collectGarbage();
      const registry = fillPeer(client, series);
      peers.push(await medianMs(() => registry.metrics(), rounds));
    }
    const label = series.toLocaleString('en');
    rows.push({
      operation: `snapshot + render, ${label} series`,
      unit: 'ms',
      results: [text, ...peers],
      target: series >= 10_000 ? '≥ 10×' : '',
    });
    rows.push({
      operation: `snapshot + render to bytes (what HTTP sends), ${label} series`,
      unit: 'ms',
      results: [bytes, ...peers],
      target: '',
    });
    // The protobuf format of the same registry (what a Prometheus with native histograms reads).
    const protobuf = await medianMs(
      () => renderProtobufChunks(ours.snapshot(), Number.POSITIVE_INFINITY).next(),
      rounds,
    );
    rows.push({
      operation: `snapshot + render protobuf, ${label} series`,
      unit: 'ms',
      results: [protobuf, Number.NaN, Number.NaN],
      target: '',
    });
  }
  return rows;
}

/** What the process collector costs each scrape: snapshot + render of its families alone. */
async function processCollectorRows(): Promise<Row[]> {
  const ours = new Registry();
  const stopOurs = registerProcessMetrics(ours);
  const theirs = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: theirs });
  // Readings are shared within 20 ms; pausing past that makes every round read /proc afresh.
  const pause = () => new Promise((resolve) => setTimeout(resolve, 25));
  const timeOne = async (scrape: () => unknown) => {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      await pause();
      const start = process.hrtime.bigint();
      await scrape();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return times.sort((a, b) => a - b)[15] as number;
  };
  const row: Row = {
    operation: 'process/runtime collector, one scrape',
    unit: 'ms',
    results: [await timeOne(() => render(ours.snapshot())), await timeOne(() => theirs.metrics()), NaN],
    target: '',
  };
  stopOurs.stop();
  return [row];
}

function heapRows(): Row[] {
  const series = 100_000;
  return [
    {
      operation: `heap per series (${series.toLocaleString('en')}, half histograms)`,
      unit: 'B/series',
      results: [
        heapGrowth(() => fillPromlite(series)) / series,
        ...PEERS.map(([, client]) => heapGrowth(() => fillPeer(client, series)) / series),
      ],
      target: '≤ 250 B',
    },
  ];
}

const versions = await Promise.all(
  ['prom-client', '@prometheus-io/client'].map(
    async (name) => `${name} ${(await import(`${name}/package.json`, { with: { type: 'json' } })).default.version}`,
  ),
);
console.log(`Node ${process.version}; ${versions.join(', ')}\n`);
printTable(
  ['promlite', ...PEERS.map(([name]) => name)],
  [...updateRows(), ...nativeRows(), ...(await renderRows()), ...heapRows(), ...(await processCollectorRows())],
);
