// Tiny timing helpers for the benchmarks: measure, never assert.

/** Runs `fn(iterations)` in rounds and returns the best ns per operation (least disturbed round). */
export function nsPerOp(fn: (iterations: number) => void, iterations: number, rounds = 7): number {
  fn(Math.min(iterations, 10_000)); // warm up the JIT
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    fn(iterations);
    const elapsed = Number(process.hrtime.bigint() - start);
    best = Math.min(best, elapsed / iterations);
  }
  return best;
}

/** Wall times in ms of an async or sync function over `rounds` runs (after one warm-up), ascending. */
export async function timesMs(fn: () => unknown, rounds: number): Promise<number[]> {
  await fn();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

/** Median wall time in ms of an async or sync function over `rounds` runs (after one warm-up). */
export async function medianMs(fn: () => unknown, rounds: number): Promise<number> {
  const times = await timesMs(fn, rounds);
  return times[Math.floor(times.length / 2)] as number;
}

/** Runs a full garbage collection; the benchmarks need node --expose-gc. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
}

/** Heap growth in bytes while `build` runs and its result stays alive, after full GCs. */
export function heapGrowth(build: () => unknown): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  // Keep `kept` reachable until after the measurement.
  if (kept === undefined) throw new Error('build must return what it made');
  return after - before;
}

export interface Row {
  readonly operation: string;
  readonly unit: 'ns/op' | 'ms' | 'B/series';
  /** Measurements by library name; the first is promlite, the second the reference peer. */
  readonly results: readonly number[];
  readonly target: string;
}

/** Prints rows as a Markdown table, with promlite's advantage over the reference peer. */
export function printTable(libraries: readonly string[], rows: readonly Row[]): void {
  const format = (value: number) =>
    Number.isNaN(value) ? 'n/a' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  console.log(`| operation | unit | ${libraries.join(' | ')} | promlite vs ${libraries[1]} | target |`);
  console.log(`| --- | --- | ${libraries.map(() => '---:').join(' | ')} | ---: | --- |`);
  for (const row of rows) {
    const [ours = NaN, reference = NaN] = row.results;
    const ratio = reference / ours;
    // A row no peer can run (native histograms, protobuf) has no ratio.
    const advantage = Number.isNaN(ratio)
      ? '—'
      : row.unit === 'B/series'
        ? `${ratio.toFixed(2)}× smaller`
        : `${ratio.toFixed(1)}× faster`;
    console.log(
      `| ${row.operation} | ${row.unit} | ${row.results.map(format).join(' | ')} | ${advantage} | ${row.target} |`,
    );
  }
}
