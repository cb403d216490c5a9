// One subject of the floor benchmark, measured alone in this process (bench/floor.ts starts one
// process per subject): `measure.ts <floor|promlite|prom-client>`. Prints one JSON line of
// { measure: { median, min } }; asserts nothing.
import { collectGarbage, timesMs } from '../harness.js';
import { type Labels, SUBJECTS } from './subjects.js';

const name = process.argv[2] ?? 'floor';
const subject = SUBJECTS[name];
if (subject === undefined) throw new Error(`unknown subject ${name}`);

export interface Spread {
  readonly median: number;
  readonly min: number;
}

const spread = (values: number[]): Spread => {
  values.sort((a, b) => a - b);
  return { median: values[Math.floor(values.length / 2)] as number, min: values[0] as number };
};

/** ns per call of `loop(iterations)`, over `rounds` rounds after a warm-up. */
function nsPerOp(loop: (n: number) => void, iterations: number, rounds = 9): Spread {
  loop(Math.min(iterations, 50_000));
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    loop(iterations);
    times.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return spread(times);
}

async function msPerCall(fn: () => unknown, rounds: number): Promise<Spread> {
  return spread(await timesMs(fn, rounds));
}

const LABEL_SETS: Labels[] = Array.from({ length: 16 }, (_, i) => ({
  service: `svc${i % 4}`,
  route: `/api/v1/items/${i}`,
}));
const value = (i: number) => (i % 100) * 0.013;
// prom-client is ~10–100× slower per call: fewer iterations keep the run short.
const iterations = name === 'prom-client' ? 250_000 : 2_000_000;

const results: Record<string, Spread> = {
  counterLabels: nsPerOp(subject.counterLabels(LABEL_SETS), iterations),
  histogramLabels: nsPerOp(subject.histogramLabels(LABEL_SETS, value), iterations),
  histogramChild: nsPerOp(subject.histogramChild(LABEL_SETS[0] as Labels, value), iterations),
};
for (const [series, rounds] of [
  [10_000, 21],
  [100_000, name === 'prom-client' ? 3 : 7],
] as const) {
  collectGarbage();
  const { scrape } = subject.fill(series);
  results[`scrape${series}`] = await msPerCall(scrape, rounds);
}
// Heap per series after a scrape: what stays alive once the workload exists and was scraped once.
collectGarbage();
const before = process.memoryUsage().heapUsed;
const filled = subject.fill(100_000);
await filled.scrape();
collectGarbage();
const perSeries = (process.memoryUsage().heapUsed - before) / 100_000;
if (filled.kept === undefined) throw new Error('unreachable');
results.heap = { median: perSeries, min: perSeries };
console.log(JSON.stringify(results));
