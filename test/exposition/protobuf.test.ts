import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderProtobuf, renderProtobufChunks } from '../../src/exposition/protobuf.js';
import { Registry } from '../../src/index.js';
import type { HistogramFamily, NativeBucketList } from '../../src/core/snapshot.js';
import { decodedText, decodeFamilies, type DecodedFamily } from '../support/protobuf-decode.js';
import { GOLDEN_CASES } from './golden-cases.js';

/** Compares with fixtures/<file>, or writes it there under UPDATE_GOLDEN=1. */
function expectGolden(file: string, actual: string): void {
  const path = new URL(`../../fixtures/${file}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  if (!existsSync(path)) {
    throw new Error(
      `fixtures/${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/exposition/protobuf.test.ts, then review git diff fixtures/`,
    );
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

type Span = { offset: number; length: number };
// biome-ignore lint/suspicious/noExplicitAny: what protobufjs decodes is untyped; the tests read it field by field
type Decoded = any;

/** Spans and deltas back to sparse indexes and absolute counts, zero buckets left out. */
function expand(spans: Span[] | undefined, deltas: number[] | undefined): NativeBucketList {
  const indexes: number[] = [];
  const counts: number[] = [];
  let index = 0;
  let count = 0;
  let k = 0;
  for (const span of spans ?? []) {
    index += span.offset;
    for (let j = 0; j < span.length; j++, index++) {
      count += (deltas ?? [])[k++] as number;
      if (count !== 0) {
        indexes.push(index);
        counts.push(count);
      }
    }
  }
  expect(k).toBe((deltas ?? []).length);
  return { indexes, counts };
}

describe.each(GOLDEN_CASES)('protobuf golden $name', ({ name, build }) => {
  const snapshot = build();
  const bytes = renderProtobuf(snapshot);
  const families = decodeFamilies(bytes);

  it(`decodes (protobufjs, published schema) to fixtures/${name}.pb.txt`, () => {
    expectGolden(`${name}.pb.txt`, decodedText(families));
  });

  it('holds every family that has series, named and typed as text 0.0.4 names them', () => {
    const expected = snapshot.families
      .filter((f) => f.series.length > 0)
      .map((f) => ({
        name: f.name,
        type: f.type === 'info' || f.type === 'stateset' ? 'GAUGE' : (f.type.toUpperCase() as DecodedFamily['type']),
        metrics: f.series.length,
      }));
    expect(families.map((f) => ({ name: f.name, type: f.type, metrics: f.metric.length }))).toEqual(expected);
  });

  it('carries every value, label and bucket of the snapshot', () => {
    const withSeries = snapshot.families.filter((f) => f.series.length > 0);
    withSeries.forEach((family, i) => {
      const decoded = families[i] as DecodedFamily;
      family.series.forEach((series, s) => {
        const metric = decoded.metric[s] as Decoded;
        const labels = (metric.label ?? []).map((pair: { name: string; value?: string }) => [
          pair.name,
          pair.value ?? '',
        ]);
        expect(labels).toEqual(family.labelNames.map((label, l) => [label, series.labelValues[l]]));
        if (family.type === 'histogram') {
          const h = metric.histogram;
          const hs = series as HistogramFamily['series'][number];
          expect(h.sampleCount).toBe(hs.count);
          expect(Object.is(h.sampleSum, hs.sum) || h.sampleSum === hs.sum).toBe(true);
          expect((h.bucket ?? []).map((b: Decoded) => [b.upperBound, b.cumulativeCount ?? 0])).toEqual(
            family.upperBounds.map((bound, b) => [bound, hs.cumulativeCounts[b]]),
          );
          if (hs.native === undefined) expect(h.schema).toBeUndefined();
          else {
            expect(h.schema).toBe(hs.native.schema);
            expect(h.zeroThreshold).toBe(hs.native.zeroThreshold);
            expect(h.zeroCount).toBe(hs.native.zeroCount);
            expect(expand(h.positiveSpan, h.positiveDelta)).toEqual(hs.native.positive);
            expect(expand(h.negativeSpan, h.negativeDelta)).toEqual(hs.native.negative);
          }
        }
      });
    });
  });

  it('is the same bytes whole or in chunks', () => {
    const chunks = [...renderProtobufChunks(snapshot, 64)];
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });
});

describe('protobuf encoding', () => {
  it('writes lengths of 128 bytes and more as multi-byte varints', () => {
    const registry = new Registry();
    const counter = registry.counter({ name: 'long_total', help: 'x'.repeat(300), labelNames: ['path'] });
    for (let i = 0; i < 200; i++) counter.inc({ path: `/p/${'y'.repeat(i)}` });
    const families = decodeFamilies(renderProtobuf(registry.snapshot()));
    expect(families[0]?.help).toBe('x'.repeat(300));
    expect(families[0]?.metric.length).toBe(200);
  });

  it('writes counts beyond 2^32 exactly', () => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'big', help: 'h', buckets: [1] });
    // Counts are integers; drive the series state directly to a large value.
    h.observe(0.5);
    const snapshot = registry.snapshot();
    const family = snapshot.families[0] as HistogramFamily;
    const series = {
      ...(family.series[0] as HistogramFamily['series'][number]),
      count: 2 ** 40 + 3,
      cumulativeCounts: [2 ** 35],
    };
    const decoded = decodeFamilies(renderProtobuf({ families: [{ ...family, series: [series] }] }));
    const h0 = ((decoded[0] as DecodedFamily).metric[0] as Decoded).histogram;
    expect(h0.sampleCount).toBe(2 ** 40 + 3);
    expect(h0.bucket[0].cumulativeCount).toBe(2 ** 35);
  });

  it('bridges gaps of up to two empty buckets inside a span, and starts a new span beyond', () => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'g', help: 'h', native: { bucketFactor: 2 } });
    // schema 0: 1 → 0, 4 → 2, 32 → 5 (gap 2: bridged), 1024 → 10 (gap 4: new span).
    for (const v of [1, 4, 4, 32, 1024]) h.observe(v);
    const decoded = decodeFamilies(renderProtobuf(registry.snapshot()));
    const hist = ((decoded[0] as DecodedFamily).metric[0] as Decoded).histogram;
    expect(hist.positiveSpan).toEqual([
      { offset: 0, length: 6 },
      { offset: 4, length: 1 },
    ]);
    expect(hist.positiveDelta).toEqual([1, -1, 2, -2, 0, 1, 0]);
  });
});
