// `make bench`, part 3: promlite against the plain-JavaScript floor (bench/floor/: the same work
// with no validation at all) and against prom-client, each measured in a process of its own, in
// this one run. Every row shows the median (and the minimum) and both ratios; asserts nothing.
// The floor and promlite are measured in turns, ROUNDS times each, and each row shows the round
// whose ratio is the median: on a shared machine, outside load that hits one process and not the
// next would otherwise decide a ratio.
import { execFileSync } from 'node:child_process';
import type { Spread } from './floor/measure.js';
import { startServer, steadyLatency, stopServer } from './scrape-client.js';

const SUBJECT_NAMES = ['floor', 'promlite', 'prom-client'] as const;
type SubjectName = (typeof SUBJECT_NAMES)[number];

function measure(subject: SubjectName): Record<string, Spread> {
  const script = new URL('./floor/measure.ts', import.meta.url).pathname;
  const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, subject], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output.trim().split('\n').at(-1) as string) as Record<string, Spread>;
}

/**
 * p99 of scrapes at 10/s of 10,000 series, plain text, over 300 scrapes: with 60, p99 was the
 * single slowest scrape, and three runs of the same code gave 0.6× to 1.3× the floor.
 */
async function scrapeLatency(subject: SubjectName): Promise<Record<string, Spread>> {
  const server = await startServer(subject, 10_000);
  try {
    const { p99 } = await steadyLatency(server.port, false, 300);
    return { scrapeP99: { median: p99, min: Number.NaN } };
  } finally {
    await stopServer(server);
  }
}

const ROWS: readonly (readonly [key: string, operation: string, unit: string, target: number])[] = [
  ['counterLabels', 'counter inc, labels as an object', 'ns', 1.4],
  ['histogramLabels', 'histogram observe, labels as an object', 'ns', 1.25],
  ['histogramChild', 'histogram observe, bound child', 'ns', 1.25],
  ['scrape10000', 'snapshot + render to bytes, 10k series', 'ms', 1.1],
  ['scrape100000', 'snapshot + render to bytes, 100k series', 'ms', 1.1],
  ['heap', 'heap per series after a scrape (100k)', 'B', 1.2],
  ['scrapeP99', '10 req/s scrapes of 10k series, p99', 'ms', 1.1],
];

const ROUNDS = 5;

type Rounds = Record<'floor' | 'promlite', Record<string, Spread>[]>;

/** One measure of one round. */
const figure = (of: readonly Record<string, Spread>[], round: number, key: string) =>
  (of[round] as Record<string, Spread>)[key] as Spread;

/** Per measure, the floor's and promlite's figures from the round whose ratio is the median. */
function medianRound(rounds: Rounds): Record<'floor' | 'promlite', Record<string, Spread>> {
  const picked = { floor: {} as Record<string, Spread>, promlite: {} as Record<string, Spread> };
  for (const key of Object.keys(rounds.floor[0] as Record<string, Spread>)) {
    const ratio = (round: number) =>
      figure(rounds.promlite, round, key).median / figure(rounds.floor, round, key).median;
    const order = rounds.floor.map((_, round) => round).sort((a, b) => ratio(a) - ratio(b));
    const middle = order[Math.floor(order.length / 2)] as number;
    picked.floor[key] = figure(rounds.floor, middle, key);
    picked.promlite[key] = figure(rounds.promlite, middle, key);
  }
  return picked;
}

const rounds: Rounds = { floor: [], promlite: [] };
for (let round = 0; round < ROUNDS; round++)
  for (const subject of ['floor', 'promlite'] as const) rounds[subject].push(measure(subject));
const picked = medianRound(rounds);
// p99 is already over 300 scrapes; prom-client, 10–100× slower, is measured once.
const results: Record<SubjectName, Record<string, Spread>> = {
  floor: { ...picked.floor, ...(await scrapeLatency('floor')) },
  promlite: { ...picked.promlite, ...(await scrapeLatency('promlite')) },
  'prom-client': { ...measure('prom-client'), ...(await scrapeLatency('prom-client')) },
};

const show = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const cell = ({ median, min }: Spread) =>
  Number.isNaN(min) || min === median ? show(median) : `${show(median)} (${show(min)})`;
console.log(
  `\nNode ${process.version}; medians, minimums in parentheses; each subject in a process of its own; floor and promlite: the round of ${ROUNDS} alternating ones whose ratio is the median (every round's ratio below).\n`,
);
console.log(
  '| measure | unit | floor | promlite | prom-client | promlite × floor | target × floor | prom-client ÷ promlite |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [key, operation, unit, target] of ROWS) {
  const floor = results.floor[key] as Spread;
  const ours = results.promlite[key] as Spread;
  const theirs = results['prom-client'][key] as Spread;
  const overFloor = ours.median / floor.median;
  const met = overFloor <= target ? 'met' : 'missed';
  console.log(
    `| ${operation} | ${unit} | ${cell(floor)} | ${cell(ours)} | ${cell(theirs)} | ${overFloor.toFixed(2)}× | ≤ ${target}× (${met}) | ${(theirs.median / ours.median).toFixed(1)}× |`,
  );
}

console.log(`\npromlite × floor in each round (floor and promlite measured in turns):\n`);
console.log(`| measure | ${rounds.floor.map((_, round) => `round ${round + 1}`).join(' | ')} | target |`);
console.log(`| --- | ${rounds.floor.map(() => '---:').join(' | ')} | --- |`);
for (const [key, operation, , target] of ROWS) {
  if (key === 'scrapeP99') continue;
  const ratios = rounds.floor.map((_, round) => {
    const ratio = figure(rounds.promlite, round, key).median / figure(rounds.floor, round, key).median;
    return `${ratio.toFixed(2)}×`;
  });
  console.log(`| ${operation} | ${ratios.join(' | ')} | ≤ ${target}× |`);
}
