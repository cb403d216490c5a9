// A throwaway Prometheus server for end-to-end tests: Debian's `prometheus`, on a free loopback
// port, with a temporary data directory, stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScrapeJob {
  readonly name: string;
  readonly target: string; // host:port
  readonly metricsPath: string;
  readonly token?: string;
  /** `honor_labels: true`: keep the target's own `job` and `instance` labels (a Pushgateway's). */
  readonly honorLabels?: boolean;
}

export interface RunningPrometheus {
  readonly url: string;
  /** Instant query; returns the result vector. */
  query(promql: string): Promise<VectorSample[]>;
  /** The scrape targets as /api/v1/targets reports them. */
  targets(): Promise<TargetState[]>;
  /** Any API path's `data`. */
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
  /** What the server printed, for failure messages. */
  log(): string;
}

export interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export interface TargetState {
  readonly labels: Record<string, string>;
  readonly health: string;
  readonly lastError: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Extra settings of a throwaway Prometheus. */
export interface PrometheusOptions {
  /** More command-line flags, e.g. `--enable-feature=native-histograms,exemplar-storage`. */
  readonly flags?: readonly string[];
}

export async function startPrometheus(
  jobs: readonly ScrapeJob[],
  options: PrometheusOptions = {},
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'promlite-prometheus-'));
  const scrapeConfigs = jobs.map((job, i) => {
    let auth = '';
    if (job.token !== undefined) {
      const tokenFile = join(dir, `token-${i}`);
      writeFileSync(tokenFile, `${job.token}\n`);
      auth = `\n    authorization:\n      type: Bearer\n      credentials_file: ${tokenFile}`;
    }
    const honor = job.honorLabels === true ? '\n    honor_labels: true' : '';
    return `  - job_name: ${job.name}\n    scrape_interval: 1s\n    scrape_timeout: 1s\n    metrics_path: ${job.metricsPath}${auth}${honor}\n    static_configs:\n      - targets: ['${job.target}']`;
  });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, `global:\n  scrape_interval: 1s\nscrape_configs:\n${scrapeConfigs.join('\n')}\n`);
  return launchPrometheus(configFile, dir, options.flags);
}

/**
 * Starts Prometheus on a configuration file that is already written; `dir` (a temporary
 * directory of the caller's) holds its data and is removed on stop.
 */
export async function launchPrometheus(
  configFile: string,
  dir: string,
  flags: readonly string[] = [],
): Promise<RunningPrometheus> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      ...flags,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus API ${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const running: RunningPrometheus = {
    url,
    query: async (promql) =>
      (await api<{ result: VectorSample[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result,
    targets: async () => (await api<{ activeTargets: TargetState[] }>('/api/v1/targets')).activeTargets,
    api,
    stop,
    log: () => output,
  };
  // Ready means the web API answers; scrapes start a few seconds later.
  await waitUntilReady(`${url}/-/ready`, child, 150, async () => {
    await stop();
    return `Prometheus did not become ready:\n${output}`;
  });
  return running;
}

/**
 * Polls `readyUrl` every 100 ms until it answers 2xx; when the process has exited or `attempts`
 * polls failed, throws what `giveUp` says (after it cleaned up).
 */
export async function waitUntilReady(
  readyUrl: string,
  child: ChildProcess,
  attempts: number,
  giveUp: () => Promise<string>,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(readyUrl)).ok) return;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || child.signalCode !== null || attempt > attempts) throw new Error(await giveUp());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until `check` returns a value, or fails after `timeoutMs` with what `describe` says. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => Promise<string> | string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
