import { describe, expect, it } from 'vitest';
import { mergeSnapshots, Registry } from '../../src/index.js';
import { mergeNative } from '../../src/core/native-merge.js';
import { bucketIndex, indexTable } from '../../src/core/native-buckets.js';
import type { HistogramFamily, NativeHistogramData } from '../../src/core/snapshot.js';

function native(registry: Registry): NativeHistogramData {
  const family = registry.snapshot().families.find((f) => f.name === 'x') as HistogramFamily;
  return family.series[0]?.native as NativeHistogramData;
}

/** Counts values straight into buckets at `schema`, for comparison. */
function direct(values: readonly number[], schema: number) {
  const bounds = schema > 0 ? indexTable(schema) : undefined;
  const sides = { positive: new Map<number, number>(), negative: new Map<number, number>() };
  for (const v of values) {
    const side = v > 0 ? sides.positive : sides.negative;
    const i = bucketIndex(Math.abs(v), schema, bounds);
    side.set(i, (side.get(i) ?? 0) + 1);
  }
  const list = (m: Map<number, number>) => {
    const indexes = [...m.keys()].sort((a, b) => a - b);
    return { indexes, counts: indexes.map((i) => m.get(i) as number) };
  };
  return { positive: list(sides.positive), negative: list(sides.negative) };
}

const spread = (n: number, seed0: number): number[] => {
  let seed = seed0;
  return Array.from({ length: n }, (_, k) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return 2 ** ((seed / 2 ** 32) * 30 - 15) * (k % 4 === 0 ? -1 : 1);
  });
};

describe('merging native histograms', () => {
  it('merges different schemas at the coarser one, as if every value had been counted there', () => {
    const fine = new Registry();
    const coarse = new Registry();
    const a = spread(300, 1);
    const b = spread(3000, 2);
    const h1 = fine.histogram({ name: 'x', help: 'h', native: { maxBuckets: 0 } });
    const h2 = coarse.histogram({ name: 'x', help: 'h', native: { maxBuckets: 0, bucketFactor: 2 } });
    for (const v of a) h1.observe(v);
    for (const v of b) h2.observe(v);
    // Declared with different factors, so the merge sees schema 3 and schema 0.
    const merged = mergeNative(native(fine), native(coarse));
    expect(merged.schema).toBe(0);
    expect({ positive: merged.positive, negative: merged.negative }).toEqual(direct([...a, ...b], 0));
    expect(merged.zeroCount).toBe(0);
  });

  it('mergeSnapshots adds native buckets of the same series, and reduced resolutions meet', () => {
    const registries = [new Registry(), new Registry()];
    const values = [spread(2000, 3), spread(50, 4)];
    registries.forEach((registry, k) => {
      const h = registry.histogram({ name: 'x', help: 'h', native: { maxBuckets: 40 } });
      for (const v of values[k] as number[]) h.observe(v);
    });
    const [first, second] = registries.map(native) as [NativeHistogramData, NativeHistogramData];
    expect(first.schema).toBeLessThan(second.schema);
    const merged = mergeSnapshots(registries.map((r) => r.snapshot()));
    const series = (merged.families.find((f) => f.name === 'x') as HistogramFamily).series[0];
    expect(series?.count).toBe(2050);
    expect(series?.native?.schema).toBe(first.schema);
    const { positive, negative } = (series as HistogramFamily['series'][number]).native as NativeHistogramData;
    expect({ positive, negative }).toEqual(
      direct([...(values[0] as number[]), ...(values[1] as number[])], first.schema),
    );
  });

  it('a wider zero bucket swallows the buckets inside it and widens to the one it cuts', () => {
    const a: NativeHistogramData = {
      schema: 0,
      zeroThreshold: 0.3,
      zeroCount: 2,
      positive: { indexes: [0], counts: [1] },
      negative: { indexes: [], counts: [] },
    };
    // At schema 0, bucket -2 is (1/8, 1/4], bucket -1 (1/4, 1/2]: the latter straddles 0.3.
    const b: NativeHistogramData = {
      schema: 0,
      zeroThreshold: 0.001,
      zeroCount: 1,
      positive: { indexes: [-2, -1, 1], counts: [4, 5, 6] },
      negative: { indexes: [-3], counts: [7] },
    };
    expect(mergeNative(a, b)).toEqual({
      schema: 0,
      zeroThreshold: 0.5,
      zeroCount: 2 + 1 + 4 + 5 + 7,
      positive: { indexes: [0, 1], counts: [1, 6] },
      negative: { indexes: [], counts: [] },
    });
  });

  it('leaves out native data when one source has none', () => {
    const withNative = new Registry();
    withNative.histogram({ name: 'x', help: 'h', buckets: [1], native: {} }).observe(0.5);
    const classic = new Registry();
    classic.histogram({ name: 'x', help: 'h', buckets: [1] }).observe(0.5);
    const merged = mergeSnapshots([withNative.snapshot(), classic.snapshot()]);
    const series = (merged.families.find((f) => f.name === 'x') as HistogramFamily).series[0];
    expect(series?.count).toBe(2);
    expect(series?.native).toBeUndefined();
  });
});
