// `make bench`, part 2: scraping over HTTP. Each library runs behind the same kind of
// node:http server in a process of its own; this process is the scraper.
import { getJson, scrape, startServer, steadyLatency, stopServer } from './scrape-client.js';

/** Scrapes per second, back to back, for `seconds`. */
async function maxRate(port: number, gzip: boolean, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let count = 0;
  const started = Date.now();
  while (Date.now() < deadline) {
    await scrape(port, '/metrics', gzip);
    count++;
  }
  return count / ((Date.now() - started) / 1000);
}

/**
 * Longest event-loop stall in the server while it answers `rounds` rounds of `concurrent`
 * simultaneous scrapes (alternating plain and gzip between rounds, the same within a round).
 */
async function worstStall(port: number, concurrent: number, rounds: number): Promise<number> {
  await scrape(port, '/metrics', false);
  await fetch(`http://127.0.0.1:${port}/stats/reset`);
  for (let i = 0; i < rounds; i++)
    await Promise.all(Array.from({ length: concurrent }, () => scrape(port, '/metrics', i % 2 === 1)));
  return (await getJson<{ maxDelayMs: number }>(port, '/stats')).maxDelayMs;
}

const LIBRARIES = ['promlite', 'prom-client'] as const;
// `bench/scrape.ts stall` measures only the event-loop stalls (a quick check while working).
const onlyStalls = process.argv.includes('stall');
const rows: string[] = [];
const results: Record<string, Record<string, number>> = { promlite: {}, 'prom-client': {} };
for (const library of LIBRARIES) {
  if (!onlyStalls) {
    const server = await startServer(library, 10_000);
    try {
      for (const gzip of [false, true]) {
        const { p50, p99 } = await steadyLatency(server.port, gzip, 60);
        const rate = await maxRate(server.port, gzip, 4);
        const suffix = gzip ? 'gzip' : 'plain';
        Object.assign(results[library]!, { [`p50 ${suffix}`]: p50, [`p99 ${suffix}`]: p99, [`rate ${suffix}`]: rate });
      }
    } finally {
      await stopServer(server);
    }
  }
  const big = await startServer(library, 100_000);
  try {
    results[library]!.stall = await worstStall(big.port, 1, 6);
    results[library]!['stall 10'] = await worstStall(big.port, 10, 4);
  } finally {
    await stopServer(big);
  }
}
const row = (operation: string, key: string, unit: string, higherIsBetter: boolean, target = '') => {
  if (!(key in results.promlite!)) return;
  const ours = results.promlite![key] as number;
  const theirs = results['prom-client']![key] as number;
  const ratio = higherIsBetter ? ours / theirs : theirs / ours;
  rows.push(
    `| ${operation} | ${unit} | ${ours.toFixed(1)} | ${theirs.toFixed(1)} | ${ratio.toFixed(1)}× better | ${target} |`,
  );
};
for (const suffix of ['plain', 'gzip']) {
  row(`scrape latency p50, 10,000 series, 10/s, ${suffix}`, `p50 ${suffix}`, 'ms', false);
  row(`scrape latency p99, 10,000 series, 10/s, ${suffix}`, `p99 ${suffix}`, 'ms', false, '≤ 1/5 (5×)');
  row(`max scrapes/s, 10,000 series, ${suffix}`, `rate ${suffix}`, 'scrapes/s', true);
}
row('worst event-loop stall, 1 scrape at a time, 100,000 series', 'stall', 'ms', false, '< 50 ms');
row('worst event-loop stall, 10 concurrent scrapes, 100,000 series', 'stall 10', 'ms', false, '≤ 25 ms');
console.log('\n| scrape over HTTP | unit | promlite | prom-client | promlite is | target |');
console.log('| --- | --- | ---: | ---: | ---: | --- |');
for (const line of rows) console.log(line);
