import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetricsServer,
  HealthChecks,
  healthHandler,
  Registry,
  type MetricsServer,
  type MetricsServerOptions,
} from '../../src/index.js';
import { fetchRaw } from '../support/http.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(health: HealthChecks, options: Partial<MetricsServerOptions> = {}): Promise<string> {
  const server = await createMetricsServer({ registry: new Registry(), port: 0, health, ...options });
  servers.push(server);
  return server.url.replace(/\/metrics$/, '');
}

const json = (body: Buffer) =>
  JSON.parse(body.toString()) as { status: string; checks: { component: string; status: string; details?: string }[] };

describe('health endpoints over real sockets', () => {
  it('liveness answers up without running any check', async () => {
    let runs = 0;
    const base = await serve(
      new HealthChecks().add('db', () => {
        runs++;
        return false;
      }),
    );
    const response = await fetchRaw(`${base}/health/live`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(json(response.body)).toEqual({ status: 'up', checks: [] });
    expect(runs).toBe(0);
  });

  it('a failing non-critical check gives degraded with 200, on /health and /health/ready', async () => {
    const base = await serve(
      new HealthChecks()
        .add('db', () => true)
        .add(
          'cache',
          () => {
            throw 'redis unreachable';
          },
          { critical: false },
        ),
    );
    for (const path of ['/health', '/health/ready']) {
      const response = await fetchRaw(`${base}${path}`);
      expect(response.status).toBe(200);
      const report = json(response.body);
      expect(report.status).toBe('degraded');
      expect(report.checks.find((c) => c.component === 'cache')).toMatchObject({
        status: 'down',
        details: 'redis unreachable',
      });
    }
  });

  it('a hanging critical check comes back 503 within its timeout', async () => {
    const base = await serve(new HealthChecks().add('db', () => new Promise(() => {}), { timeoutMs: 300 }));
    const started = performance.now();
    const response = await fetchRaw(`${base}/health/ready`);
    const elapsed = performance.now() - started;
    expect(response.status).toBe(503);
    expect(json(response.body).checks[0]).toMatchObject({
      component: 'db',
      status: 'down',
      details: 'timed out after 300 ms',
    });
    expect(elapsed).toBeLessThan(1500);
  });

  it('are open by default even when /metrics needs a token, and protected on request', async () => {
    const health = new HealthChecks().add('db', () => true);
    const open = await serve(health, { token: 'tok3n' });
    expect((await fetchRaw(`${open}/health/ready`)).status).toBe(200);
    expect((await fetchRaw(`${open}/metrics`)).status).toBe(401);
    const guarded = await serve(health, { token: 'tok3n', protectHealth: true });
    expect((await fetchRaw(`${guarded}/health/ready`)).status).toBe(401);
    expect((await fetchRaw(`${guarded}/health/ready`, { headers: { Authorization: 'Bearer tok3n' } })).status).toBe(
      200,
    );
  });

  it('turns an endpoint off with false, moves it with a path, and answers 405 to POST', async () => {
    const base = await serve(
      new HealthChecks().add('db', () => true),
      { healthPaths: { livePath: false, readyPath: '/ready' } },
    );
    expect((await fetchRaw(`${base}/health/live`)).status).toBe(404);
    expect((await fetchRaw(`${base}/ready`)).status).toBe(200);
    expect((await fetchRaw(`${base}/health`)).status).toBe(200);
    expect((await fetchRaw(`${base}/ready`, { method: 'POST' })).status).toBe(405);
    const head = await fetchRaw(`${base}/ready`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect((await fetchRaw(`${base}/metrics`)).status).toBe(200);
  });

  it("works as middleware in the user's own server", async () => {
    const handler = healthHandler(new HealthChecks().add('db', () => true));
    const server = createServer((request, response) =>
      handler(request, response, () => {
        response.writeHead(200);
        response.end('app\n');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      expect(json((await fetchRaw(`${base}/health/ready`)).body).status).toBe('up');
      expect((await fetchRaw(`${base}/orders`)).body.toString()).toBe('app\n');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects a bad path at creation', () => {
    expect(() => healthHandler(new HealthChecks(), { livePath: 'live' })).toThrow(
      /livePath: path "live" must start with "\/"/,
    );
  });
});
