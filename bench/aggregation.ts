// `make bench`, part 4: cluster aggregation. A primary with 4 workers × 10,000 series each, for
// each library in a cluster of its own, with live traffic in the workers; this process scrapes the
// primary's aggregate and reads the primary's worst event-loop delay during each scrape.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { printTable, type Row } from './harness.js';

const WORKERS = 4;
const SERIES = 10_000;
const SCRAPES = 20;

async function startCluster(library: string): Promise<{ port: number; child: ChildProcess }> {
  const script = new URL('./aggregation-cluster.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, library, String(WORKERS), String(SERIES)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { port: Number(chunk.toString().trim()), child };
}

async function timedScrape(port: number): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return { ms: performance.now() - started, bytes: body.length };
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const results: Record<string, { median: number; worst: number; delay: number; cpu: number; bytes: number }> = {};
for (const library of ['promlite', 'prom-client']) {
  const { port, child } = await startCluster(library);
  try {
    for (let i = 0; i < 3; i++) await timedScrape(port); // warm-up
    const times: number[] = [];
    const delays: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SCRAPES; i++) {
      await fetch(`http://127.0.0.1:${port}/stats/reset`);
      const scrape = await timedScrape(port);
      times.push(scrape.ms);
      bytes = scrape.bytes;
      const stats = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as {
        maxDelayMs: number;
        cpuStallMs: number;
      };
      delays.push(stats.maxDelayMs);
      cpu.push(stats.cpuStallMs);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    results[library] = {
      median: median(times),
      worst: Math.max(...times),
      delay: Math.max(...delays),
      cpu: Math.max(...cpu),
      bytes,
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
const ours = results.promlite!;
const theirs = results['prom-client']!;
const label = `${WORKERS} workers × ${SERIES.toLocaleString('en')} series`;
const rows: Row[] = [
  { operation: `aggregate scrape, median (${label})`, unit: 'ms', results: [ours.median, theirs.median], target: '' },
  { operation: `aggregate scrape, worst of ${SCRAPES}`, unit: 'ms', results: [ours.worst, theirs.worst], target: '' },
  {
    operation: 'worst event-loop delay of the primary during a scrape, wall clock',
    unit: 'ms',
    results: [ours.delay, theirs.delay],
    target: '≤ 25 ms',
  },
  {
    operation: 'worst event-loop stall of the primary, CPU time between 1 ms probes',
    unit: 'ms',
    results: [ours.cpu, theirs.cpu],
    target: '≤ 25 ms',
  },
];
console.log(
  `\ncluster aggregation (body: promlite ${ours.bytes} B, prom-client ${theirs.bytes} B; load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores)`,
);
printTable(['promlite', 'prom-client'], rows);
