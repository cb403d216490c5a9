// The live native buckets of one histogram series: sparse, on both sides of a zero bucket, in
// open-addressing hash tables of typed arrays, so that an observation into an existing bucket
// allocates nothing and costs a hash and a probe or two.
import { bucketIndex, type IndexTable, indexTable, MIN_SCHEMA } from './native-buckets.js';
import type { NativeBucketList, NativeHistogramData } from './snapshot.js';

/** What every series of one native histogram shares, checked at declaration. */
export interface NativeShape {
  /** The schema a series starts at (from `bucketFactor`). */
  readonly schema: number;
  /** Populated buckets (both sides) a series may hold before its resolution is halved; 0: no limit. */
  readonly maxBuckets: number;
  /** Observations with a magnitude up to this go to the zero bucket. */
  readonly zeroThreshold: number;
}

/** Marks an empty slot: below every reachable index (those lie within ±2^19). */
const EMPTY = -0x80000000;

/** One side's buckets: index → count, open addressing with linear probing. */
class BucketTable {
  keys: Int32Array;
  counts: Float64Array;
  size = 0;
  private mask: number;

  constructor(capacity: number) {
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.counts = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds `count` to bucket `key`; returns whether the bucket is new. */
  add(key: number, count: number): boolean {
    const { keys, mask } = this;
    // Fibonacci hashing spreads the consecutive indexes a distribution fills.
    let slot = (Math.imul(key, 0x9e3779b1) >>> 16) & mask;
    for (;;) {
      const found = keys[slot] as number;
      if (found === key) {
        (this.counts[slot] as number) += count;
        return false;
      }
      if (found === EMPTY) break;
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    this.counts[slot] = count;
    this.size++;
    // Kept at most half full, so that probes stay short; growing is the only allocation.
    if (this.size * 2 > keys.length) this.rehash(keys.length * 2);
    return true;
  }

  /** The populated buckets, ascending by index. */
  list(): NativeBucketList {
    const order: number[] = [];
    for (let slot = 0; slot < this.keys.length; slot++) if (this.keys[slot] !== EMPTY) order.push(slot);
    order.sort((a, b) => (this.keys[a] as number) - (this.keys[b] as number));
    return {
      indexes: order.map((slot) => this.keys[slot] as number),
      counts: order.map((slot) => this.counts[slot] as number),
    };
  }

  /** Every bucket moved to index ⌈i/2⌉: the same buckets at half the resolution. */
  halve(): void {
    const { keys, counts } = this;
    this.keys = new Int32Array(keys.length).fill(EMPTY);
    this.counts = new Float64Array(keys.length);
    this.size = 0;
    for (let slot = 0; slot < keys.length; slot++) {
      const key = keys[slot] as number;
      // (i + 1) >> 1 rounds towards +∞: buckets 2j−1 and 2j make bucket j one schema lower.
      if (key !== EMPTY) this.add((key + 1) >> 1, counts[slot] as number);
    }
  }

  private rehash(capacity: number): void {
    const { keys, counts } = this;
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.counts = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] !== EMPTY) this.add(keys[slot] as number, counts[slot] as number);
    }
  }
}

/** The first capacity of a side: room for the typical handful of buckets without growing. */
const INITIAL_CAPACITY = 16;

/**
 * The native buckets of one series. `observe` takes a checked, non-NaN number and never
 * allocates unless a bucket table grows or the resolution is reduced.
 */
export class NativeState {
  schema: number;
  zeroCount = 0;
  private bounds: IndexTable | undefined;
  private readonly positive = new BucketTable(INITIAL_CAPACITY);
  private readonly negative = new BucketTable(INITIAL_CAPACITY);
  private readonly shape: NativeShape;

  constructor(shape: NativeShape) {
    this.shape = shape;
    this.schema = shape.schema;
    this.bounds = shape.schema > 0 ? indexTable(shape.schema) : undefined;
  }

  /** Counts `value` in its bucket: positive side, negative side, or the zero bucket. */
  observe(value: number): void {
    const threshold = this.shape.zeroThreshold;
    let created: boolean;
    if (value > threshold) created = this.positive.add(bucketIndex(value, this.schema, this.bounds), 1);
    else if (value < -threshold) created = this.negative.add(bucketIndex(-value, this.schema, this.bounds), 1);
    else {
      this.zeroCount++;
      return;
    }
    if (created && this.shape.maxBuckets > 0) this.limit();
  }

  /** The buckets as plain data, for a snapshot. */
  copy(): NativeHistogramData {
    return {
      schema: this.schema,
      zeroThreshold: this.shape.zeroThreshold,
      zeroCount: this.zeroCount,
      positive: this.positive.list(),
      negative: this.negative.list(),
    };
  }

  /**
   * Halves the resolution while there are more buckets than allowed: never drops an observation.
   * At the coarsest schema the buckets are kept as they are (client_golang does the same).
   */
  private limit(): void {
    while (this.positive.size + this.negative.size > this.shape.maxBuckets && this.schema > MIN_SCHEMA) {
      this.positive.halve();
      this.negative.halve();
      this.schema--;
      this.bounds = this.schema > 0 ? indexTable(this.schema) : undefined;
    }
  }
}
