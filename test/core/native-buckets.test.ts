import { describe, expect, it } from 'vitest';
import {
  bucketIndex,
  bucketUpperBound,
  indexTable,
  mantissaBounds,
  MAX_SCHEMA,
  MIN_SCHEMA,
  schemaForFactor,
} from '../../src/core/native-buckets.js';

// An independent oracle in exact integer arithmetic: a positive finite float v = M·2^E (M, E
// integers) lies in bucket i at schema s exactly when base^(i−1) < v ≤ base^i, base = 2^(2^−s).
// For s ≥ 0 that is v^(2^s) ≤ 2^i, compared as big integers; for s < 0, v ≤ 2^(i·2^−s).
function decompose(v: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const field = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return field === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: field - 1075 };
}

/** Whether v ≤ base^i at schema s, exactly. */
function atMost(v: number, i: number, s: number): boolean {
  const { mantissa, exponent } = decompose(v);
  // s ≤ 0: M·2^E ≤ 2^(i·2^|s|). s > 0: (M·2^E)^(2^s) ≤ 2^i. Both as X·2^e ≤ 2^k.
  const [x, e, k] = s <= 0 ? [mantissa, exponent, i * 2 ** -s] : [mantissa ** BigInt(2 ** s), exponent * 2 ** s, i];
  return k - e >= 0 ? x <= 1n << BigInt(k - e) : x << BigInt(e - k) <= 1n;
}

function oracle(v: number, s: number): number {
  let i = bucketIndex(v, s, s > 0 ? indexTable(s) : undefined);
  // Check the claim both ways: v ≤ base^i and not v ≤ base^(i−1).
  if (!atMost(v, i, s) || atMost(v, i - 1, s)) i = Number.NaN;
  return i;
}

const next = (v: number): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
};
const previous = (v: number): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
};

const schemas = Array.from({ length: MAX_SCHEMA - MIN_SCHEMA + 1 }, (_, k) => MIN_SCHEMA + k);

describe('bucketIndex', () => {
  it.each(schemas)('schema %i: the floats at and around every boundary in a wide range land exactly', (s) => {
    const perOctave = s > 0 ? 2 ** s : 1;
    // Boundaries from about 2^-40 to 2^40, all of them at fine schemas within a few octaves.
    const indexes = new Set<number>();
    for (let i = -40 * perOctave; i <= 40 * perOctave; i += Math.max(1, Math.floor(perOctave / 8))) indexes.add(i);
    for (let i = -3 * perOctave; i <= 3 * perOctave; i++) indexes.add(i);
    for (const i of indexes) {
      if (s < 0 && Math.abs(i * 2 ** -s) > 1000) continue;
      const bound = bucketUpperBound(i, s);
      // The largest float ≤ base^i belongs to bucket i, the next one up to bucket i+1.
      expect(oracle(bound, s), `schema ${s}, bound of ${i}`).toBe(i);
      expect(bucketIndex(bound, s, s > 0 ? indexTable(s) : undefined)).toBe(i);
      expect(oracle(next(bound), s), `schema ${s}, just above bucket ${i}`).toBe(i + 1);
      expect(oracle(previous(bound), s), `schema ${s}, just below bound ${i}`).toBeGreaterThanOrEqual(i);
    }
  });

  it.each(schemas)('schema %i: random floats across the whole range agree with exact arithmetic', (s) => {
    let seed = 12345 + s;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let k = 0; k < 300; k++) {
      const v = (0.5 + random()) * 2 ** Math.floor(random() * 400 - 200);
      expect(Number.isNaN(oracle(v, s)), `schema ${s}, value ${v}`).toBe(false);
    }
  });

  it('powers of two are boundaries at every schema; 1 closes bucket 0', () => {
    for (const s of schemas) {
      const bounds = s > 0 ? indexTable(s) : undefined;
      expect(bucketIndex(1, s, bounds)).toBe(0);
      expect(bucketIndex(next(1), s, bounds)).toBe(1);
      expect(bucketIndex(2 ** 20, s, bounds)).toBe(s >= 0 ? 20 * 2 ** s : Math.ceil(20 / 2 ** -s));
    }
  });

  it('subnormals and the largest float are placed exactly; +Inf goes one bucket above the largest float', () => {
    for (const s of schemas) {
      const bounds = s > 0 ? indexTable(s) : undefined;
      expect(Number.isNaN(oracle(5e-324, s))).toBe(false);
      expect(Number.isNaN(oracle(2.5e-310, s))).toBe(false);
      expect(Number.isNaN(oracle(Number.MAX_VALUE, s))).toBe(false);
      expect(bucketIndex(Number.POSITIVE_INFINITY, s, bounds)).toBe(bucketIndex(Number.MAX_VALUE, s, bounds) + 1);
    }
  });

  it('the mantissa table rounds 2^(j/2^s − 1) down: never above the exact boundary, the next float above it', () => {
    for (let s = 1; s <= MAX_SCHEMA; s++) {
      mantissaBounds(s).forEach((bound, j) => {
        expect(atMost(bound, j - 2 ** s, s)).toBe(true);
        expect(atMost(next(bound), j - 2 ** s, s)).toBe(false);
      });
    }
  });
});

describe('schemaForFactor', () => {
  it.each([
    [1.1, 3],
    [2, 0],
    [1.5, 1],
    [4, -1],
    [65536, -4],
    [1e9, -4],
    [1.001, 8],
    [1.0905077326652577, 3],
    [1.09, 4],
  ])('factor %d → schema %i', (factor, schema) => {
    expect(schemaForFactor(factor)).toBe(schema);
  });
});
