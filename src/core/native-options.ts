// A histogram's `native` option: checked once at declaration, turned into what every series shares.
import { PromliteError } from '../errors.js';
import { checkOptions, describeValue, type OptionCheck } from '../options.js';
import { schemaForFactor } from './native-buckets.js';
import type { NativeShape } from './native-state.js';

/** How a histogram keeps native (exponential, sparse) buckets; `{}` takes client_golang's defaults. */
export interface NativeHistogramOptions {
  /**
   * The largest ratio allowed between a bucket's upper and lower bound; the finest Prometheus
   * schema within it is used (1.1 → schema 3, buckets ≈ 9.05 % wide). Greater than 1; default 1.1.
   */
  readonly bucketFactor?: number;
  /**
   * Populated buckets (both sides together) a series may hold; one more halves its resolution
   * (the schema lowered by one, neighbouring buckets merged), never drops an observation.
   * 0: no limit. Default 160.
   */
  readonly maxBuckets?: number;
  /** Observations whose magnitude is at most this go to the zero bucket. Default 2^−128; 0 or more. */
  readonly zeroThreshold?: number;
}

/** client_golang's defaults, as the issue asks: 1.1, 160 buckets, 2^−128. */
export const DEFAULT_NATIVE = Object.freeze({ bucketFactor: 1.1, maxBuckets: 160, zeroThreshold: 2 ** -128 });

const NATIVE_CHECKS: Readonly<Record<string, OptionCheck>> = {
  bucketFactor: (value) =>
    typeof value === 'number' && Number.isFinite(value) && value > 1 ? undefined : 'a finite number greater than 1',
  maxBuckets: (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? undefined : 'an integer, 0 or more',
  zeroThreshold: (value) =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? undefined : 'a finite number, 0 or more',
};

/**
 * Checks a histogram's `native` option and returns the shape its series share, defaults filled
 * in. Pure.
 * @throws PromliteError `INVALID_OPTIONS` naming the histogram and the option.
 */
export function nativeShape(metric: string, options: unknown): NativeShape {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `histogram "${metric}": option "native" must be an object ({} for the defaults), got ${describeValue(options)}`,
    );
  }
  checkOptions(`histogram "${metric}": option "native"`, options, NATIVE_CHECKS);
  const given = options as NativeHistogramOptions;
  return Object.freeze({
    schema: schemaForFactor(given.bucketFactor ?? DEFAULT_NATIVE.bucketFactor),
    maxBuckets: given.maxBuckets ?? DEFAULT_NATIVE.maxBuckets,
    zeroThreshold: given.zeroThreshold ?? DEFAULT_NATIVE.zeroThreshold,
  });
}
