// A real node:cluster service (test/cluster/cluster.test.ts): the primary forks WORKERS workers
// that all listen on APP_PORT, replaces any that dies, and serves the aggregate on a port of its
// own; each worker counts its requests and serves the cluster-wide view at /metrics on the shared
// port. Prints `worker <pid> listening` for each worker, and one JSON line once the first
// WORKERS listen: { metricsUrl }.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { createMetricsServer, MetricsAggregator, metricsHandler, Registry, shareMetrics } from '../../src/index.js';

const workers = Number(process.env.WORKERS ?? 3);
const appPort = Number(process.env.APP_PORT);

if (cluster.isPrimary) {
  const registry = new Registry();
  const forks = registry.counter({ name: 'app_worker_forks_total', help: 'Workers forked by the primary.' });
  // AGGREGATE_LATE=1: the aggregator is created only once every worker listens (and shares).
  const late = process.env.AGGREGATE_LATE === '1';
  let aggregator = late ? undefined : new MetricsAggregator({ registry, timeoutMs: 500 });
  let stopping = false;
  const fork = () => {
    forks.inc();
    cluster.fork();
  };
  cluster.on('exit', () => {
    if (!stopping) fork();
  });
  const source = { registry, snapshot: () => (aggregator as MetricsAggregator).snapshot() };
  const metrics = await createMetricsServer({ registry: source, port: 0 });
  let listening = 0;
  cluster.on('listening', (worker) => {
    console.log(`worker ${worker.process.pid} listening`);
    if (++listening !== workers) return;
    aggregator ??= new MetricsAggregator({ registry, timeoutMs: 500 });
    console.log(JSON.stringify({ metricsUrl: metrics.url }));
  });
  for (let i = 0; i < workers; i++) fork();
  process.once('SIGTERM', () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    void metrics.close().then(() => process.exit(0));
  });
} else {
  const registry = new Registry();
  const requests = registry.counter({ name: 'app_requests_total', help: 'Requests answered.' });
  const inFlight = registry.gauge({ name: 'app_requests_in_flight', help: 'Requests being answered.' });
  // Values JSON cannot carry (cluster IPC serializes as JSON): they must arrive as they are.
  const odd = registry.gauge({ name: 'app_odd_value', help: 'Values JSON has no number for.', labelNames: ['kind'] });
  odd.set({ kind: 'nan' }, Number.NaN);
  odd.set({ kind: 'plus_inf' }, Infinity);
  odd.set({ kind: 'minus_inf' }, -Infinity);
  const sharing = shareMetrics(registry);
  const clusterView = metricsHandler(sharing.aggregate);
  createServer((request, response) => {
    response.setHeader('X-Worker', String(process.pid));
    if (request.url === '/work') {
      inFlight.inc();
      requests.inc();
      inFlight.dec();
      response.end(String(process.pid));
    } else clusterView(request, response);
  }).listen(appPort, '127.0.0.1');
  process.once('SIGTERM', () => process.exit(0));
}
