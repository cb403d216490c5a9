// `make bench`: promlite against prom-client, measured in the same process and run.
import client from 'prom-client';
import { Registry, render, renderBytes } from '../src/index.js';
import { heapGrowth, medianMs, nsPerOp, printTable, type Row } from './harness.js';

const LABEL_SETS = Array.from({ length: 16 }, (_, i) => ({ method: i % 2 ? 'GET' : 'POST', route: `/api/v1/items/${i}` }));
const INC_ITERATIONS = 2_000_000;

function counterCases(): Row[] {
  const ours = new Registry();
  const theirs = new client.Registry();
  const plain = ours.counter({ name: 'plain_total', help: 'h' });
  const plainTheirs = new client.Counter({ name: 'plain_total', help: 'h', registers: [theirs] });
  const labeled = ours.counter({ name: 'labeled_total', help: 'h', labelNames: ['method', 'route'] });
  const labeledTheirs = new client.Counter({ name: 'labeled_total', help: 'h', labelNames: ['method', 'route'], registers: [theirs] });
  const child = labeled.labels(LABEL_SETS[0]!);
  const childTheirs = labeledTheirs.labels(LABEL_SETS[0]!);
  return [
    {
      operation: 'counter inc, no labels',
      unit: 'ns/op',
      promlite: nsPerOp((n) => { for (let i = 0; i < n; i++) plain.inc(); }, INC_ITERATIONS),
      promClient: nsPerOp((n) => { for (let i = 0; i < n; i++) plainTheirs.inc(); }, INC_ITERATIONS),
      target: '',
    },
    {
      operation: 'counter inc, 2 labels as object',
      unit: 'ns/op',
      promlite: nsPerOp((n) => { for (let i = 0; i < n; i++) labeled.inc(LABEL_SETS[i & 15]!); }, INC_ITERATIONS),
      promClient: nsPerOp((n) => { for (let i = 0; i < n; i++) labeledTheirs.inc(LABEL_SETS[i & 15]!); }, INC_ITERATIONS / 4),
      target: '≥ 10×',
    },
    {
      operation: 'counter inc, bound child',
      unit: 'ns/op',
      promlite: nsPerOp((n) => { for (let i = 0; i < n; i++) child.inc(); }, INC_ITERATIONS * 5),
      promClient: nsPerOp((n) => { for (let i = 0; i < n; i++) childTheirs.inc(); }, INC_ITERATIONS / 4),
      target: '≥ 30×',
    },
  ];
}

function histogramCases(): Row[] {
  const ours = new Registry();
  const theirs = new client.Registry();
  const plain = ours.histogram({ name: 'plain_seconds', help: 'h' });
  const plainTheirs = new client.Histogram({ name: 'plain_seconds', help: 'h', registers: [theirs] });
  const labeled = ours.histogram({ name: 'labeled_seconds', help: 'h', labelNames: ['method', 'route'] });
  const labeledTheirs = new client.Histogram({ name: 'labeled_seconds', help: 'h', labelNames: ['method', 'route'], registers: [theirs] });
  const child = labeled.labels(LABEL_SETS[0]!);
  const childTheirs = labeledTheirs.labels(LABEL_SETS[0]!);
  const value = (i: number) => (i % 100) * 0.013;
  return [
    {
      operation: 'histogram observe (11 buckets), no labels',
      unit: 'ns/op',
      promlite: nsPerOp((n) => { for (let i = 0; i < n; i++) plain.observe(value(i)); }, INC_ITERATIONS),
      promClient: nsPerOp((n) => { for (let i = 0; i < n; i++) plainTheirs.observe(value(i)); }, INC_ITERATIONS / 4),
      target: '',
    },
    {
      operation: 'histogram observe, 2 labels as object',
      unit: 'ns/op',
      promlite: nsPerOp((n) => { for (let i = 0; i < n; i++) labeled.observe(LABEL_SETS[i & 15]!, value(i)); }, INC_ITERATIONS),
      promClient: nsPerOp((n) => { for (let i = 0; i < n; i++) labeledTheirs.observe(LABEL_SETS[i & 15]!, value(i)); }, INC_ITERATIONS / 8),
      target: '≥ 10×',
    },
    {
      operation: 'histogram observe, bound child',
      unit: 'ns/op',
      promlite: nsPerOp((n) => { for (let i = 0; i < n; i++) child.observe(value(i)); }, INC_ITERATIONS * 2),
      promClient: nsPerOp((n) => { for (let i = 0; i < n; i++) childTheirs.observe(value(i)); }, INC_ITERATIONS / 8),
      target: '≥ 30×',
    },
  ];
}

/** Half counters, half histograms (default 11 buckets), 2 labels, `series` series in all. */
function fillOurs(series: number): Registry {
  const registry = new Registry({ maxSeriesPerMetric: 1_000_000 });
  const counter = registry.counter({ name: 'requests_total', help: 'Requests.', labelNames: ['service', 'route'] });
  const histogram = registry.histogram({ name: 'request_duration_seconds', help: 'Latency.', labelNames: ['service', 'route'] });
  for (let i = 0; i < series / 2; i++) {
    const labels = { service: `svc${i % 10}`, route: `/route/${i}` };
    counter.inc(labels, i);
    histogram.observe(labels, (i % 100) * 0.01);
  }
  return registry;
}

function fillTheirs(series: number): client.Registry {
  const registry = new client.Registry();
  const counter = new client.Counter({ name: 'requests_total', help: 'Requests.', labelNames: ['service', 'route'], registers: [registry] });
  const histogram = new client.Histogram({ name: 'request_duration_seconds', help: 'Latency.', labelNames: ['service', 'route'], registers: [registry] });
  for (let i = 0; i < series / 2; i++) {
    const labels = { service: `svc${i % 10}`, route: `/route/${i}` };
    counter.inc(labels, i);
    histogram.observe(labels, (i % 100) * 0.01);
  }
  return registry;
}

async function renderCases(): Promise<Row[]> {
  const rows: Row[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (const [series, rounds] of [[100, 200], [10_000, 15], [100_000, 5]] as const) {
    // Each library is measured with only its own registry alive, after a full GC, so neither
    // pays for the other's heap.
    gc?.();
    let ours: Registry | undefined = fillOurs(series);
    const promlite = await medianMs(() => render(ours!.snapshot()), rounds);
    const promliteBytes = await medianMs(() => renderBytes(ours!.snapshot()), rounds);
    ours = undefined;
    gc?.();
    let theirs: client.Registry | undefined = fillTheirs(series);
    const promClient = await medianMs(() => theirs!.metrics(), rounds);
    theirs = undefined;
    const label = series.toLocaleString('en');
    rows.push({ operation: `snapshot + render, ${label} series`, unit: 'ms', promlite, promClient, target: series >= 10_000 ? '≥ 10×' : '' });
    rows.push({ operation: `snapshot + renderBytes (what HTTP sends), ${label} series`, unit: 'ms', promlite: promliteBytes, promClient, target: '' });
  }
  return rows;
}

function heapCases(): Row[] {
  const series = 100_000;
  return [
    {
      operation: `heap per series (${series.toLocaleString('en')}, half histograms)`,
      unit: 'B/series',
      promlite: heapGrowth(() => fillOurs(series)) / series,
      promClient: heapGrowth(() => fillTheirs(series)) / series,
      target: '≤ 250 B',
    },
  ];
}

const rows = [...counterCases(), ...histogramCases(), ...(await renderCases()), ...heapCases()];
console.log(`Node ${process.version}, prom-client ${(await import('prom-client/package.json', { with: { type: 'json' } })).default.version}\n`);
printTable(rows);
