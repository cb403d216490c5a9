// The metrics server against clients that stall, stampede or probe, and callers that pass
// plain-JavaScript garbage as options. Real sockets on 127.0.0.1, bounded in count and time.
import { Buffer } from 'node:buffer';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetricsServer,
  HealthChecks,
  healthHandler,
  metricsHandler,
  Registry,
  statusHandler,
  type MetricsServer,
  type MetricsServerOptions,
} from '../../src/index.js';
import { fetchRaw } from '../support/http.js';

const servers: MetricsServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: Partial<MetricsServerOptions> & { registry?: Registry } = {}): Promise<MetricsServer> {
  const server = await createMetricsServer({ registry: new Registry(), port: 0, ...options });
  servers.push(server);
  return server;
}

/** About 20 MB of exposition (20,000 series with 1,000-character label values): more than loopback socket buffers hold. */
function bigRegistry(): Registry {
  const registry = new Registry({ maxSeriesPerMetric: 20_000 });
  const gauge = registry.gauge({ name: 'big', help: 'Big.', labelNames: ['id'] });
  for (let i = 0; i < 20_000; i++) gauge.set({ id: `${i}-${'x'.repeat(1000)}` }, i);
  return registry;
}

/** A client that sends a valid scrape and then never reads; resolves once connected and sent. */
function stalledScrape(url: string): Promise<Socket> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on('error', () => {});
    socket.once('error', reject);
    sockets.push(socket);
  });
}

/**
 * Sends one GET on each of `count` sockets in the same turn, once the server has accepted all of
 * them (so the requests reach it together); resolves with the raw responses.
 */
async function simultaneousScrapes(server: MetricsServer, count: number): Promise<string[]> {
  const { hostname, port, pathname } = new URL(server.url);
  let accepted = 0;
  const allAccepted = new Promise<void>((resolve) => {
    const onConnection = () => {
      if (++accepted < count) return;
      server.server.off('connection', onConnection);
      resolve();
    };
    server.server.on('connection', onConnection);
  });
  const connected = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
          socket.once('error', reject);
          sockets.push(socket);
        }),
    ),
  );
  const responses = connected.map(
    (socket) =>
      new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.once('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
        socket.once('error', reject);
      }),
  );
  await allAccepted;
  for (const socket of connected)
    socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
  return Promise.all(responses);
}

describe('clients that never read', () => {
  it('are cut off at the scrape deadline, so a normal scraper is served', async () => {
    const registry = bigRegistry();
    const server = await serve({ registry, scrapeTimeoutMs: 1000 });
    const stalled = await Promise.all(Array.from({ length: 10 }, () => stalledScrape(server.url)));
    // Wait until every slot is taken: a scrape now is refused.
    let refused = false;
    for (let attempt = 0; attempt < 100 && !refused; attempt++) {
      refused = (await fetchRaw(server.url)).status === 503;
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refused).toBe(true);
    // The stalled sockets stay open on the client side: only the server's deadline frees the slots.
    // A scrape of this size may itself hit the 1 s deadline on a loaded machine: that is a retry too.
    const attemptScrape = () => fetchRaw(server.url).catch(() => ({ status: 0, body: Buffer.alloc(0) }));
    let normal = await attemptScrape();
    for (let attempt = 0; attempt < 100 && normal.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      normal = await attemptScrape();
    }
    expect(normal.status).toBe(200);
    expect(stalled.every((socket) => !socket.destroyed)).toBe(true);
    expect(normal.body.length).toBeGreaterThan(20_000_000);
    // Every stalled scrape was cut off and counted (they may end a few milliseconds apart), and
    // nothing else timed out here unless a retry above did.
    const timeouts = () =>
      registry
        .snapshot()
        .families.find((f) => f.name === 'promlite_scrape_errors_total')
        ?.series.find((s) => s.labelValues[0] === 'timeout');
    const timedOut = () => (timeouts() as { value: number } | undefined)?.value ?? 0;
    for (let attempt = 0; attempt < 50 && timedOut() < 10; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(timedOut()).toBeGreaterThanOrEqual(10);
  }, 30_000);

  it('sets deadlines on the server for headers, requests and idle connections', async () => {
    const { server } = await serve();
    expect(server.headersTimeout).toBe(10_000);
    expect(server.requestTimeout).toBe(15_000);
    expect(server.keepAliveTimeout).toBe(5_000);
    expect(server.timeout).toBe(30_000);
  });
});

describe('concurrent scrapes', () => {
  it('share one snapshot and render when they ask for the same format and encoding', async () => {
    const registry = new Registry({ maxSeriesPerMetric: 200_000 });
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['i'] });
    for (let i = 0; i < 100_000; i++) counter.inc({ i: String(i) });
    let snapshots = 0;
    registry.gauge({ name: 'snapshots', help: 'How many snapshots were taken.', collect: () => ++snapshots });
    const server = await serve({ registry });
    const responses = await simultaneousScrapes(server, 10);
    for (const response of responses) expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(snapshots).toBe(1);
    const bodies = responses.map((response) => response.slice(response.indexOf('\r\n\r\n')));
    expect(bodies[0]).toContain('\nsnapshots 1\n');
    expect(new Set(bodies).size).toBe(1);
  }, 30_000);
});

describe('health requests', () => {
  it('share one run of the checks, however many arrive at once', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const health = new HealthChecks().add('slow', async () => {
      runs++;
      await held;
    });
    const server = await serve({ health });
    let received = 0;
    server.server.on('request', () => {
      if (++received === 200) release();
    });
    const base = server.url.replace(/\/metrics$/, '');
    const answers = await Promise.all(Array.from({ length: 200 }, () => fetchRaw(`${base}/health`)));
    for (const answer of answers) expect(answer.status).toBe(200);
    expect(runs).toBe(1);
  }, 30_000);

  it('can reuse a result for a while', async () => {
    let runs = 0;
    const health = new HealthChecks(undefined, { reuseResultMs: 60_000 }).add('db', () => void runs++);
    for (let i = 0; i < 5; i++) await health.run();
    expect(runs).toBe(1);
  });
});

describe('health details', () => {
  const failing = () =>
    new HealthChecks().add('db', () => {
      throw new Error('connect ECONNREFUSED 10.20.30.40:5432 (user=billing_admin db=payments)');
    });
  const fromOutside = { headers: { 'X-Forwarded-For': '203.0.113.9' } };

  it('are hidden from callers the metrics policy would not admit', async () => {
    const server = await serve({ health: failing(), trustedProxies: ['127.0.0.1'] });
    const base = server.url.replace(/\/metrics$/, '');
    for (const path of ['/health', '/health/ready']) {
      const outside = await fetchRaw(`${base}${path}`, fromOutside);
      expect(outside.status).toBe(503);
      expect(JSON.parse(outside.body.toString())).toEqual({
        status: 'down',
        checks: [{ component: 'db', status: 'down' }],
      });
      expect(outside.body.toString()).not.toContain('ECONNREFUSED');
    }
    // A loopback client (through the proxy) is admitted by the default policy.
    const local = await fetchRaw(`${base}/health`, { headers: { 'X-Forwarded-For': '127.0.0.1' } });
    expect(local.body.toString()).toContain('ECONNREFUSED 10.20.30.40');
  });

  it('are shown to callers with the token, and by option to all or none', async () => {
    const tokenServer = await serve({ health: failing(), trustedProxies: ['127.0.0.1'], token: 'tok3n' });
    const tokenBase = tokenServer.url.replace(/\/metrics$/, '');
    expect((await fetchRaw(`${tokenBase}/health`, fromOutside)).body.toString()).not.toContain('ECONNREFUSED');
    const withToken = await fetchRaw(`${tokenBase}/health`, {
      headers: { ...fromOutside.headers, Authorization: 'Bearer tok3n' },
    });
    expect(withToken.body.toString()).toContain('ECONNREFUSED');

    const always = await serve({ health: failing(), trustedProxies: ['127.0.0.1'], healthDetails: 'always' });
    expect((await fetchRaw(always.url.replace(/\/metrics$/, '/health'), fromOutside)).body.toString()).toContain(
      'ECONNREFUSED',
    );
    const never = await serve({ health: failing(), healthDetails: 'never' });
    expect((await fetchRaw(never.url.replace(/\/metrics$/, '/health'))).body.toString()).not.toContain('ECONNREFUSED');
  });

  it('follow the same rule in a standalone healthHandler: loopback only by default', async () => {
    const handler = healthHandler(failing());
    const { createServer } = await import('node:http');
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      expect((await fetchRaw(`http://127.0.0.1:${port}/health`)).body.toString()).toContain('ECONNREFUSED');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('collect functions that return too much', () => {
  it('stop at the series cap without reading the rest, and count the rest as dropped', () => {
    const registry = new Registry({ maxSeriesPerMetric: 1000 });
    let labelReads = 0;
    const samples = Array.from({ length: 1_000_000 }, (_, i) => ({
      get labels() {
        labelReads++;
        return { i: String(i) };
      },
      value: i,
    }));
    registry.gauge({ name: 'runaway', help: 'Returns a million samples.', labelNames: ['i'], collect: () => samples });
    const family = registry.snapshot().families.find((f) => f.name === 'runaway');
    expect(family?.series.length).toBe(1000);
    expect(labelReads).toBe(1000);
    const dropped = registry.snapshot().families.find((f) => f.name === 'promlite_series_dropped_total');
    expect(dropped?.series).toEqual([{ labelValues: ['runaway'], value: 2 * 999_000 }]);
  });

  it('obey the label-value length limit exactly as set() does', () => {
    const registry = new Registry({ maxLabelValueLength: 100 });
    registry.gauge({
      name: 'long',
      help: 'Long labels.',
      labelNames: ['v'],
      collect: () => [
        { labels: { v: 'x'.repeat(1 << 20) }, value: 1 },
        { labels: { v: 'ok' }, value: 2 },
      ],
    });
    const snapshot = registry.snapshot();
    expect(snapshot.families.find((f) => f.name === 'long')?.series).toEqual([{ labelValues: ['ok'], value: 2 }]);
    expect(snapshot.families.find((f) => f.name === 'promlite_series_dropped_total')?.series).toEqual([
      { labelValues: ['long'], value: 1 },
    ]);
  });
});

describe('the status page', () => {
  it('may not be framed by another site', async () => {
    const server = await serve({ statusPage: true });
    const page = await fetchRaw(server.url.replace(/\/metrics$/, '/'));
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});

describe('options from plain JavaScript', () => {
  const registry = new Registry();
  it.each([
    [{ port: 'abc' }, 'createMetricsServer: option "port" must be an integer from 0 to 65535, got "abc"'],
    [{ port: 70_000 }, 'createMetricsServer: option "port" must be an integer from 0 to 65535, got 70000'],
    [{ port: 80.5 }, 'createMetricsServer: option "port" must be an integer from 0 to 65535, got 80.5'],
    [{ host: 127001 }, 'createMetricsServer: option "host" must be a string, got 127001'],
    [{ token: 12345 }, 'createMetricsServer: option "token" must be a string, got a number'],
    [
      { trustedCidrs: '10.0.0.0/8' },
      'createMetricsServer: option "trustedCidrs" must be an array of strings, got "10.0.0.0/8"',
    ],
    [
      { scrapeTimeoutMs: 0 },
      'createMetricsServer: option "scrapeTimeoutMs" must be an integer from 1 to 3600000, got 0',
    ],
    [
      { maxConcurrentScrapes: '10' },
      'createMetricsServer: option "maxConcurrentScrapes" must be an integer from 1 to 100000, got "10"',
    ],
    [{ statusPage: 'yes' }, 'createMetricsServer: option "statusPage" must be true or false, got "yes"'],
    [{ protect_health: true }, 'createMetricsServer: unknown option "protect_health"'],
    [{ health: {} }, 'createMetricsServer: option "health" must be a HealthChecks, got an object'],
    [{ healthDetails: 'some' }, 'healthHandler: option "details" must be "admitted", "always" or "never", got "some"'],
  ])('createMetricsServer refuses %j', async (options, message) => {
    const health = new HealthChecks();
    const attempt = createMetricsServer({
      registry,
      port: 0,
      ...('healthDetails' in options ? { health } : {}),
      ...(options as object),
    } as MetricsServerOptions);
    await expect(attempt).rejects.toMatchObject({
      name: 'PromliteError',
      code: 'INVALID_CONFIG',
      message: expect.stringContaining(message),
    });
  });

  it('never echoes a token in an error', async () => {
    const attempt = createMetricsServer({ registry, port: 0, token: ['s3cret-value'] as never });
    await expect(attempt).rejects.toThrow('option "token" must be a string, got an array');
    await attempt.catch((error: Error) => expect(error.message).not.toContain('s3cret'));
  });

  it('is checked by every handler', () => {
    expect(() => metricsHandler(registry, { path: 5 } as never)).toThrow(
      'metricsHandler: option "path" must be a string, got 5',
    );
    expect(() => metricsHandler(registry, { gzip: 'no' } as never)).toThrow(
      'metricsHandler: option "gzip" must be true or false, got "no"',
    );
    expect(() => metricsHandler(registry, { tokens: 'x' } as never)).toThrow('metricsHandler: unknown option "tokens"');
    expect(() => metricsHandler({} as never)).toThrow(
      'metricsHandler: the first argument must be a Registry or a snapshot source (anything with a snapshot() method), got an object',
    );
    expect(() => healthHandler(new HealthChecks(), { livePath: 5 } as never)).toThrow(
      'healthHandler: option "livePath" must be a string or false, got 5',
    );
    expect(() => healthHandler(new HealthChecks(), { access: { token: 5 } } as never)).toThrow(
      'healthHandler access: option "token" must be a string, got a number',
    );
    expect(() => healthHandler(new HealthChecks(), { acess: {} } as never)).toThrow(
      'healthHandler: unknown option "acess"',
    );
    expect(() => statusHandler(registry, { heath: new HealthChecks() } as never)).toThrow(
      'statusHandler: unknown option "heath"',
    );
    expect(() => statusHandler(registry, { health: () => true } as never)).toThrow(
      'statusHandler: option "health" must be a HealthChecks, got a function',
    );
  });
});
