// Every endpoint, driven with every user callback misbehaving in every way: the process must
// see no unhandled rejection or uncaught exception, and every request must get an answer.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetricsServer,
  HealthChecks,
  instrumentHttp,
  Registry,
  render,
  type MetricsServer,
} from '../../src/index.js';
import { fetchRaw } from '../support/http.js';
import { misbehaviours, trappedError, ExplodingError, watchProcess } from './support.js';

const servers: MetricsServer[] = [];
const plainServers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(plainServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const ENDPOINTS = [
  ['/metrics', {}],
  ['/metrics', { Accept: 'application/openmetrics-text; version=1.0.0', 'Accept-Encoding': 'gzip' }],
  ['/health', {}],
  ['/health/live', {}],
  ['/health/ready', {}],
  ['/', {}],
  ['/status.json', {}],
] as const;

describe('every endpoint with every callback misbehaving', () => {
  for (const [how, callback] of misbehaviours()) {
    it(`answers every request when each callback ${how}`, async () => {
      const watch = watchProcess();
      try {
        const registry = new Registry({ onCollectError: callback as () => void, now: callback as () => number });
        // One collect that fails plainly (so onCollectError runs) and one that misbehaves.
        registry.gauge({
          name: 'broken',
          help: 'Always fails.',
          collect: () => {
            throw new Error('collect failed');
          },
        });
        registry.gauge({ name: 'hostile', help: 'Misbehaves.', collect: callback as () => number });
        registry.counter({
          name: 'hostile_things_total',
          help: 'Misbehaves.',
          labelNames: ['a'],
          collect: callback as () => number,
        });
        // observeJob reads the clock; it must never throw.
        registry.observeJob('email', 'success', 1);
        const health = new HealthChecks(registry)
          .add('db', callback, { timeoutMs: 200 })
          .add('cache', callback, { critical: false, timeoutMs: 200 });
        const server = await createMetricsServer({ registry, port: 0, health, statusPage: true });
        servers.push(server);
        const base = server.url.replace(/\/metrics$/, '');
        const answers = await Promise.all(ENDPOINTS.map(([path, headers]) => fetchRaw(`${base}${path}`, { headers })));
        for (const [i, answer] of answers.entries())
          expect([200, 500, 503], ENDPOINTS[i]?.[0]).toContain(answer.status);
        // The metrics endpoint still serves, and counts the failures.
        expect(answers[0]?.status).toBe(200);
        expect(answers[0]?.body.toString()).toMatch(/^promlite_collect_errors_total\{metric="broken"\} [1-9]/m);
        // The status page reads the registry's clock: a broken one falls back to Date.now.
        const status = JSON.parse(answers[6]?.body.toString() ?? '{}') as { jobs?: { secondsSinceSuccess: number }[] };
        expect(status.jobs?.[0]?.secondsSinceSuccess).toBeGreaterThanOrEqual(0);

        // The route function of instrumentHttp, on an application server of its own.
        const appRegistry = new Registry();
        const http = instrumentHttp(appRegistry, { route: callback as () => string });
        const app = createServer(http.wrap((_request, response) => response.end('ok')));
        plainServers.push(app);
        await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
        const port = (app.address() as { port: number }).port;
        const appAnswer = await fetchRaw(`http://127.0.0.1:${port}/orders/42`);
        expect(appAnswer.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(render(appRegistry.snapshot())).toMatch(
          /^http_requests_total\{method="GET",route="[^"]+",status="200"\} 1$/m,
        );
      } finally {
        await watch.stop();
      }
      expect(watch.escaped).toEqual([]);
    });
  }
});

describe('describing a failed check', () => {
  it('never throws, falling back to a fixed text', async () => {
    const report = await new HealthChecks()
      .add('proxy', () => {
        throw trappedError();
      })
      .add('getter', () => Promise.reject(new ExplodingError()))
      .run();
    expect(report.status).toBe('down');
    for (const check of report.checks)
      expect(check.details).toBe('check failed (threw a value that cannot be described)');
  });

  it('keeps details short whatever a check throws or returns', async () => {
    const report = await new HealthChecks()
      .add('long', () => {
        throw new Error('x'.repeat(100_000));
      })
      .add('chatty', () => 'y'.repeat(100_000))
      .run();
    for (const check of report.checks) expect(check.details?.length).toBeLessThan(1100);
  });
});
