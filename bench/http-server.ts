// A hello-world server for bench/http-overhead.ts, in its own process:
// `http-server.ts <bare|promlite|prom-client>`. Prints its port.
import { createServer, type RequestListener } from 'node:http';
import promClient from 'prom-client';
import { instrumentHttp, Registry } from '../src/index.js';

const hello: RequestListener = (_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' });
  response.end('hello world\n');
};

/** prom-client the usual way: a timer per request, labels set when the response finishes. */
function promClientInstrumented(): RequestListener {
  const registry = new promClient.Registry();
  const duration = new promClient.Histogram({
    name: 'http_request_duration_seconds',
    help: 'h',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const requests = new promClient.Counter({
    name: 'http_requests_total',
    help: 'h',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  return (request, response) => {
    const end = duration.startTimer();
    response.on('finish', () => {
      const labels = { method: request.method ?? '', route: request.url ?? '', status: String(response.statusCode) };
      end(labels);
      requests.inc(labels);
    });
    hello(request, response);
  };
}

const mode = process.argv[2] ?? 'bare';
const listener =
  mode === 'promlite'
    ? (instrumentHttp(new Registry()).wrap(hello) as RequestListener)
    : mode === 'prom-client'
      ? promClientInstrumented()
      : hello;
const server = createServer(listener);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(String((server.address() as { port: number }).port)));
process.on('SIGTERM', () => process.exit(0));
