// The values of a snapshot message: numbers, which JSON cannot carry when not finite (NaN and
// ±Inf travel as the strings "NaN", "+Inf" and "-Inf"), and a series' extras (exemplars, native
// buckets), checked on arrival.
import type { SeriesExtras } from '../core/series-columns.js';
import type { Exemplar } from '../core/snapshot.js';

/** A series' extras on the wire: an exemplar's non-finite value as a string, a bucket without one as null. */
export type WireExtras = {
  readonly exemplar?: unknown;
  readonly exemplars?: readonly unknown[];
  readonly native?: unknown;
};

/** A value being checked: the fields read by name are declared (strictest compilers refuse index access by dot). */
type Loose = {
  exemplar?: unknown;
  exemplars?: unknown;
  native?: unknown;
  [key: string]: unknown;
};

const NON_FINITE: ReadonlyMap<unknown, number> = new Map([
  ['NaN', Number.NaN],
  ['+Inf', Infinity],
  ['-Inf', -Infinity],
]);
export const encodeNumber = (value: number): number | string =>
  Number.isFinite(value) ? value : Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';

export function encodeExtras({ exemplar, exemplars, native }: SeriesExtras): WireExtras | null {
  if (exemplar === undefined && exemplars === undefined && native === undefined) return null;
  return {
    ...(exemplar === undefined ? {} : { exemplar: encodeExemplar(exemplar) }),
    // JSON has no `undefined` in arrays (it would become null): a bucket without one is null.
    ...(exemplars === undefined
      ? {}
      : { exemplars: exemplars.map((each) => (each === undefined ? null : encodeExemplar(each))) }),
    ...(native === undefined ? {} : { native }),
  };
}

const encodeExemplar = (exemplar: Exemplar) =>
  Number.isFinite(exemplar.value) ? exemplar : { ...exemplar, value: encodeNumber(exemplar.value) };

/** Per series, its extras or undefined; `undefined` when none came, `false` when malformed. */
export function decodeExtras(
  extras: unknown,
  count: number,
  isExtra: (extra: Loose) => boolean,
): (SeriesExtras | undefined)[] | undefined | false {
  if (extras === undefined) return undefined;
  if (!Array.isArray(extras) || extras.length !== count) return false;
  const decoded = new Array<SeriesExtras | undefined>(count);
  for (let i = 0; i < count; i++) {
    const extra = extras[i];
    if (extra === null) continue;
    if (typeof extra !== 'object' || !isExtra(extra as Loose)) return false;
    decoded[i] = extra as SeriesExtras;
  }
  return decoded;
}

/** A counter's or gauge's extras: at most an exemplar. */
export const isScalarExtra = (extra: Loose): boolean =>
  hasOnly(extra, ['exemplar']) && (extra.exemplar === undefined || decodeExemplar(extra.exemplar));

/** A histogram series' extras: native buckets, and one exemplar or null per bucket (`+Inf` included). */
export const isHistogramExtra = (extra: Loose, buckets: number): boolean =>
  hasOnly(extra, ['exemplars', 'native']) &&
  (extra.native === undefined || isNativeData(extra.native)) &&
  (extra.exemplars === undefined || decodeBucketExemplars(extra, buckets));

function hasOnly(value: Loose, keys: readonly string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

/** An exemplar: labels of strings, a value, a finite time; its value decoded in place. */
function decodeExemplar(value: unknown): value is Exemplar {
  if (typeof value !== 'object' || value === null) return false;
  const { labels, timestampMs } = value as Loose;
  if (typeof labels !== 'object' || labels === null || !Object.values(labels).every((v) => typeof v === 'string'))
    return false;
  return Number.isFinite(timestampMs) && decodeNumberAt(value as Loose, 'value');
}

/** One entry per bucket (`+Inf` included): an exemplar, or null for a bucket without one. */
function decodeBucketExemplars(entry: Loose, buckets: number): boolean {
  const exemplars = entry.exemplars;
  if (!Array.isArray(exemplars) || exemplars.length !== buckets) return false;
  for (let i = 0; i < exemplars.length; i++) {
    if (exemplars[i] === null || exemplars[i] === undefined) exemplars[i] = undefined;
    else if (!decodeExemplar(exemplars[i])) return false;
  }
  return true;
}

/** Native buckets as a snapshot holds them: a schema in range, ascending integer indexes, positive counts. */
function isNativeData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { schema, zeroThreshold, zeroCount, positive, negative } = value as Loose;
  return (
    Number.isInteger(schema) &&
    (schema as number) >= -4 &&
    (schema as number) <= 8 &&
    typeof zeroThreshold === 'number' &&
    zeroThreshold >= 0 &&
    Number.isFinite(zeroThreshold) &&
    typeof zeroCount === 'number' &&
    zeroCount >= 0 &&
    isBucketList(positive) &&
    isBucketList(negative)
  );
}

function isBucketList(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { indexes, counts } = value as Loose;
  if (!Array.isArray(indexes) || !Array.isArray(counts) || indexes.length !== counts.length) return false;
  for (let i = 0; i < indexes.length; i++) {
    if (!Number.isSafeInteger(indexes[i]) || (i > 0 && !(indexes[i] > indexes[i - 1]))) return false;
    if (!(typeof counts[i] === 'number' && counts[i] > 0 && Number.isFinite(counts[i]))) return false;
  }
  return true;
}

function decodeNumberAt(entry: Loose, key: string): boolean {
  const value = decodeNumber(entry[key]);
  if (value === undefined) return false;
  entry[key] = value;
  return true;
}

export const decodeNumber = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : NON_FINITE.get(value);

export function decodeNumbers(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const numbers: number[] = [];
  for (const entry of value) {
    const number = decodeNumber(entry);
    if (number === undefined) return undefined;
    numbers.push(number);
  }
  return numbers;
}
