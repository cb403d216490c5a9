// A metrics server for bench/scrape.ts, run as its own process so the load client does not
// share its event loop: `scrape-server.ts <promlite|prom-client|floor> <series>`. Prints its port,
// then serves /metrics and /stats (event-loop delay while serving).
import { createServer, type RequestListener } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzip } from 'node:zlib';
import promClient from 'prom-client';
import { metricsHandler } from '../src/index.js';
import { fillPeer, fillPromlite } from './registries.js';
import { SUBJECTS } from './floor/subjects.js';

const [library = 'promlite', seriesText = '10000'] = process.argv.slice(2);
const series = Number(seriesText);

function promliteListener(): RequestListener {
  return metricsHandler(fillPromlite(series), { openMetrics: false, maxConcurrentScrapes: 64 });
}

/** prom-client served the usual way: await registry.metrics(), gzip when accepted. */
function promClientListener(): RequestListener {
  const registry = fillPeer(promClient, series);
  return (request, response) => {
    void registry.metrics().then((body) => {
      const headers = { 'Content-Type': registry.contentType };
      if (!/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
        response.writeHead(200, headers);
        response.end(body);
        return;
      }
      gzip(body, (error, zipped) => {
        if (error) throw error;
        response.writeHead(200, { ...headers, 'Content-Encoding': 'gzip' });
        response.end(zipped);
      });
    });
  };
}

/** The plain-JavaScript floor (bench/floor/): its render written out, text only, no compression. */
function floorListener(): RequestListener {
  const { scrape } = (SUBJECTS.floor as (typeof SUBJECTS)[string]).fill(series);
  return (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(scrape() as Buffer);
  };
}

const LISTENERS: Record<string, () => RequestListener> = {
  promlite: promliteListener,
  'prom-client': promClientListener,
  floor: floorListener,
};
const metrics = (LISTENERS[library] ?? promliteListener)();
const delay = monitorEventLoopDelay({ resolution: 5 });
const server = createServer((request, response) => {
  if (request.url === '/stats') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ maxDelayMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6 }));
    return;
  }
  if (request.url === '/stats/reset') {
    delay.reset();
    response.end();
    return;
  }
  metrics(request, response);
});
delay.enable();
server.listen(0, '127.0.0.1', () => {
  console.log(String((server.address() as { port: number }).port));
});
process.on('SIGTERM', () => process.exit(0));
