import { createServer, request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetricsServer,
  HealthChecks,
  metricsHandler,
  Registry,
  render,
  type MetricsServer,
  type MetricsServerOptions,
} from '../../src/index.js';
import { controlClock } from '../support/clock.js';
import { fetchRaw } from '../support/http.js';
import { eventually } from '../support/prometheus.js';
import { parseText } from '../support/text-parser.js';
import { PROMETHEUS_2_ACCEPT, PROMETHEUS_3_ACCEPT } from '../support/accept-headers.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function demoRegistry(series = 3): Registry {
  const registry = new Registry();
  const jobs = registry.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['kind'] });
  for (let i = 0; i < series; i++) jobs.inc({ kind: `kind-${i}` }, i + 1);
  registry.observeJob('email', 'success', 1.5);
  return registry;
}

async function serve(options: Partial<MetricsServerOptions> = {}, registry = demoRegistry()): Promise<MetricsServer> {
  const server = await createMetricsServer({ registry, port: 0, ...options });
  servers.push(server);
  return server;
}

function scrapeErrors(text: string, cause: string): number {
  const match = new RegExp(`^promlite_scrape_errors_total\\{cause="${cause}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

describe('responses', () => {
  it('GET answers text 0.0.4 with the right headers', async () => {
    const { url } = await serve();
    const response = await fetchRaw(url);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-length']).toBe(String(response.body.length));
    const parsed = parseText(response.body.toString('utf8'));
    expect(parsed.samples.find((s) => s.name === 'jobs_total' && s.labels.kind === 'kind-2')?.value).toBe(3);
  });

  it('HEAD answers the same headers and no body', async () => {
    const { url } = await serve();
    const get = await fetchRaw(url);
    const head = await fetchRaw(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['cache-control']).toBe('no-store');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s answers 405 with Allow', async (method) => {
    const { url } = await serve();
    const response = await fetchRaw(url, { method });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it('answers a configured path, with or without a query, and 404 elsewhere', async () => {
    const { url } = await serve({ path: '/internal/metrics' });
    expect(url.endsWith('/internal/metrics')).toBe(true);
    expect((await fetchRaw(url)).status).toBe(200);
    expect((await fetchRaw(`${url}?debug=1`)).status).toBe(200);
    expect((await fetchRaw(url.replace('/internal/metrics', '/metrics'))).status).toBe(404);
    expect((await fetchRaw(`${url}/`)).status).toBe(404);
  });

  it('disabled answers 404 exactly like an unknown path', async () => {
    const { url } = await serve({ enabled: false });
    const disabled = await fetchRaw(url);
    const unknown = await fetchRaw(url.replace('/metrics', '/nothing-here'));
    expect(disabled.status).toBe(404);
    expect(disabled.body.toString()).toBe(unknown.body.toString());
    const { date: _a, ...disabledHeaders } = disabled.headers;
    const { date: _b, ...unknownHeaders } = unknown.headers;
    expect(disabledHeaders).toEqual(unknownHeaders);
  });

  it('switches off and on at run time without being rebuilt', async () => {
    const server = await serve({ enabled: false });
    expect(server.metrics.enabled).toBe(false);
    expect((await fetchRaw(server.url)).status).toBe(404);
    server.metrics.enabled = true;
    const on = await fetchRaw(server.url);
    expect(on.status).toBe(200);
    expect(on.body.toString()).toContain('jobs_total{kind="kind-0"} 1');
    server.metrics.enabled = false;
    expect((await fetchRaw(server.url)).status).toBe(404);
  });

  it('as middleware, passes the path on to next() while switched off', async () => {
    const handler = metricsHandler(demoRegistry());
    let passedOn = 0;
    const server = createServer((request, response) =>
      handler(request, response, () => {
        passedOn++;
        response.writeHead(204).end();
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect((await fetchRaw(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
      handler.enabled = false;
      expect((await fetchRaw(`http://127.0.0.1:${port}/metrics`)).status).toBe(204);
      expect(passedOn).toBe(1);
    } finally {
      server.close();
    }
  });

  it('refuses a switch that is not a boolean, and keeps its state', () => {
    const handler = metricsHandler(demoRegistry());
    expect(() => {
      (handler as { enabled: unknown }).enabled = 'false';
    }).toThrow('metricsHandler: "enabled" must be a boolean, got "false"');
    expect(handler.enabled).toBe(true);
  });

  it('refuses at start-up a path that would shadow another endpoint even while the metrics are off', async () => {
    await expect(serve({ enabled: false, path: '/health', health: new HealthChecks() })).rejects.toThrow(
      /path.*healthPaths\.summaryPath|healthPaths\.summaryPath.*path/,
    );
  });
});

describe('content negotiation and compression', () => {
  it.each([
    ['Prometheus 2', PROMETHEUS_2_ACCEPT, 'application/openmetrics-text; version=1.0.0; charset=utf-8'],
    ['Prometheus 3', PROMETHEUS_3_ACCEPT, 'application/openmetrics-text; version=1.0.0; charset=utf-8'],
    ['curl', '*/*', 'text/plain; version=0.0.4; charset=utf-8'],
    ['plain text', 'text/plain', 'text/plain; version=0.0.4; charset=utf-8'],
  ])('%s gets %s', async (_, accept, contentType) => {
    const { url } = await serve();
    const response = await fetchRaw(url, { headers: { Accept: accept } });
    expect(response.headers['content-type']).toBe(contentType);
    const body = response.body.toString('utf8');
    if (contentType.startsWith('application/openmetrics-text')) {
      expect(body.endsWith('# EOF\n')).toBe(true);
      expect(body).toContain('# TYPE jobs counter\n');
    } else {
      expect(body).not.toContain('# EOF');
      expect(body).toContain('# TYPE jobs_total counter\n');
    }
  });

  it('answers text to Prometheus when OpenMetrics is turned off', async () => {
    const { url } = await serve({ openMetrics: false });
    const response = await fetchRaw(url, { headers: { Accept: PROMETHEUS_2_ACCEPT } });
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('gzips when allowed, and the content is the same', async () => {
    const { url } = await serve();
    const zipped = await fetchRaw(url, { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    const text = gunzipSync(zipped.body).toString('utf8');
    expect(text).toContain('jobs_total{kind="kind-0"} 1\n');
    const refused = await fetchRaw(url, { headers: { 'Accept-Encoding': 'gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('does not gzip when turned off', async () => {
    const { url } = await serve({ gzip: false });
    expect(
      (await fetchRaw(url, { headers: { 'Accept-Encoding': 'gzip' } })).headers['content-encoding'],
    ).toBeUndefined();
  });

  it.each([false, true])('streams a large registry in chunks (gzip %s), complete and parseable', async (gzip) => {
    const registry = demoRegistry(20_000);
    const { url } = await serve({}, registry);
    const response = await fetchRaw(url, { headers: gzip ? { 'Accept-Encoding': 'gzip' } : {} });
    expect(response.status).toBe(200);
    expect(response.headers['transfer-encoding']).toBe('chunked');
    const text = (gzip ? gunzipSync(response.body) : response.body).toString('utf8');
    const jobs = parseText(text).samples.filter((s) => s.name === 'jobs_total');
    expect(jobs).toHaveLength(10_000); // the default series cap
    const head = await fetchRaw(url, { method: 'HEAD' });
    expect(head.body.length).toBe(0);
    expect(head.headers['content-type']).toBe(response.headers['content-type']);
  });
});

describe('fairness', () => {
  it('lets other callbacks run while a 100,000-series response streams', async () => {
    const registry = new Registry({ maxSeriesPerMetric: 100_000 });
    const rows = registry.counter({ name: 'rows_total', help: 'Rows.', labelNames: ['id'] });
    for (let i = 0; i < 100_000; i++) rows.inc({ id: `row-${i}` });
    const handler = metricsHandler(registry);
    // Other work: a chain of callbacks, one per event-loop turn, that counts the turns.
    let turns = 0;
    let counting = true;
    const countTurns = () => {
      turns++;
      if (counting) setImmediate(countTurns);
    };
    // A socket that never pushes back (a 64 MiB high-water mark, as behind a buffering proxy
    // or framework): waiting for 'drain' would yield anyway, so only the handler's own yields
    // let other work in here. Each chunk costs 10 ms of the controlled clock, as if rendering
    // it took that long: far longer than the few milliseconds a scrape may hold the loop.
    const clock = controlClock();
    const turnAtWrite: number[] = [];
    const server = createServer({ highWaterMark: 64 * 1024 * 1024 }, (request, response) => {
      const write = response.write.bind(response) as (chunk: Buffer) => boolean;
      (response as { write: unknown }).write = (chunk: Buffer) => {
        turnAtWrite.push(turns);
        clock.elapse(10);
        return write(chunk);
      };
      handler(request, response);
    });
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      setImmediate(countTurns);
      const response = await fetchRaw(`http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`);
      counting = false;
      expect(response.headers['transfer-encoding']).toBe('chunked');
      expect(parseText(response.body.toString('utf8')).samples.filter((s) => s.name === 'rows_total')).toHaveLength(
        100_000,
      );
      expect(turnAtWrite.length).toBeGreaterThan(10);
      // Other callbacks ran between the chunks: the count of turns moved on while the body was written.
      expect(new Set(turnAtWrite).size).toBeGreaterThanOrEqual(turnAtWrite.length / 2);
    } finally {
      counting = false;
      clock.restore();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('access over real sockets', () => {
  it('no auth configured: loopback only (127.0.0.1 and 127.0.0.2 alike)', async () => {
    const { url } = await serve();
    expect((await fetchRaw(url)).status).toBe(200);
    expect((await fetchRaw(url, { localAddress: '127.0.0.2' })).status).toBe(200);
  });

  it('token: 401 with WWW-Authenticate without it, 200 with it', async () => {
    const { url } = await serve({ token: 'tok3n' });
    const denied = await fetchRaw(url);
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(denied.body.toString()).toBe('Unauthorized\n');
    expect((await fetchRaw(url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetchRaw(url, { headers: { Authorization: 'Bearer tok3n' } })).status).toBe(200);
  });

  it('CIDR: 127.0.0.2 allowed, 127.0.0.1 forbidden', async () => {
    const { url } = await serve({ trustedCidrs: ['127.0.0.2/32'] });
    expect((await fetchRaw(url, { localAddress: '127.0.0.2' })).status).toBe(200);
    const forbidden = await fetchRaw(url);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.toString()).toBe('Forbidden\n');
  });

  it('trusted proxy: the forwarded client decides; a forged header from elsewhere does not', async () => {
    const { url } = await serve({ trustedProxies: ['127.0.0.1'], trustedCidrs: ['198.51.100.0/24'] });
    const viaProxy = (forwarded: string, localAddress = '127.0.0.1') =>
      fetchRaw(url, { localAddress, headers: { 'X-Forwarded-For': forwarded } });
    expect((await viaProxy('198.51.100.7')).status).toBe(200);
    expect((await viaProxy('203.0.113.1')).status).toBe(403);
    expect((await viaProxy('198.51.100.7, 203.0.113.1')).status).toBe(403);
    expect((await viaProxy('198.51.100.7', '127.0.0.2')).status).toBe(403);
  });

  it('counts refusals in promlite_scrape_errors_total', async () => {
    const { url } = await serve({ token: 'tok3n' });
    await fetchRaw(url);
    await fetchRaw(url);
    const text = (await fetchRaw(url, { headers: { Authorization: 'Bearer tok3n' } })).body.toString();
    expect(scrapeErrors(text, 'unauthorized')).toBe(2);
  });
});

describe('robustness', () => {
  it('a collector that throws leaves its family out; the endpoint still answers', async () => {
    const registry = demoRegistry();
    registry.gauge({
      name: 'broken',
      help: 'B.',
      collect: () => {
        throw new Error('boom');
      },
    });
    const { url } = await serve({}, registry);
    const response = await fetchRaw(url);
    expect(response.status).toBe(200);
    const text = response.body.toString();
    expect(text).not.toMatch(/^broken /m);
    expect(text).toContain('promlite_collect_errors_total{metric="broken"} 1\n');
  });

  it('caps scrapes in flight (503) and survives a client that disconnects mid-response', async () => {
    const registry = demoRegistry(10_000);
    for (let i = 0; i < 8; i++) {
      const h = registry.histogram({ name: `big_${i}_seconds`, help: 'Big.', labelNames: ['i'] });
      for (let j = 0; j < 5000; j++) h.observe({ i: j }, j);
    }
    const { url } = await serve({ maxConcurrentScrapes: 1 }, registry);
    // A client that reads nothing keeps its scrape in flight once the socket buffers fill; the
    // scrape holds its slot from the moment the request arrives, so its headers are enough.
    const stalled = await new Promise<{ destroy: () => void }>((resolve, reject) => {
      const request = httpRequest(url, { agent: false }, (response) => {
        response.pause();
        resolve({ destroy: () => request.destroy() });
      });
      request.on('error', () => {});
      request.setTimeout(10_000, () => reject(new Error('no response')));
      request.end();
    });
    const overloaded = await fetchRaw(url);
    expect(overloaded.status).toBe(503);
    expect(overloaded.headers['retry-after']).toBe('1');
    stalled.destroy();
    // The server learns that the client left when its socket closes, however late a busy machine gets to it.
    await eventually(
      async () => (scrapeErrors(render(registry.snapshot()), 'aborted') > 0 ? true : undefined),
      20_000,
      () => 'the aborted scrape was never counted',
    );
    const text = (await fetchRaw(url)).body.toString();
    expect(scrapeErrors(text, 'overloaded')).toBe(1);
    expect(scrapeErrors(text, 'aborted')).toBe(1);
  });

  it('records its own scrape duration, in seconds: three scrapes of a 50 ms collector sum to 0.15', async () => {
    const clock = controlClock();
    try {
      const registry = demoRegistry();
      // A collector that takes 50 ms, like a row count from a slow database.
      registry.gauge({
        name: 'slow_rows',
        help: 'Rows, counted slowly.',
        collect: () => {
          clock.elapse(50);
          return 7;
        },
      });
      const { url } = await serve({}, registry);
      for (let i = 0; i < 3; i++) expect((await fetchRaw(url)).status).toBe(200);
      // A fourth scrape reads the first three, as Prometheus would.
      const { samples } = parseText((await fetchRaw(url)).body.toString());
      const value = (name: string, le?: string) => samples.find((s) => s.name === name && s.labels.le === le)?.value;
      expect(value('promlite_scrape_duration_seconds_count')).toBe(3);
      expect(value('promlite_scrape_duration_seconds_sum')).toBeCloseTo(0.15, 9);
      expect(value('promlite_scrape_duration_seconds_bucket', '0.025')).toBe(0);
      expect(value('promlite_scrape_duration_seconds_bucket', '0.05')).toBe(3);
    } finally {
      clock.restore();
    }
  });
});

describe('as middleware', () => {
  it('calls next() for paths it does not own and serves its own', async () => {
    const handler = metricsHandler(demoRegistry());
    const server = createServer((request, response) => {
      handler(request, response, () => {
        response.writeHead(200, { 'Content-Type': 'text/plain' });
        response.end('app route\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      expect((await fetchRaw(`http://127.0.0.1:${port}/orders`)).body.toString()).toBe('app route\n');
      expect((await fetchRaw(`http://127.0.0.1:${port}/metrics`)).body.toString()).toContain('jobs_total');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects bad options at creation', () => {
    expect(() => metricsHandler(new Registry(), { path: 'metrics' })).toThrow(/path "metrics" must start with "\/"/);
    expect(() => metricsHandler(new Registry(), { trustedCidrs: ['nope'] })).toThrow(/trustedCidrs: "nope"/);
    expect(() => metricsHandler(new Registry(), { token: '' })).toThrow(/must not be empty/);
    expect(() => metricsHandler(new Registry(), { maxConcurrentScrapes: 0 })).toThrow(/maxConcurrentScrapes/);
  });
});

describe('createMetricsServer', () => {
  it('close() frees the port', async () => {
    const server = await createMetricsServer({ registry: new Registry(), port: 0 });
    const port = Number(new URL(server.url).port);
    await server.close();
    await expect(fetchRaw(server.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const again = await serve({ port });
    expect(new URL(again.url).port).toBe(String(port));
    expect((await fetchRaw(again.url)).status).toBe(200);
  });

  it('takes loadMetricsConfig() output as it is', async () => {
    const { loadMetricsConfig } = await import('../../src/index.js');
    const server = await serve({ ...loadMetricsConfig({ METRICS_PORT: '0', METRICS_PATH: '/m' }) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/m$/);
    expect((await fetchRaw(server.url)).status).toBe(200);
  });
});
