// A cluster for bench/aggregation.ts: `aggregation-cluster.ts <promlite|prom-client> <workers> <series>`.
// The primary forks the workers, each filling the same registry of `series` series (the one the
// other size benchmarks fill) and changing 500 of them every 50 ms, and serves the aggregate at /metrics the library's own way, plus
// /stats (the worst event-loop delay of the primary since /stats/reset, on the wall clock and in
// CPU time). Prints its port once
// every worker is online.
import cluster from 'node:cluster';
import { createServer, type RequestListener } from 'node:http';
import { setPriority } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import promClient from 'prom-client';
import { MetricsAggregator, metricsHandler, shareMetrics } from '../src/index.js';
import { fillPeer, fillPromlite } from './registries.js';

const [library = 'promlite', workersText = '4', seriesText = '10000'] = process.argv.slice(2);
const workers = Number(workersText);
const series = Number(seriesText);

if (cluster.isPrimary) {
  let metrics: RequestListener;
  if (library === 'promlite') {
    metrics = metricsHandler(new MetricsAggregator({ timeoutMs: 10_000 }), { openMetrics: false });
  } else {
    // prom-client's documented way: AggregatorRegistry.clusterMetrics() in the primary.
    const aggregator = new promClient.AggregatorRegistry();
    metrics = (_, response) => {
      aggregator.clusterMetrics().then(
        (body) => {
          response.writeHead(200, { 'Content-Type': aggregator.contentType });
          response.end(body);
        },
        () => {
          response.writeHead(500);
          response.end();
        },
      );
    };
  }
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // The machine is shared (workers, other jobs): wall-clock delay includes waiting for a core. The
  // process's CPU time between two 1 ms probes is the work that kept the event loop busy.
  let cpuStallMs = 0;
  let lastCpu = process.cpuUsage();
  setInterval(() => {
    const cpu = process.cpuUsage();
    cpuStallMs = Math.max(cpuStallMs, (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000);
    lastCpu = cpu;
  }, 1);
  const server = createServer((request, response) => {
    if (request.url === '/stats') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ maxDelayMs: delay.max / 1e6, cpuStallMs }));
    } else if (request.url === '/stats/reset') {
      delay.reset();
      cpuStallMs = 0;
      lastCpu = process.cpuUsage();
      response.end();
    } else metrics(request, response);
  });
  let online = 0;
  cluster.on('message', (_, message: { ready?: boolean }) => {
    if (message?.ready === true && ++online === workers) {
      server.listen(0, '127.0.0.1', () => console.log(String((server.address() as { port: number }).port)));
    }
  });
  // Workers run at the lowest priority, so that the primary is measured, not the competition for cores.
  cluster.on('online', (worker) => setPriority(worker.process.pid as number, 19));
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  // Live traffic: every 50 ms, 500 series change, so that every scrape carries new values.
  let update: (labels: { service: string; route: string }, i: number) => void;
  if (library === 'promlite') {
    const registry = fillPromlite(series);
    const labelNames = ['service', 'route'] as const;
    const counter = registry.counter({ name: 'requests_total', help: 'Requests.', labelNames });
    const histogram = registry.histogram({ name: 'request_duration_seconds', help: 'Latency.', labelNames });
    update = (labels, i) => {
      counter.inc(labels);
      histogram.observe(labels, (i % 100) * 0.01);
    };
    shareMetrics(registry);
  } else {
    // Its workers answer once an AggregatorRegistry exists in them (its constructor adds the listener).
    new promClient.AggregatorRegistry();
    const registry = fillPeer(promClient, series);
    const counter = registry.getSingleMetric('requests_total') as promClient.Counter;
    const histogram = registry.getSingleMetric('request_duration_seconds') as promClient.Histogram;
    update = (labels, i) => {
      counter.inc(labels);
      histogram.observe(labels, (i % 100) * 0.01);
    };
    promClient.AggregatorRegistry.setRegistries([registry]);
  }
  let next = 0;
  setInterval(() => {
    for (let k = 0; k < 500; k++) {
      const i = next++ % (series / 2);
      update({ service: `svc${i % 10}`, route: `/route/${i}` }, i);
    }
  }, 50);
  process.send?.({ ready: true });
  process.on('SIGTERM', () => process.exit(0));
}
