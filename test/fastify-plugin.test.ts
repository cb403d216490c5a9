// fastifyMetrics refuses bad options through fastify's own error path, and serves /metrics behind its policy.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { fastifyMetrics, Registry } from '../src/index.js';

describe('fastifyMetrics', () => {
  it('refuses a missing registry and unknown options, naming them', async () => {
    await expect(
      Fastify()
        .register(fastifyMetrics, {} as never)
        .ready(),
    ).rejects.toThrow('fastifyMetrics: option "registry" is required');
    await expect(
      Fastify()
        .register(fastifyMetrics, { registry: new Registry(), metric: {} } as never)
        .ready(),
    ).rejects.toThrow(/fastifyMetrics: unknown option "metric"/);
  });

  it('serves /metrics behind its access policy, and can leave it out', async () => {
    const app = Fastify();
    await app.register(fastifyMetrics, { registry: new Registry(), metrics: { token: 'a-long-enough-token-123' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer a-long-enough-token-123' } });
    expect(ok.status).toBe(200);
    await app.close();
    const without = Fastify();
    await without.register(fastifyMetrics, { registry: new Registry(), metrics: false, http: false });
    expect((await without.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    await without.close();
  });
});
