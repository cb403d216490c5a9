// A real node:cluster service, three workers on one port, scraped by a real Prometheus both on
// the shared port (whichever worker answers serves the cluster-wide view) and on the primary's own
// metrics port. The stored counter equals the number of requests exactly; a worker killed
// mid-run (the primary forks a replacement) never makes it go down.
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort, type RunningPrometheus, startPrometheus } from '../support/prometheus.js';

let app: ChildProcess;
let appOutput = () => '';
let appPort: number;
let metricsUrl: URL;
let prometheus: RunningPrometheus;

interface App {
  readonly child: ChildProcess;
  readonly port: number;
  readonly metricsUrl: URL;
  output(): string;
}

/** Starts test/support/cluster-app.ts with `workers` workers on a free port. */
async function startApp(workers: number, env: Record<string, string> = {}): Promise<App> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/cluster-app.ts'], {
    cwd: new URL('../..', import.meta.url),
    env: { ...process.env, APP_PORT: String(port), WORKERS: String(workers), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await eventually(
    async () => /"metricsUrl":"([^"]+)"/.exec(output)?.[1],
    20_000,
    () => output,
  );
  return { child, port, metricsUrl: new URL(url), output: () => output };
}

async function stopApp(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One request on a connection of its own (so the primary's round robin spreads them). */
function call(path: string, port = appPort): Promise<{ worker: string; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ worker: String(response.headers['x-worker']), body }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** `count` requests to /work, four at a time; resolves with the pids that answered. */
async function work(count: number): Promise<Set<string>> {
  const pids = new Set<string>();
  let sent = 0;
  const lane = async () => {
    while (sent < count) {
      sent++;
      pids.add((await call('/work')).body);
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return pids;
}

/** The value Prometheus stores now for `promql`, per job. */
async function stored(promql: string): Promise<Record<string, string>> {
  const result = await prometheus.query(promql);
  const entries = result.map((sample) => [sample.metric.job ?? '', sample.value[1]] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

const waitForStored = (promql: string, expected: Record<string, string>) =>
  eventually(
    async () => {
      const now = await stored(promql);
      return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
    },
    20_000,
    async () =>
      `${promql}: ${JSON.stringify(await stored(promql))}, expected ${JSON.stringify(expected)}\n${appOutput()}`,
  );

beforeAll(async () => {
  const started = await startApp(3);
  app = started.child;
  appPort = started.port;
  metricsUrl = started.metricsUrl;
  appOutput = started.output;
  prometheus = await startPrometheus([
    { name: 'workers', target: `127.0.0.1:${appPort}`, metricsPath: '/metrics' },
    { name: 'primary', target: metricsUrl.host, metricsPath: metricsUrl.pathname },
  ]);
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await stopApp(app);
});

describe('a cluster scraped by a real Prometheus', () => {
  it('stores the exact request count, monotonic through a worker killed and replaced', async () => {
    const before = await work(120);
    expect(before.size).toBeGreaterThan(1); // the requests were spread over the workers
    await waitForStored('app_requests_total', { primary: '120', workers: '120' });

    const killed = [...before][0] as string;
    process.kill(Number(killed), 'SIGKILL');
    await waitForStored('app_worker_forks_total', { primary: '4', workers: '4' });
    await eventually(
      async () => (appOutput().match(/^worker \d+ listening$/gm)?.length === 4 ? true : undefined),
      20_000,
      () => `no replacement listening:\n${appOutput()}`,
    );
    const after = await work(80);
    expect(after.has(killed)).toBe(false);
    expect([...after].some((pid) => !before.has(pid))).toBe(true); // the replacement answered some
    await waitForStored('app_requests_total', { primary: '200', workers: '200' });

    expect(await stored('resets(app_requests_total[5m])')).toEqual({ primary: '0', workers: '0' });
    // Every stored sample, in order: never a step down, in either job.
    const range = await prometheus.api<{ result: { metric: { job: string }; values: [number, string][] }[] }>(
      `/api/v1/query_range?query=app_requests_total&start=${Date.now() / 1000 - 300}&end=${Date.now() / 1000}&step=1`,
    );
    expect(range.result).toHaveLength(2);
    for (const series of range.result) {
      const values = series.values.map(([, value]) => Number(value));
      expect(values.every((value, i) => i === 0 || value >= (values[i - 1] as number))).toBe(true);
      expect(values.at(-1)).toBe(200);
    }
    expect(await stored('promlite_aggregation_retired_workers_total')).toEqual({ primary: '1', workers: '1' });
  }, 90_000);

  it('answers the same aggregate on the shared port whichever worker takes the scrape', async () => {
    const scrapes = await Promise.all(Array.from({ length: 9 }, () => call('/metrics')));
    expect(new Set(scrapes.map((scrape) => scrape.worker)).size).toBeGreaterThan(1);
    const counts = scrapes.map((scrape) => /^app_requests_total (\d+)$/m.exec(scrape.body)?.[1]);
    expect(new Set(counts)).toEqual(new Set(['200']));
    const primary = await (await fetch(metricsUrl)).text();
    expect(primary).toMatch(/^app_requests_total 200$/m);
    // Over JSON IPC, and summed over three workers: NaN stays NaN, ±Inf stay infinite.
    expect(primary).toMatch(/^app_odd_value\{kind="nan"\} NaN$/m);
    expect(primary).toMatch(/^app_odd_value\{kind="plus_inf"\} \+Inf$/m);
    expect(primary).toMatch(/^app_odd_value\{kind="minus_inf"\} -Inf$/m);
  }, 30_000);
});

describe('an aggregator created after the workers', () => {
  it('asks the workers alive already to say hello again, and counts them all', async () => {
    const late = await startApp(2, { AGGREGATE_LATE: '1' });
    try {
      for (let i = 0; i < 10; i++) await call('/work', late.port);
      const text = await eventually(
        async () => {
          const body = await (await fetch(late.metricsUrl)).text();
          return /^app_requests_total 10$/m.test(body) ? body : undefined;
        },
        10_000,
        late.output,
      );
      expect(text).toMatch(/^promlite_aggregation_workers 2$/m);
      expect(text).toMatch(/^promlite_aggregation_timeouts_total 0$/m);
    } finally {
      await stopApp(late.child);
    }
  }, 40_000);
});
