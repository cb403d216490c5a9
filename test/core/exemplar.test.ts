import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PromliteError, Registry, render, renderOpenMetrics, renderProtobuf } from '../../src/index.js';
import type { CounterFamily, HistogramFamily, RegistrySnapshot } from '../../src/core/snapshot.js';
import { PYTHON } from '../support/consumers.js';
import { decodeFamilies } from '../support/protobuf-decode.js';

const NOW = 1_700_000_000_123;
const family = <T>(snapshot: RegistrySnapshot, name: string) => snapshot.families.find((f) => f.name === name) as T;

/** Exemplars as the strict OpenMetrics parser of prometheus_client reads them. */
function pythonExemplars(text: string): { name: string; labels: Record<string, string>; exemplar: unknown }[] {
  const script = `
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
out = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        if s.exemplar is not None:
            out.append({"name": s.name, "labels": s.labels, "exemplar": {"labels": s.exemplar.labels, "value": s.exemplar.value, "timestamp": float(s.exemplar.timestamp)}})
print(json.dumps(out))
`;
  const result = spawnSync(PYTHON, ['-c', script], { input: text, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe('exemplars', () => {
  it('a counter keeps the latest exemplar per series, from every call form', () => {
    const registry = new Registry({ now: () => NOW });
    const requests = registry.counter({ name: 'requests_total', help: 'h', labelNames: ['code'] });
    requests.labels({ code: '200' }).inc(1, { trace_id: 'aaa' });
    requests.labels({ code: '200' }).inc(2, { trace_id: 'bbb' });
    requests.inc({ code: '500' }, 1, { trace_id: 'ccc', span_id: 's1' });
    requests.inc({ code: '404' });
    const plain = registry.counter({ name: 'plain_total', help: 'h' });
    plain.labels({}).inc(5, { trace_id: 'ddd' });
    const snapshot = registry.snapshot();
    const series = family<CounterFamily>(snapshot, 'requests_total').series;
    expect(series.map((s) => s.exemplar)).toEqual([
      { labels: { trace_id: 'bbb' }, value: 2, timestampMs: NOW },
      undefined,
      { labels: { trace_id: 'ccc', span_id: 's1' }, value: 1, timestampMs: NOW },
    ]);
    expect(series[1]).toEqual({ labelValues: ['404'], value: 0 + 1 });
    const om = renderOpenMetrics(snapshot);
    expect(om).toContain('requests_total{code="200"} 3 # {trace_id="bbb"} 2 1700000000.123\n');
    expect(om).toContain('plain_total 5 # {trace_id="ddd"} 5 1700000000.123\n');
    // Never in text 0.0.4, whose parser fails the whole scrape on exemplar syntax.
    expect(render(snapshot)).not.toContain('#  {');
    expect(render(snapshot)).not.toContain('trace_id');
  });

  it('a histogram keeps the latest exemplar per bucket; a native-only one in +Inf', () => {
    const registry = new Registry({ now: () => NOW });
    const latency = registry.histogram({ name: 'latency_seconds', help: 'h', buckets: [0.1, 1], native: {} });
    const child = latency.labels({});
    child.observe(0.05, { trace_id: 'a' });
    child.observe(0.5, { trace_id: 'b' });
    child.observe(0.7, { trace_id: 'c' });
    child.observe(0.8);
    latency.observe(5, undefined);
    const only = registry.histogram({ name: 'native_seconds', help: 'h', native: {} });
    only.labels({}).observe(0.3, { trace_id: 'n' });
    const snapshot = registry.snapshot();
    const series = family<HistogramFamily>(snapshot, 'latency_seconds').series[0];
    expect(series?.exemplars).toEqual([
      { labels: { trace_id: 'a' }, value: 0.05, timestampMs: NOW },
      { labels: { trace_id: 'c' }, value: 0.7, timestampMs: NOW },
      undefined,
    ]);
    expect(family<HistogramFamily>(snapshot, 'native_seconds').series[0]?.exemplars).toEqual([
      { labels: { trace_id: 'n' }, value: 0.3, timestampMs: NOW },
    ]);
    const om = renderOpenMetrics(snapshot);
    expect(om).toContain('latency_seconds_bucket{le="1.0"} 4 # {trace_id="c"} 0.7 1700000000.123\n');
    expect(om).toContain('native_seconds_bucket{le="+Inf"} 1 # {trace_id="n"} 0.3 1700000000.123\n');
    // The strict OpenMetrics parser reads them back.
    expect(pythonExemplars(om)).toEqual([
      {
        name: 'latency_seconds_bucket',
        labels: { le: '0.1' },
        exemplar: { labels: { trace_id: 'a' }, value: 0.05, timestamp: 1700000000.123 },
      },
      {
        name: 'latency_seconds_bucket',
        labels: { le: '1.0' },
        exemplar: { labels: { trace_id: 'c' }, value: 0.7, timestamp: 1700000000.123 },
      },
      {
        name: 'native_seconds_bucket',
        labels: { le: '+Inf' },
        exemplar: { labels: { trace_id: 'n' }, value: 0.3, timestamp: 1700000000.123 },
      },
    ]);
  });

  it('protobuf carries counter and bucket exemplars, native ones in `exemplars` too', () => {
    const registry = new Registry({ now: () => NOW });
    registry.counter({ name: 'c_total', help: 'h' }).labels({}).inc(1, { trace_id: 't1' });
    registry.histogram({ name: 'n_seconds', help: 'h', native: {} }).labels({}).observe(0.3, { trace_id: 't2' });
    const [counter, histogram] = decodeFamilies(renderProtobuf(registry.snapshot())).filter(
      (f) => ['c_total', 'n_seconds'].includes(f.name),
      // biome-ignore lint/suspicious/noExplicitAny: what protobufjs decodes is untyped
    ) as { metric: Record<string, any>[] }[];
    const timestamp = { seconds: 1_700_000_000, nanos: 123_000_000 };
    expect(counter?.metric[0]?.counter.exemplar).toEqual({
      label: [{ name: 'trace_id', value: 't1' }],
      value: 1,
      timestamp,
    });
    const h = histogram?.metric[0]?.histogram;
    expect(h.bucket).toEqual([
      {
        cumulativeCount: 1,
        upperBound: Infinity,
        exemplar: { label: [{ name: 'trace_id', value: 't2' }], value: 0.3, timestamp },
      },
    ]);
    expect(h.exemplars).toEqual([{ label: [{ name: 'trace_id', value: 't2' }], value: 0.3, timestamp }]);
  });

  it('refuses a label set over 128 characters: dropped, counted, the update kept', () => {
    const registry = new Registry();
    const c = registry.counter({ name: 'c_total', help: 'h' }).labels({});
    // 8 + 120 = 128 characters: kept. An emoji is one character.
    c.inc(1, { trace_id: 'x'.repeat(120) });
    c.inc(1, { trace_id: `${'x'.repeat(119)}🚀` });
    c.inc(1, { trace_id: 'x'.repeat(121) });
    const h = registry.histogram({ name: 'h_seconds', help: 'h', buckets: [1] }).labels({});
    h.observe(0.5, { a: 'y'.repeat(200) });
    const snapshot = registry.snapshot();
    const counter = family<CounterFamily>(snapshot, 'c_total').series[0];
    expect(counter?.value).toBe(3);
    expect(counter?.exemplar?.labels.trace_id).toBe(`${'x'.repeat(119)}🚀`);
    expect(family<HistogramFamily>(snapshot, 'h_seconds').series[0]?.count).toBe(1);
    expect(family<HistogramFamily>(snapshot, 'h_seconds').series[0]?.exemplars).toBeUndefined();
    expect(render(snapshot)).toContain('promlite_exemplars_dropped_total{metric="c_total"} 1\n');
    expect(render(snapshot)).toContain('promlite_exemplars_dropped_total{metric="h_seconds"} 1\n');
  });

  it.each([
    ['not an object', 'trace'],
    ['an invalid label name', { 'trace-id': 'x' }],
    ['a value that is not a string', { trace_id: 5 }],
  ])('throws INVALID_LABELS for %s', (_, labels) => {
    const registry = new Registry();
    const c = registry.counter({ name: 'c_total', help: 'h' }).labels({});
    expect(() => c.inc(1, labels as never)).toThrow(PromliteError);
    expect(() =>
      registry
        .histogram({ name: 'h', help: 'h' })
        .labels({})
        .observe(1, labels as never),
    ).toThrow(/exemplar label/);
  });
});
