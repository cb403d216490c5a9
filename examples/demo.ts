// The promlite demo: a small service running simulated background jobs of a few kinds
// (random durations, some failures) through observeJob/timeJob, serving /metrics.
// Configure with the METRICS_* variables (see docs); Ctrl-C stops it cleanly.
// METRICS_CLUSTER_WORKERS=N runs it under node:cluster: N workers run the jobs and the API, and
// the primary serves their aggregate (docs/cluster.md).
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request as httpRequest } from 'node:http';
import {
  createMetricsServer,
  HealthChecks,
  instrumentHttp,
  loadMetricsConfig,
  MetricsAggregator,
  PromliteError,
  registerProcessMetrics,
  Registry,
  shareMetrics,
} from '../src/index.js';

const JOB_KINDS = [
  { kind: 'send-email', meanSeconds: 0.3, failureRate: 0.05 },
  { kind: 'resize-image', meanSeconds: 1.2, failureRate: 0.1 },
  { kind: 'nightly-report', meanSeconds: 4, failureRate: 0.2 },
  { kind: 'sync-billing', meanSeconds: 0.8, failureRate: 0.15 },
] as const;

const registry = new Registry();
registry.buildInfo({ version: '0.1.0', commit: 'demo' });
const processMetrics = registerProcessMetrics(registry);
let lastJobFinishedAt = Date.now();
const health = new HealthChecks(registry)
  // Critical: the job runner is alive if some job finished in the last 30 seconds.
  .add('job-runner', () => {
    const idleSeconds = (Date.now() - lastJobFinishedAt) / 1000;
    if (idleSeconds > 30) throw new Error(`no job finished for ${Math.round(idleSeconds)} s`);
    return `last job ${idleSeconds.toFixed(1)} s ago`;
  })
  // Not critical: a flaky third party degrades the service but does not take it out of rotation.
  .add('email-provider', () => Math.random() > 0.2 || Promise.reject(new Error('simulated outage')), {
    critical: false,
    timeoutMs: 1000,
  });
const queueDepth = registry.gauge({ name: 'demo_queue_depth', help: 'Jobs waiting, by kind.', labelNames: ['kind'] });
const timers = new Set<NodeJS.Timeout>();

/** Waits a random, roughly exponential time around `meanSeconds`, in simulated work. */
function work(meanSeconds: number, failureRate: number): Promise<void> {
  const seconds = Math.min(-Math.log(1 - Math.random()) * meanSeconds, meanSeconds * 8);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      lastJobFinishedAt = Date.now();
      if (Math.random() < failureRate) reject(new Error('simulated failure'));
      else resolve();
    }, seconds * 1000);
    timers.add(timer);
  });
}

function scheduleJobs(): void {
  for (const { kind, meanSeconds, failureRate } of JOB_KINDS) {
    const tick = () => {
      queueDepth.set({ kind }, Math.floor(Math.random() * 20));
      // Half the runs through timeJob, half through the observeJob hook a job runner would call.
      if (Math.random() < 0.5) {
        registry.timeJob(kind, () => work(meanSeconds, failureRate)).catch(() => {});
      } else {
        const started = performance.now();
        work(meanSeconds, failureRate).then(
          () => registry.observeJob(kind, 'success', (performance.now() - started) / 1000),
          () => registry.observeJob(kind, 'failure', (performance.now() - started) / 1000),
        );
      }
      const next = setTimeout(tick, 200 + Math.random() * 800);
      timers.delete(timer);
      timers.add(next);
      timer = next;
    };
    let timer = setTimeout(tick, Math.random() * 500);
    timers.add(timer);
  }
}

/** The trace id of a request's W3C `traceparent` header, as a traced service would read it. */
function traceIdOf(request: IncomingMessage): { trace_id: string } | undefined {
  const found = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(String(request.headers.traceparent));
  return found?.[1] === undefined ? undefined : { trace_id: found[1] };
}

/**
 * A small instrumented API on a free loopback port, and a client calling it a few times a
 * second with a fresh trace id per request, so the HTTP metrics have something to show: the
 * request latency is a native histogram (classic buckets kept) whose exemplars are trace ids.
 */
async function startApiTraffic(): Promise<() => Promise<void>> {
  const http = instrumentHttp(registry, { native: {}, exemplar: traceIdOf });
  const api = createServer(
    http.wrap((request, response) => {
      const fail = Math.random() < 0.05;
      setTimeout(() => {
        response.statusCode = request.url?.startsWith('/api/') ? (fail ? 500 : 200) : 404;
        response.end('{}');
      }, Math.random() * 80);
    }),
  );
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const port = (api.address() as { port: number }).port;
  const paths = ['/api/orders/17', '/api/orders/42', '/api/users/7/profile', '/api/search?q=shoes', '/favicon.ico'];
  const call = () => {
    const path = paths[Math.floor(Math.random() * paths.length)] as string;
    const method = Math.random() < 0.2 ? 'POST' : 'GET';
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    httpRequest({ host: '127.0.0.1', port, path, method, headers: { traceparent } }, (response) => response.resume())
      .on('error', () => {})
      .end();
    const next = setTimeout(call, 100 + Math.random() * 300);
    timers.add(next);
  };
  call();
  return () => {
    api.closeAllConnections();
    return new Promise((resolve) => api.close(() => resolve()));
  };
}

/** The primary's health in cluster mode: it is ready while some worker runs. */
function clusterHealth(): HealthChecks {
  return new HealthChecks(registry).add('workers', () => {
    const alive = Object.values(cluster.workers ?? {}).filter((worker) => worker?.isDead() === false).length;
    if (alive === 0) throw new Error('no worker running');
    return `${alive} workers running`;
  });
}

/** METRICS_CLUSTER_WORKERS: 0 (not set) runs one process. */
function clusterWorkers(): number {
  const text = process.env.METRICS_CLUSTER_WORKERS ?? '0';
  const workers = Number(text);
  if (!/^\d+$/.test(text) || workers > 64) {
    console.error(
      `promlite demo: METRICS_CLUSTER_WORKERS must be an integer from 0 to 64, got ${JSON.stringify(text)}`,
    );
    process.exit(2);
  }
  return workers;
}

/** A cluster worker: runs the jobs and the API, and shares its registry with the primary. */
async function workerMain(): Promise<void> {
  const sharing = shareMetrics(registry);
  scheduleJobs();
  const stopApi = await startApiTraffic();
  const stop = async () => {
    for (const timer of timers) clearTimeout(timer);
    processMetrics.stop();
    sharing.stop();
    await stopApi();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function main(): Promise<void> {
  const workers = clusterWorkers();
  if (cluster.isWorker) return workerMain();
  let config: ReturnType<typeof loadMetricsConfig>;
  try {
    config = loadMetricsConfig();
  } catch (error) {
    if (error instanceof PromliteError) {
      console.error(`promlite demo: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  // In cluster mode the primary serves the aggregate of its own registry and every worker's; its
  // gauges are summed, but for the process start time (the oldest), timestamps (the latest) and
  // event-loop lag (the worst).
  const aggregator =
    workers === 0
      ? undefined
      : new MetricsAggregator({
          registry,
          gauges: (name) =>
            name === 'process_start_time_seconds'
              ? 'min'
              : name.endsWith('_timestamp_seconds') || name.startsWith('nodejs_eventloop_lag')
                ? 'max'
                : 'sum',
        });
  const served = aggregator ?? registry;
  const checks = aggregator === undefined ? health : clusterHealth();
  const server = await createMetricsServer({ registry: served, ...config, health: checks, statusPage: true }).catch(
    (error: unknown) => {
      if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
      console.error(
        `promlite demo: port ${config.port} on ${config.host} is already in use; pick another with METRICS_PORT, e.g. METRICS_PORT=${config.port + 1} make run`,
      );
      process.exit(2);
    },
  );
  let stopping = false;
  let stopApi = async () => {};
  if (aggregator === undefined) {
    scheduleJobs();
    stopApi = await startApiTraffic();
  } else {
    // A worker that dies is replaced; its counts stay in the aggregate.
    cluster.on('exit', () => {
      if (!stopping) cluster.fork();
    });
    for (let i = 0; i < workers; i++) cluster.fork();
    console.log(`promlite demo: cluster mode, ${workers} workers; /metrics and the status page show their aggregate`);
  }
  const auth = config.token === undefined ? '' : " -H 'Authorization: Bearer $METRICS_TOKEN'";
  console.log(`promlite demo: metrics at ${server.url}${config.enabled ? '' : ' (disabled: METRICS_ENABLED=false)'}`);
  console.log(`try: curl -s${auth} ${server.url}`);
  const base = server.url.replace(/\/metrics$/, '');
  console.log(`status page: ${base}/ · health: ${base}/health (also /health/live, /health/ready)`);
  console.log('Ctrl-C stops it.');

  const stop = async (signal: string) => {
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    processMetrics.stop();
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker === undefined || worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    aggregator?.close();
    await stopApi();
    await server.close();
    console.log(`promlite demo: stopped (${signal})`);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

await main();
