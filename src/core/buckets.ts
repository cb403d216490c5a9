// Bucket layouts for histograms, as prom-client and the Go client spell them.
import { PromliteError } from '../errors.js';
import { describeValue } from '../options.js';

/**
 * `count` upper bounds starting at `start`, each `width` above the one before:
 * `linearBuckets(0.1, 0.1, 3)` is `[0.1, 0.2, 0.3]` (rounded to 12 significant digits, so that
 * 0.30000000000000004 stays 0.3).
 * @throws PromliteError `INVALID_BUCKETS` unless start and width are finite, width > 0 and count a positive integer.
 */
export function linearBuckets(start: number, width: number, count: number): number[] {
  assertLayout('linearBuckets', { start, width, count });
  if (!(width > 0)) throw invalid('linearBuckets', 'width', width, 'a number > 0');
  return Array.from({ length: count }, (_, i) => round(start + i * width));
}

/**
 * `count` upper bounds starting at `start`, each `factor` times the one before:
 * `exponentialBuckets(0.001, 10, 4)` is `[0.001, 0.01, 0.1, 1]`.
 * @throws PromliteError `INVALID_BUCKETS` unless start > 0, factor > 1 and count a positive integer.
 */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  assertLayout('exponentialBuckets', { start, factor, count });
  if (!(start > 0)) throw invalid('exponentialBuckets', 'start', start, 'a number > 0');
  if (!(factor > 1)) throw invalid('exponentialBuckets', 'factor', factor, 'a number > 1');
  return Array.from({ length: count }, (_, i) => round(start * factor ** i));
}

function assertLayout(owner: string, numbers: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(numbers)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(owner, name, value, 'a finite number');
  }
  const { count } = numbers as { count: number };
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    throw invalid(owner, 'count', count, 'an integer from 1 to 10,000');
  }
}

function invalid(owner: string, name: string, value: unknown, expected: string): PromliteError {
  return new PromliteError('INVALID_BUCKETS', `${owner}: ${name} must be ${expected}, got ${describeValue(value)}`);
}

/** Drops the binary noise of repeated float arithmetic: 12 significant digits are plenty for a bound. */
function round(value: number): number {
  return Number(value.toPrecision(12));
}
