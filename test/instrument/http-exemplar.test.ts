// instrumentHttp's `native` and `exemplar` options over real sockets: the duration histogram keeps
// its classic buckets beside the native ones, each request's exemplar (a trace id from its
// `traceparent` header) reaches OpenMetrics and protobuf, and no exemplar callback, however
// broken, costs a request its measurement.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_BUCKETS,
  type HistogramSeries,
  instrumentHttp,
  type HttpInstrumentationOptions,
  Registry,
  render,
  renderOpenMetrics,
  renderProtobuf,
} from '../../src/index.js';
import { pythonParse } from '../support/consumers.js';
import { fetchRaw } from '../support/http.js';
import { decodeFamilies } from '../support/protobuf-decode.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(options: HttpInstrumentationOptions): Promise<{ registry: Registry; base: string }> {
  const registry = new Registry();
  const http = instrumentHttp(registry, options);
  const server = createServer(http.wrap((_request, response) => response.end('ok')));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { registry, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** The W3C trace id of a request's `traceparent` header, as a service would read it. */
const traceIdOf = (request: IncomingMessage) => {
  const found = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(String(request.headers.traceparent));
  return found === null ? undefined : { trace_id: found[1] as string };
};
const traceparent = (i: number) => `00-${String(i).padStart(32, 'a')}-00f067aa0ba902b7-01`;

/** Waits for the 'close' listener that records a request: it runs right after the response. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('instrumentHttp native and exemplar options', () => {
  it('records native buckets beside the default classic ones, with the latest trace id as exemplar', async () => {
    const { registry, base } = await serve({ native: {}, exemplar: traceIdOf });
    for (let i = 1; i <= 3; i++) await fetchRaw(`${base}/orders/${i}`, { headers: { traceparent: traceparent(i) } });
    await fetchRaw(`${base}/orders/4`); // no traceparent: no exemplar, still counted
    await settle();

    const snapshot = registry.snapshot();
    const family = snapshot.families.find((f) => f.name === 'http_request_duration_seconds');
    expect(family?.type).toBe('histogram');
    const series = (family as { series: readonly HistogramSeries[] }).series[0];
    expect(series?.count).toBe(4);
    expect(series?.native?.schema).toBe(3);
    const nativeCount = (series?.native?.positive.counts ?? []).reduce((a, b) => a + b, 0);
    expect(nativeCount + (series?.native?.zeroCount ?? 0)).toBe(4);

    // Text 0.0.4 keeps every default classic bucket and never carries an exemplar.
    const text = render(snapshot);
    for (const bound of DEFAULT_BUCKETS) {
      expect(text).toContain(`http_request_duration_seconds_bucket{method="GET",route="/orders/:id",le="${bound}"}`);
    }
    expect(text).not.toContain('trace_id');

    // OpenMetrics: the count and some bucket carry the last request that had a trace id; the strict
    // python parser accepts it.
    const openMetrics = renderOpenMetrics(snapshot);
    const last = traceparent(3).slice(3, 35);
    expect(openMetrics).toMatch(
      new RegExp(
        `^http_requests_total\\{method="GET",route="/orders/:id",status="200"\\} 4 # \\{trace_id="${last}"\\} 1 `,
        'm',
      ),
    );
    expect(openMetrics).toMatch(/^http_request_duration_seconds_bucket\{[^}]*\} \d+ # \{trace_id="a+[123]"\}/m);
    expect(pythonParse(openMetrics, 'openmetrics').length).toBeGreaterThan(0);

    // Protobuf, read by an independent decoder: native fields and the classic buckets' exemplars.
    const decoded = decodeFamilies(renderProtobuf(snapshot));
    const histogram = decoded.find((f) => f.name === 'http_request_duration_seconds')?.metric[0]?.histogram as {
      schema: number;
      zeroThreshold: number;
      positiveSpan: unknown[];
      bucket: { exemplar?: { label: { name: string; value: string }[] } }[];
    };
    expect(histogram.schema).toBe(3);
    expect(histogram.zeroThreshold).toBeGreaterThan(0);
    expect(histogram.positiveSpan.length).toBeGreaterThan(0);
    expect(histogram.bucket.length).toBe(DEFAULT_BUCKETS.length);
    const traceIds = histogram.bucket.flatMap((b) => b.exemplar?.label.map((l) => l.value) ?? []);
    expect(traceIds.length).toBeGreaterThan(0);
    for (const id of traceIds) expect(id).toMatch(/^a+[123]$/);
  });

  it('keeps the classic-only histogram when `native` is not given, exemplars included', async () => {
    const { registry, base } = await serve({ buckets: [0.5, 5], exemplar: traceIdOf });
    await fetchRaw(`${base}/x`, { headers: { traceparent: traceparent(9) } });
    await settle();
    const family = registry.snapshot().families.find((f) => f.name === 'http_request_duration_seconds');
    const series = (family as { series: readonly HistogramSeries[] }).series[0];
    expect(series?.native).toBeUndefined();
    expect(series?.cumulativeCounts).toEqual([1, 1]);
    expect(renderOpenMetrics(registry.snapshot())).toContain(
      `le="0.5"} 1 # {trace_id="${traceparent(9).slice(3, 35)}"}`,
    );
  });

  it('measures every request whatever the exemplar callback does, and gives it no exemplar when broken', async () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const answers: (() => unknown)[] = [
      () => {
        throw new Error('tracer down');
      },
      () => Promise.reject(new Error('async tracer')),
      () => 42,
      () => ['trace'],
      () => ({ trace_id: 5 }),
      () => ({ 'trace-id': 'x' }),
      () => ({}),
      () => null,
      () =>
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('hostile');
            },
          },
        ),
      () => revoked.proxy,
      () => ({
        get trace_id() {
          throw new Error('hostile getter');
        },
      }),
    ];
    let call = 0;
    const { registry, base } = await serve({
      native: {},
      exemplar: () => (answers[call++ % answers.length] as () => unknown)() as never,
    });
    for (let i = 0; i < answers.length; i++) expect((await fetchRaw(`${base}/x`)).status).toBe(200);
    await settle();
    const openMetrics = renderOpenMetrics(registry.snapshot());
    expect(openMetrics).toMatch(new RegExp(`^http_requests_total\\{[^}]*\\} ${answers.length}$`, 'm'));
    expect(openMetrics).toMatch(new RegExp(`^http_request_duration_seconds_count\\{[^}]*\\} ${answers.length}$`, 'm'));
    expect(openMetrics).not.toContain(' # {');
  });

  it('drops and counts an exemplar over 128 characters, and keeps the measurement', async () => {
    const { registry, base } = await serve({ native: {}, exemplar: () => ({ trace_id: 'f'.repeat(200) }) });
    await fetchRaw(`${base}/x`);
    await settle();
    const text = render(registry.snapshot());
    expect(text).toMatch(/^http_requests_total\{[^}]*\} 1$/m);
    expect(text).toMatch(/^promlite_exemplars_dropped_total\{metric="http_requests_total"\} 1$/m);
    expect(text).toMatch(/^promlite_exemplars_dropped_total\{metric="http_request_duration_seconds"\} 1$/m);
  });

  it('refuses bad native and exemplar options by name', () => {
    const registry = new Registry();
    expect(() => instrumentHttp(registry, { native: 1 as never })).toThrow(
      'instrumentHttp: option "native" must be an object, got 1',
    );
    expect(() => instrumentHttp(registry, { exemplar: 'trace_id' as never })).toThrow(
      'instrumentHttp: option "exemplar" must be a function, got "trace_id"',
    );
    expect(() => instrumentHttp(new Registry(), { native: { bucketFactor: 0.5 } })).toThrow(
      'histogram "http_request_duration_seconds": option "native": option "bucketFactor" must be a finite number greater than 1, got 0.5',
    );
  });
});
