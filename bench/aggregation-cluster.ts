// A cluster for bench/aggregation.ts: `aggregation-cluster.ts <promlite|prom-client> <workers> <series>`.
// The primary forks the workers, each filling the same registry of `series` series (the one the
// other size benchmarks fill), and serves the aggregate at /metrics the library's own way, plus
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
  if (library === 'promlite') shareMetrics(fillPromlite(series));
  else {
    // Its workers answer once an AggregatorRegistry exists in them (its constructor adds the listener).
    new promClient.AggregatorRegistry();
    promClient.AggregatorRegistry.setRegistries([fillPeer(promClient, series)]);
  }
  process.send?.({ ready: true });
  process.on('SIGTERM', () => process.exit(0));
}
