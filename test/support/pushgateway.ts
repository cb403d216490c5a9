// A throwaway Pushgateway for end-to-end tests: Debian's `prometheus-pushgateway`, on a free
// loopback port, with a temporary persistence file, stopped by its PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { eventually, freePort, waitUntilReady } from './prometheus.js';

/** One group as the gateway's `/api/v1/metrics` reports it. */
export interface GatewayGroup {
  readonly labels: Record<string, string>;
  readonly last_push_successful: boolean;
  /** Every pushed family by name (plus `push_time_seconds` and `push_failure_time_seconds`). */
  readonly [family: string]: unknown;
}

/** One pushed family of a group. */
export interface GatewayFamily {
  readonly type: string;
  readonly help: string;
  readonly metrics: readonly {
    readonly labels: Record<string, string>;
    readonly value?: string;
    readonly count?: string;
    readonly sum?: string;
    readonly buckets?: Record<string, string>;
  }[];
}

export interface RunningPushgateway {
  /** The base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `host:port`, for a scrape config. */
  readonly host: string;
  /** Every group, from `/api/v1/metrics`. */
  groups(): Promise<GatewayGroup[]>;
  /** The group whose labels are exactly `labels`, or undefined. */
  group(labels: Record<string, string>): Promise<GatewayGroup | undefined>;
  /**
   * Whether the group is gone, waiting up to 10 s for it to go: the gateway answers a DELETE
   * with 202 Accepted and applies it afterwards. Never resolves false before that wait.
   */
  gone(labels: Record<string, string>): Promise<boolean>;
  stop(): Promise<void>;
  /** What the gateway printed, for failure messages. */
  log(): string;
}

/** A family of a group, typed; undefined when the group has none of that name. */
export function familyOf(group: GatewayGroup | undefined, name: string): GatewayFamily | undefined {
  return group?.[name] as GatewayFamily | undefined;
}

export async function startPushgateway(): Promise<RunningPushgateway> {
  const dir = mkdtempSync(join(tmpdir(), 'promlite-pushgateway-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const child: ChildProcess = spawn(
    'prometheus-pushgateway',
    [`--web.listen-address=${host}`, `--persistence.file=${join(dir, 'metrics.db')}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('error', (error) => (output += `spawn failed: ${error.message}\n`));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const groups = async () => {
    const body = (await (await fetch(`${url}/api/v1/metrics`)).json()) as { status: string; data: GatewayGroup[] };
    if (body.status !== 'success') throw new Error(`Pushgateway /api/v1/metrics: ${JSON.stringify(body)}`);
    return body.data;
  };
  const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
    JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  const group = async (labels: Record<string, string>) =>
    (await groups()).find((candidate) => sameLabels(candidate.labels, labels));
  const running: RunningPushgateway = {
    url,
    host,
    groups,
    group,
    gone: (labels) =>
      eventually(
        async () => ((await group(labels)) === undefined ? true : undefined),
        10_000,
        () => 'still there',
      ).catch(() => false),
    stop,
    log: () => output,
  };
  await waitUntilReady(`${url}/-/ready`, child, 100, async () => {
    await stop();
    return `the Pushgateway did not become ready:\n${output}`;
  });
  return running;
}

/**
 * Starts a Pushgateway before the tests of the enclosing `describe` and stops it after them, with
 * its URL in `PUSHGATEWAY_URL` meanwhile (as a cron job would read it; child processes inherit it).
 * Returns a getter of the running gateway.
 */
export function usePushgatewayFromEnv(): () => RunningPushgateway {
  let gateway: RunningPushgateway | undefined;
  const previous = process.env.PUSHGATEWAY_URL;
  beforeAll(async () => {
    gateway = await startPushgateway();
    process.env.PUSHGATEWAY_URL = gateway.url;
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.PUSHGATEWAY_URL;
    else process.env.PUSHGATEWAY_URL = previous;
    await gateway?.stop();
  });
  return () => {
    if (gateway === undefined) throw new Error('the Pushgateway has not started');
    return gateway;
  };
}
