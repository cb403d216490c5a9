// Render buffers reused across scrapes: every body is the exposition of its own moment, however
// bodies overlap in time.
import { Buffer } from 'node:buffer';
import { get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsServer, type MetricsServer, Registry, render } from '../../src/index.js';
import { RenderBufferPool } from '../../src/serve/render-buffers.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function request(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, resolve).on('error', reject));
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** About 12 MB of exposition: streamed in many chunks, more than loopback socket buffers hold. */
function bigRegistry(): { registry: Registry; setAll: (value: number) => void } {
  const registry = new Registry({ maxSeriesPerMetric: 12_000 });
  const gauge = registry.gauge({ name: 'big', help: 'Big.', labelNames: ['id'] });
  const setAll = (value: number) => {
    for (let i = 0; i < 12_000; i++) gauge.set({ id: `${i}-${'x'.repeat(1000)}` }, value + i);
  };
  setAll(0);
  return { registry, setAll };
}

describe('RenderBufferPool', () => {
  it('lends a buffer again only after every holder released it', () => {
    const pool = new RenderBufferPool();
    const first = pool.lend(2);
    first.release();
    expect(pool.lend(1).buffer).not.toBe(first.buffer);
    first.release();
    const again = pool.lend(1);
    expect(again.buffer).toBe(first.buffer);
  });
});

describe('scrapes served from reused render buffers', () => {
  it('each get the exposition of their own moment, one after another', async () => {
    const { registry, setAll } = bigRegistry();
    const server = await createMetricsServer({ registry, port: 0 });
    servers.push(server);
    for (const value of [1, 2, 3]) {
      setAll(value);
      const expected = render(registry.snapshot()).replace(/^promlite_scrape[^\n]*\n/gm, '');
      const body = (await readAll(await request(server.url))).replace(/^promlite_scrape[^\n]*\n/gm, '');
      expect(body.length).toBeGreaterThan(10_000_000);
      expect(body === expected).toBe(true);
    }
  });

  it('never write a new body into memory that a stalled scrape is still sending', async () => {
    const { registry, setAll } = bigRegistry();
    const server = await createMetricsServer({ registry, port: 0 });
    servers.push(server);
    setAll(1);
    const before = render(registry.snapshot()).replace(/^promlite_scrape[^\n]*\n/gm, '');
    const stalled = await request(server.url);
    stalled.pause();
    // Past the window in which a new scrape would join the stalled one's body.
    await new Promise((resolve) => setTimeout(resolve, 400));
    setAll(2);
    const after = render(registry.snapshot()).replace(/^promlite_scrape[^\n]*\n/gm, '');
    const fresh = (await readAll(await request(server.url))).replace(/^promlite_scrape[^\n]*\n/gm, '');
    expect(fresh === after).toBe(true);
    const old = (await readAll(stalled)).replace(/^promlite_scrape[^\n]*\n/gm, '');
    expect(old === before).toBe(true);
  });

  it('keep a body whose render has ended until its slowest reader has sent it', async () => {
    const { registry, setAll } = bigRegistry();
    const server = await createMetricsServer({ registry, port: 0 });
    servers.push(server);
    setAll(1);
    const strip = (text: string) => text.replace(/^promlite_scrape[^\n]*\n/gm, '');
    const before = strip(render(registry.snapshot()));
    // Two scrapes share one body: the fast one drives the render to its end, the slow one stalls.
    const [fast, slow] = await Promise.all([request(server.url), request(server.url)]);
    slow.pause();
    expect(strip(await readAll(fast)) === before).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    setAll(2);
    const after = strip(render(registry.snapshot()));
    expect(strip(await readAll(await request(server.url))) === after).toBe(true);
    expect(strip(await readAll(slow)) === before).toBe(true);
  });
});
