// `make bench`, part 3: what instrumentation costs a hello-world node:http server, measured with
// wrk (a load generator in C, so the client is not the bottleneck) against each variant in turn.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';

const VARIANTS = ['bare', 'promlite', 'prom-client'] as const;
const ROUNDS = 3;

async function requestsPerSecond(variant: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./http-server.ts', import.meta.url).pathname, variant],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  const url = `http://127.0.0.1:${chunk.toString().trim()}/api/items/42`;
  try {
    execFileSync('wrk', ['-t1', '-c32', '-d2s', url], { encoding: 'utf8' }); // warm-up
    const output = execFileSync('wrk', ['-t1', '-c32', '-d5s', url], { encoding: 'utf8' });
    const match = /Requests\/sec:\s+([\d.]+)/.exec(output);
    if (!match) throw new Error(`unexpected wrk output:\n${output}`);
    return Number(match[1]);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

const best: Record<string, number> = {};
// Rounds interleave the variants, so a slow moment of the machine does not hit one alone.
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of VARIANTS) best[variant] = Math.max(best[variant] ?? 0, await requestsPerSecond(variant));
}
const bare = best.bare as number;
console.log('\n| hello world over node:http (wrk, 32 connections) | req/s | cost vs bare | target |');
console.log('| --- | ---: | ---: | --- |');
for (const variant of VARIANTS) {
  const cost = ((bare - (best[variant] as number)) / bare) * 100;
  const target = variant === 'promlite' ? '≤ 5 %, less than prom-client' : '';
  console.log(
    `| ${variant === 'bare' ? 'bare' : `instrumented by ${variant}`} | ${(best[variant] as number).toFixed(0)} | ${variant === 'bare' ? '—' : `${cost.toFixed(1)} %`} | ${target} |`,
  );
}
