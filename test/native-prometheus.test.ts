// A real Prometheus 2.42 with native histograms enabled scrapes promlite over protobuf, and one
// without the flag over text; a histogram fed a known stream must come back from both. Every
// native bucket the server reports is recounted here from the observations, between the bounds
// the server itself computes — promlite's index function is not used to check itself.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsHandler, Registry } from '../src/index.js';
import { eventually, startPrometheus, type RunningPrometheus } from './support/prometheus.js';

const CLASSIC_BOUNDS = [0.005, 0.05, 0.5, 5];

/** A reproducible stream: log-uniform latencies over five decades, plus values on exact boundaries. */
function stream(): number[] {
  let seed = 20260412;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const values: number[] = [];
  for (let i = 0; i < 4000; i++) values.push(10 ** (random() * 5 - 4));
  // Powers of two are boundaries at every schema; 0 goes to the zero bucket.
  values.push(1, 1, 0.5, 0.25, 2, 4, 0.125, 0, 0);
  return values;
}
const VALUES = stream();
const NEGATIVE = [-0.5, -3, -3, -0.01];
/** Observations (by index in VALUES) that carry an exemplar: the first one, and the largest. */
const EXEMPLAR_AT = new Map<number, { trace_id: string }>([
  [0, { trace_id: 'first' }],
  [VALUES.indexOf(Math.max(...VALUES)), { trace_id: 'largest' }],
]);

interface StoredExemplars {
  readonly seriesLabels: Record<string, string>;
  readonly exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
}

async function exemplarsOf(prometheus: RunningPrometheus, query: string): Promise<StoredExemplars[]> {
  const now = Date.now() / 1000;
  return prometheus.api<StoredExemplars[]>(
    `/api/v1/query_exemplars?query=${encodeURIComponent(query)}&start=${now - 600}&end=${now + 60}`,
  );
}

interface Served {
  readonly server: Server;
  readonly target: string;
  /** Each scrape: what it asked for and what it got. */
  readonly scrapes: { accept: string; contentType: string }[];
}

async function serve(registry: Registry): Promise<Served> {
  const handler = metricsHandler(registry, { trustedCidrs: ['127.0.0.1/32'] });
  const scrapes: Served['scrapes'] = [];
  const server = createServer((request, response) => {
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    (response as { writeHead: unknown }).writeHead = (status: number, headers?: Record<string, string>) => {
      if (status === 200)
        scrapes.push({ accept: request.headers.accept ?? '', contentType: headers?.['Content-Type'] ?? '' });
      return writeHead(status, headers);
    };
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, target: `127.0.0.1:${(server.address() as { port: number }).port}`, scrapes };
}

/** A native histogram value as /api/v1/query returns it. */
interface NativeValue {
  readonly count: string;
  readonly sum: string;
  /** [boundaryRule, lower, upper, count]: rule 0 (lower, upper], 1 [lower, upper), 2 open, 3 closed. */
  readonly buckets?: [number, string, string, string][];
}

const parse = (text: string): number => (text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text));

/** Observations inside a bucket as the server describes it. */
function recount(values: readonly number[], rule: number, lower: number, upper: number): number {
  return values.filter((v) => {
    const aboveLower = rule === 1 || rule === 3 ? v >= lower : v > lower;
    const belowUpper = rule === 0 || rule === 3 ? v <= upper : v < upper;
    return aboveLower && belowUpper;
  }).length;
}

/** The q-quantile of sorted values, as the nearest rank. */
const trueQuantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;

let served: Served;
let native: RunningPrometheus;
let classic: RunningPrometheus;
const figures: string[] = [];

describe('native histograms on a real Prometheus 2.42', () => {
  beforeAll(async () => {
    const registry = new Registry();
    const latency = registry.histogram({
      name: 'stream_seconds',
      help: 'A known stream, classic and native buckets.',
      buckets: CLASSIC_BOUNDS,
      native: {},
    });
    // Two observations of the stream carry exemplars; the counter's one increment does too.
    const child = latency.labels({});
    VALUES.forEach((v, i) => {
      child.observe(v, EXEMPLAR_AT.get(i));
    });
    registry.counter({ name: 'requests_total', help: 'Requests.' }).labels({}).inc(1, { trace_id: 'counter-1' });
    const signed = registry.histogram({ name: 'signed_value', help: 'Native only, both signs.', native: {} });
    for (const v of [...NEGATIVE, 0.5, 7]) signed.observe(v);
    served = await serve(registry);
    const job = [{ name: 'native', target: served.target, metricsPath: '/metrics' }];
    [native, classic] = await Promise.all([
      startPrometheus(job, { flags: ['--enable-feature=native-histograms,exemplar-storage'] }),
      startPrometheus(job, { flags: ['--enable-feature=exemplar-storage'] }),
    ]);
    for (const prometheus of [native, classic]) {
      await eventually(
        async () =>
          (await prometheus.query('stream_seconds_count or histogram_count(stream_seconds)')).length > 0
            ? true
            : undefined,
        45_000,
        async () => `nothing stored yet: ${JSON.stringify(await prometheus.targets())}\n${prometheus.log()}`,
      );
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all([native?.stop(), classic?.stop()]);
    if (served !== undefined) {
      served.server.closeAllConnections();
      await new Promise((resolve) => served.server.close(resolve));
    }
    if (figures.length > 0) console.log(`real-Prometheus figures:\n${figures.join('\n')}`);
  });

  it('histogram_count and histogram_sum are exact', async () => {
    const [count] = await native.query('histogram_count(stream_seconds)');
    const [sum] = await native.query('histogram_sum(stream_seconds)');
    let expectedSum = 0;
    for (const v of VALUES) expectedSum += v;
    expect(parse(count?.value[1] as string)).toBe(VALUES.length);
    expect(parse(sum?.value[1] as string)).toBe(expectedSum);
    figures.push(
      `count ${count?.value[1]} (expected ${VALUES.length}), sum ${sum?.value[1]} (expected ${expectedSum})`,
    );
  });

  it('every native bucket holds exactly the observations between the bounds the server reports', async () => {
    for (const [name, values] of [
      ['stream_seconds', VALUES],
      ['signed_value', [...NEGATIVE, 0.5, 7]],
    ] as const) {
      const [sample] = (
        await native.api<{ result: { histogram: [number, NativeValue] }[] }>(`/api/v1/query?query=${name}`)
      ).result;
      const buckets = sample?.histogram[1].buckets ?? [];
      let total = 0;
      for (const [rule, lower, upper, count] of buckets) {
        const expected = recount(values, rule, parse(lower), parse(upper));
        expect(parse(count), `${name} bucket ${rule} ${lower}..${upper}`).toBe(expected);
        total += expected;
      }
      // Every observation is in one reported bucket: none lost, none counted twice.
      expect(total).toBe(values.length);
      figures.push(`${name}: ${buckets.length} native buckets, each equal to the recount`);
    }
  });

  it('histogram_quantile lands within one bucket (factor 2^(1/8)) of the true quantile', async () => {
    const sorted = [...VALUES].sort((a, b) => a - b);
    const base = 2 ** (1 / 8);
    for (const q of [0.5, 0.9, 0.99]) {
      const [result] = await native.query(`histogram_quantile(${q}, stream_seconds)`);
      const estimate = parse(result?.value[1] as string);
      const truth = trueQuantile(sorted, q);
      expect(estimate / truth, `q=${q}: ${estimate} vs ${truth}`).toBeGreaterThanOrEqual(1 / base);
      expect(estimate / truth, `q=${q}: ${estimate} vs ${truth}`).toBeLessThanOrEqual(base);
      figures.push(
        `q=${q}: estimate ${estimate}, true ${truth}, relative error ${((estimate / truth - 1) * 100).toFixed(2)} %`,
      );
    }
  });

  it('with native histograms on, 2.42 stores only the native series (classic buckets ignored)', async () => {
    expect(await native.query('stream_seconds_bucket')).toEqual([]);
  });

  it('a Prometheus without the flag stores the classic buckets, _sum and _count', async () => {
    // OpenMetrics spells bounds canonically (`5.0`): read them back as numbers.
    const stored = new Map(
      (await classic.query('stream_seconds_bucket')).map((b) => [parse(b.metric.le as string), parse(b.value[1])]),
    );
    expect([...stored.keys()].sort((a, b) => a - b)).toEqual([...CLASSIC_BOUNDS, Infinity]);
    for (const bound of CLASSIC_BOUNDS) {
      expect(stored.get(bound), `le=${bound}`).toBe(VALUES.filter((v) => v <= bound).length);
    }
    const [inf] = await classic.query('stream_seconds_bucket{le="+Inf"}');
    expect(parse(inf?.value[1] as string)).toBe(VALUES.length);
    const [onlyInf] = await classic.query('signed_value_bucket');
    expect(onlyInf?.metric.le).toBe('+Inf');
    expect(await classic.query('histogram_count(stream_seconds)')).toEqual([]);
  });

  it('exemplars come back from /api/v1/query_exemplars of both', async () => {
    const traceIds = (stored: StoredExemplars[]) => stored.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id));
    const expectedValue = new Map([...EXEMPLAR_AT].map(([i, labels]) => [labels.trace_id, VALUES[i] as number]));
    for (const prometheus of [native, classic]) {
      const counter = await eventually(
        async () => {
          const found = await exemplarsOf(prometheus, 'requests_total');
          return found.length > 0 ? found : undefined;
        },
        15_000,
        () => 'no counter exemplar stored',
      );
      expect(traceIds(counter)).toEqual(['counter-1']);
      expect(counter[0]?.exemplars[0]?.value).toBe('1');
    }
    // Without native histograms every bucket's exemplar is stored, on its `_bucket` series.
    const buckets = await exemplarsOf(classic, 'stream_seconds_bucket');
    expect(traceIds(buckets).sort()).toEqual(['first', 'largest']);
    for (const { exemplars } of buckets)
      for (const e of exemplars) expect(Number(e.value)).toBe(expectedValue.get(e.labels.trace_id as string));
    // 2.42 keeps one bucket exemplar per native histogram and scrape: the first bucket's that has one.
    const nativeExemplars = await eventually(
      async () => {
        const found = await exemplarsOf(native, 'stream_seconds');
        return found.length > 0 ? found : undefined;
      },
      15_000,
      () => 'no native histogram exemplar stored',
    );
    const ids = traceIds(nativeExemplars);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(['first', 'largest']).toContain(id);
    for (const { exemplars } of nativeExemplars)
      for (const e of exemplars) expect(Number(e.value)).toBe(expectedValue.get(e.labels.trace_id as string));
    figures.push(
      `exemplars: counter on both; classic buckets ${traceIds(buckets).sort().join(', ')}; native ${ids.join(', ')}`,
    );
  });

  it('protobuf went only to the scraper that asked for it', () => {
    const protobuf = served.scrapes.filter((s) => s.contentType.startsWith('application/vnd.google.protobuf'));
    expect(protobuf.length).toBeGreaterThan(0);
    for (const scrape of served.scrapes) {
      const asked = scrape.accept.includes('application/vnd.google.protobuf');
      expect(scrape.contentType.startsWith('application/vnd.google.protobuf'), scrape.accept).toBe(asked);
    }
    expect(protobuf[0]?.contentType).toBe(
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
    );
  });
});
