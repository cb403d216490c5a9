// Where an observation falls in a native histogram: Prometheus' exponential bucket layout.
// At schema s the growth factor is base = 2^(2^-s), and bucket i covers (base^(i-1), base^i].
// The index comes from the float's exponent and mantissa and a table of boundaries, never from
// Math.log, which misplaces values that sit on a boundary.

/** The coarsest and finest schemas Prometheus accepts. */
export const MIN_SCHEMA = -4;
export const MAX_SCHEMA = 8;

// One scratch cell, read as a float and as two 32-bit words (little-endian word order: the
// high word, sign and exponent, is index 1). Module-level so that the hot path never allocates.
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * Boundaries of the mantissa in [0.5, 1) at schema 8, computed on first use: entry j is the
 * largest float ≤ 2^(j/256 − 1), checked exactly with integers. Rounding down (not to nearest)
 * makes `frac ≤ bound` equivalent to `frac ≤ 2^(j/256 − 1)` in exact arithmetic, so a float
 * lands in bucket i exactly when it is ≤ base^i. Schema s uses every 2^(8−s)-th entry.
 */
const FINEST = new Float64Array(256).fill(Number.NaN);
const tables: (Float64Array | undefined)[] = [];

function finestBound(j: number): number {
  let bound = FINEST[j] as number;
  if (!Number.isNaN(bound)) return bound;
  // The mantissa m (2^52 ≤ m < 2^53) of the bound satisfies m^256 ≤ 2^(52·256 + j) < (m+1)^256.
  const target = 1n << BigInt(52 * 256 + j);
  let m = BigInt(Math.floor(2 ** (j / 256) * 2 ** 52));
  while (m ** 256n > target) m--;
  while ((m + 1n) ** 256n <= target) m++;
  bound = Number(m) * 2 ** -53;
  FINEST[j] = bound;
  return bound;
}

/** The 2^schema mantissa boundaries of a positive schema, ascending (the first is 0.5). */
export function mantissaBounds(schema: number): Float64Array {
  let table = tables[schema];
  if (table === undefined) {
    const size = 2 ** schema;
    table = new Float64Array(size);
    for (let j = 0; j < size; j++) table[j] = finestBound(j * 2 ** (8 - schema));
    tables[schema] = table;
  }
  return table;
}

/**
 * What finding a bucket at a positive schema s reads: the 2^s mantissa boundaries, then 1 (a
 * sentinel no mantissa reaches), and for each of 2^(s+1) equal slices of [0.5, 1) the first
 * boundary at or above the slice's start. Boundaries are further apart than a slice is wide
 * (0.5·(base − 1) > 2^−(s+2)), so a slice holds at most one: the top s+1 mantissa bits give
 * the answer or the one after it, with one comparison and no search.
 */
export interface IndexTable {
  readonly bounds: Float64Array;
  readonly firstBound: Int32Array;
  /** 2^s: buckets per power of two. */
  readonly perOctave: number;
  /** 20 − (s+1): shifts the high word's mantissa bits down to the slice number. */
  readonly shift: number;
}

const indexTables: (IndexTable | undefined)[] = [];

/** The index table of a positive schema, made on first use. */
export function indexTable(schema: number): IndexTable {
  let table = indexTables[schema];
  if (table === undefined) {
    const mantissa = mantissaBounds(schema);
    const perOctave = mantissa.length;
    const bounds = new Float64Array(perOctave + 1);
    bounds.set(mantissa);
    bounds[perOctave] = 1;
    const slices = perOctave * 2;
    const firstBound = new Int32Array(slices);
    let j = 0;
    for (let t = 0; t < slices; t++) {
      const start = 0.5 + t / (slices * 2);
      while ((bounds[j] as number) < start) j++;
      firstBound[t] = j;
    }
    table = { bounds, firstBound, perOctave, shift: 20 - (schema + 1) };
    indexTables[schema] = table;
  }
  return table;
}

/**
 * The bucket index of `value` at `schema`: bucket i holds (base^(i−1), base^i]. `value` is
 * positive (the magnitude of a non-zero observation) or +Inf, which goes one bucket above the
 * largest float's. Pure, allocates nothing; `table` is `indexTable(schema)` for schema > 0.
 */
export function bucketIndex(value: number, schema: number, table: IndexTable | undefined): number {
  const infinite = value === Number.POSITIVE_INFINITY;
  scratch[0] = infinite ? Number.MAX_VALUE : value;
  let high = words[HIGH] as number;
  let exponent = (high >>> 20) & 0x7ff;
  let scaled = 0;
  if (exponent === 0) {
    // Subnormal: scale into the normal range first (exact, a power of two).
    scratch[0] *= 2 ** 64;
    high = words[HIGH] as number;
    exponent = (high >>> 20) & 0x7ff;
    scaled = 64;
  }
  // frexp: value = frac · 2^exp with frac in [0.5, 1); frac is the value with exponent field 1022.
  const exp = exponent - 1022 - scaled;
  let index: number;
  if (table !== undefined) {
    words[HIGH] = (high & 0x800fffff) | (1022 << 20);
    const frac = scratch[0] as number;
    // The first boundary ≥ frac: the slice's first one, or the next when frac is above it.
    let within = table.firstBound[(high & 0xfffff) >>> table.shift] as number;
    if ((table.bounds[within] as number) < frac) within++;
    index = within + (exp - 1) * table.perOctave;
  } else {
    // Schema ≤ 0: boundaries are powers of two; an exact power (mantissa bits all 0) closes the bucket below.
    const exactPower = (high & 0xfffff) === 0 && words[1 - HIGH] === 0;
    index = exactPower ? exp - 1 : exp;
    const shift = -schema;
    index = (index + (1 << shift) - 1) >> shift;
  }
  return infinite ? index + 1 : index;
}

/**
 * The upper bound of bucket `index` at `schema`: base^index (to the float table for schema > 0).
 * Pure. Used where buckets meet a threshold (merges), never on the hot path.
 */
export function bucketUpperBound(index: number, schema: number): number {
  if (schema <= 0) return 2 ** (index * 2 ** -schema);
  const size = 2 ** schema;
  const within = ((index % size) + size) % size;
  const exp = (index - within) / size;
  return (mantissaBounds(schema)[within] as number) * 2 ** (exp + 1);
}

/**
 * The largest schema (finest resolution) whose growth factor 2^(2^−schema) is at most `factor`,
 * clamped to −4…8, as client_golang picks it (1.1 → 3). Pure; `factor` > 1.
 */
export function schemaForFactor(factor: number): number {
  for (let schema = MAX_SCHEMA; schema > MIN_SCHEMA; schema--) {
    if (2 ** (2 ** -schema) > factor) return Math.min(MAX_SCHEMA, schema + 1);
  }
  return MIN_SCHEMA;
}
