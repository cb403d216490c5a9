// Snapshots as messages between processes and threads. Cluster IPC serializes as JSON by default,
// which turns NaN and ±Inf into null: non-finite numbers travel as the strings "NaN", "+Inf" and
// "-Inf", and only where a number belongs, so a label value that reads "NaN" stays a string.
import { compareLabelValues } from '../core/labels.js';
import type { Exemplar, FamilySnapshot, RegistrySnapshot } from '../core/snapshot.js';

/** What {@link encodeSnapshot} returns: JSON- and structured-clone-safe plain data. */
export type WireSnapshot = { readonly families: readonly unknown[] };

const NON_FINITE: ReadonlyMap<unknown, number> = new Map([
  ['NaN', Number.NaN],
  ['+Inf', Infinity],
  ['-Inf', -Infinity],
]);
const SCALAR_TYPES: readonly string[] = ['counter', 'gauge', 'info', 'stateset'];

const encodeNumber = (value: number): number | string =>
  Number.isFinite(value) ? value : Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
const encodeNumbers = (values: readonly number[]): readonly (number | string)[] =>
  values.every(Number.isFinite) ? values : values.map(encodeNumber);

/**
 * A snapshot as a message: the same plain data, with non-finite numbers as strings. Series
 * without one are passed on as they are (not copied). Never throws on a real snapshot.
 */
export function encodeSnapshot(snapshot: RegistrySnapshot): WireSnapshot {
  return {
    families: snapshot.families.map((family) => {
      const series = (family.series as unknown as readonly Record<string, unknown>[]).map((entry) => {
        let copy: Record<string, unknown> | undefined;
        for (const key of ['value', 'sum', 'count', 'cumulativeCounts', 'quantileValues']) {
          const value = entry[key];
          const encoded =
            typeof value === 'number' ? encodeNumber(value) : Array.isArray(value) ? encodeNumbers(value) : value;
          if (encoded !== value) {
            copy ??= { ...entry };
            copy[key] = encoded;
          }
        }
        const exemplar = entry['exemplar'] as Exemplar | undefined;
        if (exemplar !== undefined && !Number.isFinite(exemplar.value)) {
          copy ??= { ...entry };
          copy['exemplar'] = encodeExemplar(exemplar);
        }
        const exemplars = entry['exemplars'] as readonly (Exemplar | undefined)[] | undefined;
        if (exemplars !== undefined) {
          copy ??= { ...entry };
          // JSON has no `undefined` in arrays (it would become null): a bucket without one is null.
          copy['exemplars'] = exemplars.map((each) => (each === undefined ? null : encodeExemplar(each)));
        }
        return copy ?? entry;
      });
      const bounds = family.type === 'histogram' ? { upperBounds: encodeNumbers(family.upperBounds) } : {};
      return { ...family, ...bounds, series };
    }),
  };
}

const encodeExemplar = (exemplar: Exemplar) =>
  Number.isFinite(exemplar.value) ? exemplar : { ...exemplar, value: encodeNumber(exemplar.value) };

/**
 * A snapshot back from a message, checked whole: families sorted by unique name, each of a known
 * type with string help and label names, every series with one string per label and numbers
 * where numbers belong, in increasing label order. Returns `undefined` for anything else (a
 * worker that sends garbage contributes nothing). Changes `message` in place (it is a fresh
 * copy the channel made). Never throws.
 */
export function decodeSnapshot(message: unknown): RegistrySnapshot | undefined {
  try {
    const families = (message as { families?: unknown } | null)?.families;
    if (!Array.isArray(families)) return undefined;
    let previous: string | undefined;
    for (const family of families) {
      if (!decodeFamily(family) || (previous !== undefined && !(previous < family.name))) return undefined;
      previous = family.name;
    }
    return message as RegistrySnapshot;
  } catch {
    return undefined;
  }
}

/** A value being checked: the fields read by name are declared (strictest compilers refuse index access by dot). */
type Loose = {
  upperBounds?: unknown;
  quantiles?: unknown;
  labelValues?: unknown;
  [key: string]: unknown;
};

function decodeFamily(family: unknown): family is FamilySnapshot {
  if (typeof family !== 'object' || family === null) return false;
  const { name, help, type, labelNames, series } = family as Loose;
  if (typeof name !== 'string' || typeof help !== 'string' || typeof type !== 'string') return false;
  if (!isStrings(labelNames) || !Array.isArray(series)) return false;
  let shape: (entry: Loose) => boolean;
  if (SCALAR_TYPES.includes(type))
    shape = (entry) => decodeNumberAt(entry, 'value') && (entry['exemplar'] === undefined || decodeExemplarAt(entry));
  else if (type === 'histogram') {
    const bounds = decodeNumbers((family as Loose).upperBounds);
    if (bounds === undefined) return false;
    (family as Loose).upperBounds = bounds;
    shape = (entry) =>
      decodeDistribution(entry, 'cumulativeCounts', bounds.length) &&
      (entry['native'] === undefined || isNativeData(entry['native'])) &&
      (entry['exemplars'] === undefined || decodeBucketExemplars(entry, bounds.length + 1));
  } else if (type === 'summary') {
    const quantiles = (family as Loose).quantiles;
    if (!Array.isArray(quantiles) || !quantiles.every((q) => typeof q === 'number')) return false;
    shape = (entry) => decodeDistribution(entry, 'quantileValues', quantiles.length);
  } else return false;
  let previous: readonly string[] | undefined;
  for (const entry of series as unknown[]) {
    if (typeof entry !== 'object' || entry === null) return false;
    const values = (entry as Loose).labelValues;
    if (!isStrings(values) || values.length !== labelNames.length || !shape(entry as Loose)) return false;
    if (previous !== undefined && compareLabelValues(previous, values) >= 0) return false;
    previous = values;
  }
  return true;
}

/** An exemplar: labels of strings, a value, a finite time; its value decoded in place. */
function decodeExemplar(value: unknown): value is Exemplar {
  if (typeof value !== 'object' || value === null) return false;
  const { labels, timestampMs } = value as Loose;
  if (typeof labels !== 'object' || labels === null || !Object.values(labels).every((v) => typeof v === 'string'))
    return false;
  return Number.isFinite(timestampMs) && decodeNumberAt(value as Loose, 'value');
}

function decodeExemplarAt(entry: Loose): boolean {
  return decodeExemplar(entry['exemplar']);
}

/** One entry per bucket (`+Inf` included): an exemplar, or null for a bucket without one. */
function decodeBucketExemplars(entry: Loose, buckets: number): boolean {
  const exemplars = entry['exemplars'];
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

function decodeDistribution(entry: Loose, key: string, length: number): boolean {
  if (!decodeNumberAt(entry, 'sum') || !decodeNumberAt(entry, 'count')) return false;
  const values = decodeNumbers(entry[key]);
  if (values === undefined || values.length !== length) return false;
  entry[key] = values;
  return true;
}

function decodeNumberAt(entry: Loose, key: string): boolean {
  const value = decodeNumber(entry[key]);
  if (value === undefined) return false;
  entry[key] = value;
  return true;
}

const decodeNumber = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : NON_FINITE.get(value);

function decodeNumbers(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const numbers: number[] = [];
  for (const entry of value) {
    const number = decodeNumber(entry);
    if (number === undefined) return undefined;
    numbers.push(number);
  }
  return numbers;
}

function isStrings(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}
