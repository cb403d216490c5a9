// Native buckets of one series from several sources as one: a pure function of plain data.
import { bucketUpperBound } from './native-buckets.js';
import type { HistogramSeries, NativeBucketList, NativeHistogramData } from './snapshot.js';

/**
 * The `native` field of two merged series: their native buckets added at the coarser schema of
 * the two, when both have them; absent otherwise (a series without native buckets cannot say
 * where its observations fall). Pure.
 */
export function mergedNative(a: HistogramSeries, b: HistogramSeries): { native?: NativeHistogramData } {
  return a.native !== undefined && b.native !== undefined ? { native: mergeNative(a.native, b.native) } : {};
}

/**
 * Adds two native histograms. Both are first brought to the coarser schema (bucket i at schema
 * s is within bucket ⌈i/2^d⌉ at schema s−d, exactly), then to the wider zero bucket: buckets
 * that lie inside it join the zero count, and one that straddles it widens the threshold to
 * its upper bound, so no observation changes side. Pure; the inputs are not changed.
 */
export function mergeNative(a: NativeHistogramData, b: NativeHistogramData): NativeHistogramData {
  const schema = Math.min(a.schema, b.schema);
  const positive = new Map<number, number>();
  const negative = new Map<number, number>();
  for (const source of [a, b]) {
    addScaled(positive, source.positive, source.schema - schema);
    addScaled(negative, source.negative, source.schema - schema);
  }
  let zeroThreshold = Math.max(a.zeroThreshold, b.zeroThreshold);
  let zeroCount = a.zeroCount + b.zeroCount;
  // Widening can make another bucket straddle the threshold: repeat until none does.
  for (let changed = true; changed; ) {
    changed = false;
    for (const side of [positive, negative]) {
      for (const [index, count] of side) {
        const lower = bucketUpperBound(index - 1, schema);
        if (lower >= zeroThreshold) continue;
        const upper = bucketUpperBound(index, schema);
        if (upper > zeroThreshold) {
          zeroThreshold = upper;
          changed = true;
        }
        zeroCount += count;
        side.delete(index);
      }
    }
  }
  return { schema, zeroThreshold, zeroCount, positive: sorted(positive), negative: sorted(negative) };
}

function addScaled(into: Map<number, number>, buckets: NativeBucketList, steps: number): void {
  const divisor = 2 ** steps;
  buckets.indexes.forEach((index, k) => {
    // Division by a power of two is exact, so ceil gives the coarser index without rounding error.
    const target = Math.ceil(index / divisor);
    into.set(target, (into.get(target) ?? 0) + (buckets.counts[k] as number));
  });
}

function sorted(buckets: Map<number, number>): NativeBucketList {
  const indexes = [...buckets.keys()].sort((x, y) => x - y);
  return { indexes, counts: indexes.map((index) => buckets.get(index) as number) };
}
