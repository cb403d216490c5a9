import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentHttp, Registry, render, type RequestListener } from '../../src/index.js';
import { normalizeMethod, normalizeStatus, templatePath } from '../../src/instrument/route-label.js';
import { controlClock } from '../support/clock.js';
import { promtoolCheckMetrics } from '../support/consumers.js';
import { fetchRaw } from '../support/http.js';

describe('label helpers', () => {
  it.each([
    ['GET', 'GET'],
    ['get', 'GET'],
    ['PATCH', 'PATCH'],
    ['PROPFIND', 'OTHER'],
    ['', 'OTHER'],
    [undefined, 'OTHER'],
    ['G\nET', 'OTHER'],
  ])('normalizeMethod(%j) → %s', (method, expected) => expect(normalizeMethod(method)).toBe(expected));

  it.each([
    [200, '200'],
    [101, '101'],
    [599, '599'],
    [99, 'unknown'],
    [600, 'unknown'],
    [undefined, 'unknown'],
    [200.5, 'unknown'],
  ])('normalizeStatus(%j) → %s', (status, expected) => expect(normalizeStatus(status)).toBe(expected));

  it.each([
    ['/', '/'],
    ['', '/'],
    [undefined, '/'],
    ['/users/42', '/users/:id'],
    ['/users/42/orders/7?expand=1', '/users/:id/orders/:id'],
    ['/items/3fa85f64-5717-4562-b3fc-2c963f66afa6', '/items/:id'],
    ['/blobs/9f86d081884c7d659a2feaa0c55ad015', '/blobs/:id'],
    ['/blobs/deadbeef', '/blobs/deadbeef'],
    ['/v2/search#frag', '/v2/search'],
    ['*', '(invalid)'],
  ])('templatePath(%j) → %s', (url, expected) => expect(templatePath(url)).toBe(expected));
});

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(listener: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const sample = (text: string, line: RegExp) => Number(line.exec(text)?.[1] ?? NaN);

describe('instrumentHttp over real sockets', () => {
  it('counts one sample per request, with templated route, duration, sizes and in-flight', async () => {
    const registry = new Registry();
    const http = instrumentHttp(registry);
    const base = await listen(
      http.wrap((request, response) => {
        request.resume();
        request.on('end', () => {
          response.writeHead(request.url === '/missing' ? 404 : 200, { 'Content-Type': 'text/plain' });
          response.end('hello\n');
        });
      }),
    );
    await fetchRaw(`${base}/users/42?x=1`);
    await fetchRaw(`${base}/users/7`);
    await fetchRaw(`${base}/missing`);
    const text = render(registry.snapshot());
    expect(text).toContain('http_requests_total{method="GET",route="/users/:id",status="200"} 2\n');
    expect(text).toContain('http_requests_total{method="GET",route="(unmatched)",status="404"} 1\n');
    expect(sample(text, /^http_request_duration_seconds_count\{method="GET",route="\/users\/:id"\} (\d+)$/m)).toBe(2);
    expect(text).toContain('http_requests_in_flight 0\n');
    expect(
      sample(text, /^http_response_size_bytes_total\{method="GET",route="\/users\/:id"\} (\d+)$/m),
    ).toBeGreaterThan(2 * 'hello\n'.length);
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('records durations in seconds: a request answered after 50 ms is in the 0.05 bucket', async () => {
    const registry = new Registry();
    const http = instrumentHttp(registry);
    const clock = controlClock();
    try {
      const base = await listen(
        http.wrap((_request, response) => {
          clock.elapse(50);
          response.end('slow\n');
        }),
      );
      await fetchRaw(`${base}/reports/7`);
      await fetchRaw(`${base}/reports/8`);
    } finally {
      clock.restore();
    }
    const text = render(registry.snapshot());
    const series = '{method="GET",route="/reports/:id"';
    expect(sample(text, new RegExp(`^http_request_duration_seconds_sum\\${series}\\} (\\S+)$`, 'm'))).toBeCloseTo(
      0.1,
      9,
    );
    expect(text).toContain(`http_request_duration_seconds_bucket${series},le="0.025"} 0\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket${series},le="0.05"} 2\n`);
  });

  it('counts request bytes from Content-Length and uses the framework route when given', async () => {
    const registry = new Registry();
    const http = instrumentHttp(registry, {
      route: (request) => (request.url?.startsWith('/api/') ? '/api/:name' : undefined),
    });
    const base = await listen(
      http.wrap((request, response) => {
        request.resume();
        request.on('end', () => response.end('ok'));
      }),
    );
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(
        `${base}/api/widgets`,
        { method: 'POST', headers: { 'Content-Length': '11' } },
        (response) => {
          response.resume();
          response.on('end', resolve);
        },
      );
      request.on('error', reject);
      request.end('hello world');
    });
    const text = render(registry.snapshot());
    expect(text).toContain('http_requests_total{method="POST",route="/api/:name",status="200"} 1\n');
    expect(text).toContain('http_request_size_bytes_total{method="POST",route="/api/:name"} 11\n');
  });

  it('counts a request the client aborts once, as 499', async () => {
    const registry = new Registry();
    const http = instrumentHttp(registry);
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const base = await listen(
      http.wrap((_request, response) => {
        arrived();
        setTimeout(() => response.end('late'), 300);
      }),
    );
    const request = httpRequest(`${base}/slow`);
    request.on('error', () => {});
    request.end();
    await arrival;
    request.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const text = render(registry.snapshot());
    expect(text.match(/^http_requests_total\{/gm)).toHaveLength(1);
    expect(text).toContain('http_requests_total{method="GET",route="/slow",status="499"} 1\n');
    expect(text).toContain('http_requests_in_flight 0\n');
  });

  it('counts a handler that throws once, as 500, answers 500, and lets the error through', async () => {
    const registry = new Registry();
    const http = instrumentHttp(registry);
    const caught: unknown[] = [];
    const wrapped = http.wrap(() => {
      throw new Error('handler bug');
    });
    const base = await listen((request, response) => {
      try {
        wrapped(request, response);
      } catch (error) {
        caught.push(error);
      }
    });
    const response = await fetchRaw(`${base}/boom`);
    expect(response.status).toBe(500);
    expect(caught).toHaveLength(1);
    expect((caught[0] as Error).message).toBe('handler bug');
    expect(render(registry.snapshot())).toContain('http_requests_total{method="GET",route="/boom",status="500"} 1\n');
  });

  it('counts an async handler that rejects once, as 500, and rejects with the same error', async () => {
    const registry = new Registry();
    const http = instrumentHttp(registry);
    const failure = new Error('async bug');
    const wrapped: RequestListener = http.wrap(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw failure;
    });
    const rejections: unknown[] = [];
    const base = await listen((request, response) => {
      void (wrapped(request, response) as Promise<unknown>).catch((error: unknown) => rejections.push(error));
    });
    expect((await fetchRaw(`${base}/async`)).status).toBe(500);
    expect(rejections).toEqual([failure]);
    expect(render(registry.snapshot())).toContain('http_requests_total{method="GET",route="/async",status="500"} 1\n');
  });

  it('works as connect-style middleware', async () => {
    const registry = new Registry();
    const http = instrumentHttp(registry);
    const base = await listen((request, response) => {
      http.middleware(request, response, () => {
        response.statusCode = 201;
        response.end();
      });
    });
    await fetchRaw(`${base}/things`, { method: 'PROPFIND' });
    expect(render(registry.snapshot())).toContain(
      'http_requests_total{method="OTHER",route="/things",status="201"} 1\n',
    );
  });

  it('stays bounded under a flood of 100,000 distinct random URLs', async () => {
    const registry = new Registry({ maxSeriesPerMetric: 1000 });
    const http = instrumentHttp(registry);
    const base = await listen(http.wrap((_request, response) => response.end('ok')));
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const gc = (globalThis as { gc?: () => void }).gc as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const get = getter(base, agent);
    const flood = async (from: number, to: number) => {
      for (let i = from; i < to; i += 64) {
        await Promise.all(
          Array.from({ length: Math.min(64, to - i) }, (_, k) =>
            get(`/${Math.random().toString(36).slice(2)}-${i + k}/x`),
          ),
        );
      }
    };
    await flood(0, 20_000);
    const afterFirst = heap();
    await flood(20_000, 100_000);
    const afterAll = heap();
    agent.destroy();
    const families = registry.snapshot().families;
    for (const family of families) expect(family.series.length, family.name).toBeLessThanOrEqual(1000);
    // 200 routes (the default maxRoutes) and the overflow route; nothing dropped by the series cap.
    const total = families.find((f) => f.name === 'http_requests_total');
    expect(total?.series.length).toBe(201);
    const text = render(registry.snapshot());
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\(overflow\)",status="200"\} 99800$/m);
    expect(text).toMatch(/^promlite_http_route_overflow_total 99800$/m);
    expect(text).not.toMatch(/^promlite_series_dropped_total\{metric="http_requests_total"\}/m);
    expect(afterAll - afterFirst).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);

  it('keeps recording routes it has seen when a flood of junk paths fills the route limit', async () => {
    const registry = new Registry();
    const http = instrumentHttp(registry, { maxRoutes: 50 });
    const base = await listen(http.wrap((_request, response) => response.end('ok')));
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const get = getter(base, agent);
    await get('/api/orders');
    for (let i = 0; i < 10_000; i += 100)
      await Promise.all(Array.from({ length: 100 }, (_, k) => get(`/junk-${i + k}/x`)));
    await get('/api/orders');
    await get('/api/late-route');
    agent.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const text = render(registry.snapshot());
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/orders",status="200"\} 2$/m);
    // 49 junk routes got in after /api/orders; the other 9,951 and the late route overflowed.
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\(overflow\)",status="200"\} 9952$/m);
    expect(text).toMatch(/^promlite_http_route_overflow_total 9952$/m);
    expect(text).not.toContain('/api/late-route');
  }, 60_000);

  it('refuses bad options by name', () => {
    const registry = new Registry();
    expect(() => instrumentHttp(registry, { maxRoutes: 0 })).toThrow(
      'instrumentHttp: option "maxRoutes" must be an integer from 1 to 100000, got 0',
    );
    expect(() => instrumentHttp(registry, { route: '/x' as never })).toThrow(
      'instrumentHttp: option "route" must be a function, got "/x"',
    );
    expect(() => instrumentHttp(registry, { routes: () => '/' } as never)).toThrow(
      'instrumentHttp: unknown option "routes" (known: route, buckets, native, exemplar, maxRoutes, names, labels)',
    );
    expect(() => instrumentHttp({} as never)).toThrow(
      'instrumentHttp: the first argument must be a Registry, got an object',
    );
  });
});

/** A GET over a keep-alive agent that resolves when the whole response was read. */
function getter(base: string, agent: Agent): (path: string) => Promise<void> {
  return (path) =>
    new Promise<void>((resolve, reject) => {
      const request = httpRequest(`${base}${path}`, { agent }, (response) => {
        response.resume();
        response.on('end', resolve);
      });
      request.on('error', reject);
      request.end();
    });
}
