// Health endpoints that keep a service's contract: liveness checks of their own, the body the service
// promises, paths that cannot shadow each other, and the status page where the service wants it.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetricsServer,
  HealthChecks,
  healthHandler,
  type MetricsServer,
  type MetricsServerOptions,
  PromliteError,
  Registry,
  statusHandler,
} from '../../src/index.js';
import { fetchRaw } from '../support/http.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(options: Omit<MetricsServerOptions, 'registry'>, registry = new Registry()) {
  const server = await createMetricsServer({ registry, port: 0, ...options });
  servers.push(server);
  return server.url.replace(/\/metrics$/, '');
}

const json = async (url: string) => {
  const response = await fetchRaw(url);
  return { status: response.status, body: JSON.parse(response.body.toString()) as unknown };
};

describe('liveness checks', () => {
  it('run on /health/live only, readiness checks on /health/ready, every check on /health', async () => {
    let ran: string[] = [];
    const check = (name: string, result: boolean) => () => {
      ran.push(name);
      return result;
    };
    const health = new HealthChecks()
      .add('event_loop', check('event_loop', false), { probes: ['live'] })
      .add('database', check('database', true))
      .add('disk', check('disk', true), { probes: ['live', 'ready'] });
    const base = await serve({ health });
    const live = await json(`${base}/health/live`);
    expect(live.status).toBe(503);
    expect(ran.sort()).toEqual(['disk', 'event_loop']);
    ran = [];
    const ready = await json(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ran.sort()).toEqual(['database', 'disk']);
    ran = [];
    expect((await json(`${base}/health`)).status).toBe(503);
    expect(ran.sort()).toEqual(['database', 'disk', 'event_loop']);
  });

  it('without liveness checks, /health/live is up while the process answers', async () => {
    const base = await serve({ health: new HealthChecks().add('database', () => false) });
    expect(await json(`${base}/health/live`)).toEqual({ status: 200, body: { status: 'up', checks: [] } });
    expect((await json(`${base}/health/ready`)).status).toBe(503);
  });

  it('refuses a probe that does not exist', () => {
    expect(() => new HealthChecks().add('x', () => true, { probes: ['startup'] as never })).toThrow(
      /option "probes" must be a non-empty array of "live" and "ready"/,
    );
  });
});

describe('the body a contract promises', () => {
  const contract = (report: {
    status: string;
    checks: readonly { component: string; status: string; durationMs?: number }[];
  }) => ({
    success: report.status !== 'down',
    status: report.status,
    checks: report.checks.map((check) => ({ name: check.component, status: check.status, duration: check.durationMs })),
  });

  it('is made by the body function, with the status code of the report', async () => {
    const health = new HealthChecks().add('database', () => true).add('cache', () => false, { critical: false });
    const base = await serve({ health, healthBody: contract });
    const { status, body } = await json(`${base}/health`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      status: 'degraded',
      checks: [
        { name: 'database', status: 'up' },
        { name: 'cache', status: 'down' },
      ],
    });
    expect((body as { checks: { duration: unknown }[] }).checks[0]?.duration).toEqual(expect.any(Number));
  });

  it('tells the function which endpoint answers', async () => {
    const endpoints: string[] = [];
    const handler = healthHandler(new HealthChecks(), {
      body: (report, endpoint) => {
        endpoints.push(endpoint);
        return report;
      },
    });
    const { createServer } = await import('node:http');
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    for (const path of ['/health', '/health/live', '/health/ready']) await fetchRaw(`http://127.0.0.1:${port}${path}`);
    server.close();
    expect(endpoints).toEqual(['summary', 'live', 'ready']);
  });

  it('falls back to the default body when the function throws or returns what JSON cannot hold', async () => {
    for (const body of [
      () => {
        throw new Error('bug');
      },
      () => undefined,
      () => 10n,
    ]) {
      const base = await serve({ health: new HealthChecks().add('database', () => false), healthBody: body });
      expect(await json(`${base}/health`)).toMatchObject({
        status: 503,
        body: { status: 'down', checks: [{ component: 'database' }] },
      });
    }
  });
});

describe('paths', () => {
  it('createMetricsServer refuses metrics behind a health path, naming both', async () => {
    const error = await createMetricsServer({
      registry: new Registry(),
      port: 0,
      path: '/health/ready',
      health: new HealthChecks(),
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as Error).message).toBe(
      'createMetricsServer: healthPaths.readyPath and path are both "/health/ready"; give each endpoint its own path',
    );
    await expect(
      createMetricsServer({
        registry: new Registry(),
        port: 0,
        statusPage: true,
        statusPaths: { pagePath: '/metrics' },
      }),
    ).rejects.toThrow('createMetricsServer: statusPaths.pagePath and path are both "/metrics"');
  });

  it('healthHandler and statusHandler refuse two of their endpoints on one path', () => {
    expect(() => healthHandler(new HealthChecks(), { summaryPath: '/h', readyPath: '/h' })).toThrow(
      'healthHandler: readyPath and summaryPath are both "/h"; give each endpoint its own path',
    );
    expect(() => statusHandler(new Registry(), { pagePath: '/s', dataPath: '/s' })).toThrow(
      /dataPath and pagePath are both "\/s"/,
    );
  });

  it('a turned-off endpoint takes no path, so metrics may live where it would have been', async () => {
    const registry = new Registry();
    registry.counter({ name: 'a_total', help: 'A.' }).inc();
    // The server's URL is its metrics path: here `/health`.
    const url = await serve(
      { path: '/health', health: new HealthChecks(), healthPaths: { summaryPath: false } },
      registry,
    );
    expect(url).toMatch(/\/health$/);
    expect((await fetchRaw(url)).body.toString()).toContain('a_total 1\n');
  });

  it('serves the status page and its data where the service wants them', async () => {
    const base = await serve({ statusPage: true, statusPaths: { pagePath: '/admin', dataPath: '/admin/status.json' } });
    const page = (await fetchRaw(`${base}/admin`)).body.toString();
    expect(page).toContain('<meta name="promlite-status-data" content="/admin/status.json">');
    expect((await json(`${base}/admin/status.json`)).status).toBe(200);
    expect((await fetchRaw(`${base}/`)).status).toBe(404);
    expect((await fetchRaw(`${base}/status.json`)).status).toBe(404);
  });
});

describe('a misplaced option', () => {
  it("fails loudly: healthHandler refuses createMetricsServer's healthPaths instead of ignoring it", () => {
    expect(() => healthHandler(new HealthChecks(), { healthPaths: { summaryPath: '/healthz' } } as never)).toThrow(
      /healthHandler: unknown option "healthPaths" \(known: summaryPath, livePath, readyPath/,
    );
  });
});
