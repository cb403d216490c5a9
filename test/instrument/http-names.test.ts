// instrumentHttp with a service's own metric and label names (a proxy's `requests_total{method,path,status}`),
// a status class label, and families left out.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentHttp, PromliteError, Registry, render } from '../../src/index.js';
import { promtoolCheckMetrics } from '../support/consumers.js';
import { fetchRaw } from '../support/http.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serveStatuses(http: ReturnType<typeof instrumentHttp>): Promise<string> {
  const server = createServer(
    http.wrap((request, response) => {
      response.statusCode = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
      response.end('body');
    }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('instrumentHttp names and labels', () => {
  it("records under the service's names, with a status class, and leaves out what it turns off", async () => {
    const registry = new Registry({ prefix: 'proxy_' });
    const http = instrumentHttp(registry, {
      names: { requests: 'requests_total', duration: 'latency_seconds', requestSize: false, inFlight: false },
      labels: { route: 'path', statusClass: 'class' },
    });
    const base = await serveStatuses(http);
    await fetchRaw(`${base}/orders/42?status=201`);
    await fetchRaw(`${base}/orders/43?status=503`);
    await fetchRaw(`${base}/orders/44?status=503`);
    const text = render(registry.snapshot());
    expect(text).toContain('proxy_requests_total{method="GET",path="/orders/:id",status="201",class="2xx"} 1\n');
    expect(text).toContain('proxy_requests_total{method="GET",path="/orders/:id",status="503",class="5xx"} 2\n');
    expect(text).toContain('proxy_latency_seconds_count{method="GET",path="/orders/:id"} 3\n');
    expect(text).toContain('proxy_http_response_size_bytes_total{method="GET",path="/orders/:id"}');
    expect(text).not.toContain('request_size');
    expect(text).not.toContain('in_flight');
    expect(text).not.toContain('http_requests_total');
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('can record the status class alone, under the name a dashboard expects', async () => {
    const registry = new Registry();
    const http = instrumentHttp(registry, { labels: { status: false, statusClass: 'code' } });
    const base = await serveStatuses(http);
    await fetchRaw(`${base}/a?status=429`);
    await fetchRaw(`${base}/a?status=418`);
    expect(render(registry.snapshot())).toContain('http_requests_total{method="GET",route="/a",code="4xx"} 2\n');
  });

  it('refuses label names used twice, unknown keys and wrong types, by name', () => {
    const registry = new Registry();
    const error = (() => {
      try {
        instrumentHttp(registry, { labels: { route: 'method' } });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as Error).message).toBe('instrumentHttp: label names must differ, got method, method, status');
    expect(() => instrumentHttp(registry, { names: { request: 'x_total' } as never })).toThrow(
      /instrumentHttp names: unknown option "request"/,
    );
    expect(() => instrumentHttp(registry, { labels: { status: true } as never })).toThrow(
      /instrumentHttp labels: option "status" must be a string or false, got true/,
    );
    expect(() => instrumentHttp(registry, { names: { requests: 'requests-total' } })).toThrow(/must match/);
  });
});
