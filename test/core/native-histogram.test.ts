import { describe, expect, it } from 'vitest';
import { PromliteError, Registry, render } from '../../src/index.js';
import { bucketIndex, bucketUpperBound, indexTable } from '../../src/core/native-buckets.js';
import type { HistogramFamily, NativeHistogramData } from '../../src/core/snapshot.js';

function nativeOf(registry: Registry, name: string): NativeHistogramData {
  const family = registry.snapshot().families.find((f) => f.name === name) as HistogramFamily;
  const native = family.series[0]?.native;
  if (native === undefined) throw new Error(`no native data in ${name}`);
  return native;
}

/** Recounts observations at a schema, by the index function, for comparison. */
function recount(values: readonly number[], schema: number, zeroThreshold: number) {
  const positive = new Map<number, number>();
  const negative = new Map<number, number>();
  let zero = 0;
  const bounds = schema > 0 ? indexTable(schema) : undefined;
  for (const v of values) {
    if (Math.abs(v) <= zeroThreshold) zero++;
    else {
      const side = v > 0 ? positive : negative;
      const i = bucketIndex(Math.abs(v), schema, bounds);
      side.set(i, (side.get(i) ?? 0) + 1);
    }
  }
  const list = (m: Map<number, number>) => {
    const indexes = [...m.keys()].sort((a, b) => a - b);
    return { indexes, counts: indexes.map((i) => m.get(i) as number) };
  };
  return { zeroCount: zero, positive: list(positive), negative: list(negative) };
}

describe('native histograms', () => {
  it('take client_golang defaults: schema 3, threshold 2^-128; only +Inf as classic bucket', () => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'latency_seconds', help: 'h', native: {} });
    h.observe(1);
    h.observe(0);
    h.observe(-2);
    h.observe(0.25);
    const native = nativeOf(registry, 'latency_seconds');
    expect(native).toEqual({
      schema: 3,
      zeroThreshold: 2 ** -128,
      zeroCount: 1,
      positive: { indexes: [-16, 0], counts: [1, 1] },
      negative: { indexes: [8], counts: [1] },
    });
    expect(render(registry.snapshot())).toBe(
      '# HELP latency_seconds h\n# TYPE latency_seconds histogram\nlatency_seconds_bucket{le="+Inf"} 4\nlatency_seconds_sum -0.75\nlatency_seconds_count 4\n',
    );
  });

  it('keep classic buckets when buckets are given too', () => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'x', help: 'h', buckets: [1], native: { bucketFactor: 2 } });
    h.observe(0.5);
    h.observe(3);
    expect(render(registry.snapshot())).toContain('x_bucket{le="1"} 1\nx_bucket{le="+Inf"} 2\n');
    expect(nativeOf(registry, 'x').schema).toBe(0);
    expect(nativeOf(registry, 'x').positive).toEqual({ indexes: [-1, 2], counts: [1, 1] });
  });

  it('put ±Inf one bucket beyond the largest float, on their own side', () => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'x', help: 'h', native: { bucketFactor: 2 } });
    h.observe(Number.POSITIVE_INFINITY);
    h.observe(Number.NEGATIVE_INFINITY);
    const native = nativeOf(registry, 'x');
    expect(native.positive).toEqual({ indexes: [1025], counts: [1] });
    expect(native.negative).toEqual({ indexes: [1025], counts: [1] });
  });

  it('refuse NaN as every histogram does', () => {
    const h = new Registry().histogram({ name: 'x', help: 'h', native: {} });
    expect(() => h.observe(Number.NaN)).toThrow(PromliteError);
  });

  it('count magnitudes up to the zero threshold in the zero bucket, threshold included', () => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'x', help: 'h', native: { zeroThreshold: 0.001 } });
    for (const v of [0.001, -0.001, 0, 0.0010000001, -0.0005]) h.observe(v);
    const native = nativeOf(registry, 'x');
    expect(native.zeroCount).toBe(4);
    expect(native.positive.counts).toEqual([1]);
  });

  it('halve the resolution beyond maxBuckets and lose no observation', () => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'x', help: 'h', native: { maxBuckets: 20 } });
    const values: number[] = [];
    let seed = 7;
    for (let k = 0; k < 5000; k++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const v = 2 ** ((seed / 2 ** 32) * 40 - 20) * (k % 3 === 0 ? -1 : 1);
      values.push(v);
      h.observe(v);
    }
    const native = nativeOf(registry, 'x');
    expect(native.positive.indexes.length + native.negative.indexes.length).toBeLessThanOrEqual(20);
    expect(native.schema).toBeLessThan(3);
    // The same observations counted directly at the final schema give the same buckets.
    const expected = recount(values, native.schema, 2 ** -128);
    expect(native.positive).toEqual(expected.positive);
    expect(native.negative).toEqual(expected.negative);
    const total = [...native.positive.counts, ...native.negative.counts].reduce((a, b) => a + b, native.zeroCount);
    expect(total).toBe(5000);
  });

  it('stop at schema -4 rather than drop data', () => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'x', help: 'h', native: { maxBuckets: 1 } });
    for (let e = -100; e <= 100; e += 10) h.observe(2 ** e);
    const native = nativeOf(registry, 'x');
    expect(native.schema).toBe(-4);
    expect(native.positive.counts.reduce((a, b) => a + b, 0)).toBe(21);
    expect(native.positive).toEqual(
      recount(
        Array.from({ length: 21 }, (_, k) => 2 ** (k * 10 - 100)),
        -4,
        0,
      ).positive,
    );
  });

  it('many buckets without a limit: the tables grow, every count stays', () => {
    const registry = new Registry();
    const h = registry.histogram({ name: 'x', help: 'h', native: { maxBuckets: 0, bucketFactor: 1.001 } });
    const values = Array.from({ length: 3000 }, (_, k) => 1 + k / 100);
    for (const v of values) h.observe(v);
    const native = nativeOf(registry, 'x');
    expect(native.schema).toBe(8);
    expect(native.positive).toEqual(recount(values, 8, 2 ** -128).positive);
  });

  it.each([
    [{ bucketFactor: 1 }, 'bucketFactor'],
    [{ maxBuckets: -1 }, 'maxBuckets'],
    [{ zeroThreshold: -1 }, 'zeroThreshold'],
    [{ schema: 3 }, 'unknown option "schema"'],
    [true, 'native'],
  ])('refuse bad native options %j', (native, words) => {
    const registry = new Registry();
    expect(() => registry.histogram({ name: 'x', help: 'h', native: native as never })).toThrow(words);
  });

  it('a redeclaration must agree on the native shape', () => {
    const registry = new Registry();
    registry.histogram({ name: 'x', help: 'h', native: {} });
    expect(() => registry.histogram({ name: 'x', help: 'h', native: {} })).not.toThrow();
    expect(() => registry.histogram({ name: 'x', help: 'h', native: { bucketFactor: 2 } })).toThrow(/native schema 3/);
    expect(() => registry.histogram({ name: 'x', help: 'h', buckets: [1] })).toThrow();
  });

  it('bucketUpperBound is the float the index function treats as the bucket end', () => {
    for (const s of [-2, 0, 3]) {
      for (const i of [-5, 0, 7]) {
        expect(bucketIndex(bucketUpperBound(i, s), s, s > 0 ? indexTable(s) : undefined)).toBe(i);
      }
    }
  });
});
