// Snapshots as messages between processes and threads, in columns: per family, every label value
// in one array and every number in another, so that the receiving side holds a few objects per
// family rather than several per series (see core/series-columns.ts). Cluster IPC serializes as
// JSON by default: numbers and extras are encoded for it (wire-values.ts).
import { compareLabelValues } from '../core/labels.js';
import { columnsOf } from '../core/make-columns.js';
import { ColumnFamily, type FamilyHead, type SeriesExtras, strideOf } from '../core/series-columns.js';
import type { FamilySnapshot, RegistrySnapshot } from '../core/snapshot.js';
import type { RowInterner } from './row-interner.js';
import {
  decodeExtras,
  decodeNumber,
  decodeNumbers,
  encodeExtras,
  encodeNumber,
  isHistogramExtra,
  isScalarExtra,
  type WireExtras,
} from './wire-values.js';

/** What {@link encodeSnapshot} returns: JSON- and structured-clone-safe plain data. */
export type WireSnapshot = { readonly families: readonly WireFamily[] };

/**
 * One family on the wire: its own fields, then `labels` (each series' label values, one after
 * the other), `values` (each series' numbers: see `strideOf`) and, when any series has some,
 * `extras` (per series, its exemplars and native buckets, or null).
 */
export interface WireFamily {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly labelNames: readonly string[];
  readonly upperBounds?: readonly (number | string)[];
  readonly quantiles?: readonly number[];
  readonly labels: readonly string[];
  readonly values: readonly (number | string)[];
  readonly extras?: readonly (WireExtras | null)[];
}

const SCALAR_TYPES: readonly string[] = ['counter', 'gauge', 'info', 'stateset'];

/** A snapshot as a message. Never throws on a real snapshot. */
export function encodeSnapshot(snapshot: RegistrySnapshot): WireSnapshot {
  return { families: snapshot.families.map(encodeFamily) };
}

function encodeFamily(family: FamilySnapshot): WireFamily {
  const { name, help, type, labelNames } = family;
  // Read from columns: a family of columns (what a registry's snapshot mostly is) makes no
  // series objects on the way out.
  const columns = columnsOf(family);
  const labels: string[] = [];
  for (const row of columns.rows) for (const value of row) labels.push(value);
  const values = new Array<number | string>(columns.values.length);
  for (let i = 0; i < values.length; i++) values[i] = encodeNumber(columns.values[i] as number);
  let extras: (WireExtras | null)[] | undefined;
  const seriesExtras = columns.extras;
  if (seriesExtras !== undefined) {
    for (let index = 0; index < columns.rows.length; index++) {
      const extra = seriesExtras[index] === undefined ? null : encodeExtras(seriesExtras[index] as SeriesExtras);
      if (extra === null) continue;
      extras ??= new Array<WireExtras | null>(columns.rows.length).fill(null);
      extras[index] = extra;
    }
  }
  const parameters =
    family.type === 'histogram'
      ? { upperBounds: family.upperBounds.map(encodeNumber) }
      : family.type === 'summary'
        ? { quantiles: family.quantiles }
        : {};
  return { name, help, type, labelNames, ...parameters, labels, values, ...(extras === undefined ? {} : { extras }) };
}

/**
 * A snapshot back from a message, checked whole: families sorted by unique name, each of a known
 * type with string help and label names, one string per label of each series and numbers where
 * numbers belong, series in increasing label order. Its families hold their series as columns;
 * `rows` (when given) supplies label-value rows equal to ones seen before. Returns `undefined` for
 * anything else (a worker that sends garbage contributes nothing). Never throws.
 */
export function decodeSnapshot(message: unknown, rows?: RowInterner): RegistrySnapshot | undefined {
  try {
    const families = (message as { families?: unknown } | null)?.families;
    if (!Array.isArray(families)) return undefined;
    const decoded: FamilySnapshot[] = [];
    for (const family of families) {
      const one = decodeFamily(family, rows);
      const previous = decoded.at(-1);
      if (one === undefined || (previous !== undefined && !(previous.name < one.name))) return undefined;
      decoded.push(one);
    }
    return { families: decoded };
  } catch {
    return undefined;
  }
}

/** A value being checked: the fields read by name are declared (strictest compilers refuse index access by dot). */
type Loose = {
  upperBounds?: unknown;
  quantiles?: unknown;
  labels?: unknown;
  values?: unknown;
  extras?: unknown;
  [key: string]: unknown;
};

function decodeFamily(family: unknown, interner: RowInterner | undefined): FamilySnapshot | undefined {
  if (typeof family !== 'object' || family === null) return undefined;
  const { name, help, type, labelNames, labels, values, extras } = family as Loose;
  if (typeof name !== 'string' || typeof help !== 'string' || typeof type !== 'string') return undefined;
  if (!isStrings(labelNames) || !isStrings(labels) || !Array.isArray(values)) return undefined;
  let head: FamilyHead;
  let isExtra: (extra: Loose) => boolean;
  if (SCALAR_TYPES.includes(type)) {
    head = { name, help, type: type as 'counter', labelNames };
    isExtra = isScalarExtra;
  } else if (type === 'histogram') {
    const upperBounds = decodeNumbers((family as Loose).upperBounds);
    if (upperBounds === undefined) return undefined;
    head = { name, help, type, labelNames, upperBounds };
    isExtra = (extra) => isHistogramExtra(extra, upperBounds.length + 1);
  } else if (type === 'summary') {
    const quantiles = (family as Loose).quantiles;
    if (!Array.isArray(quantiles) || !quantiles.every((q) => typeof q === 'number')) return undefined;
    head = { name, help, type, labelNames, quantiles };
    isExtra = () => false;
  } else return undefined;
  const stride = strideOf(head);
  const count = values.length / stride;
  if (!Number.isInteger(count) || labels.length !== count * labelNames.length) return undefined;
  const numbers = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const number = decodeNumber(values[i]);
    if (number === undefined) return undefined;
    numbers[i] = number;
  }
  const decodedExtras = decodeExtras(extras, count, isExtra);
  if (decodedExtras === false) return undefined;
  const width = labelNames.length;
  const rows = interner?.rowsOf(name, labels, width, count) ?? rowsOf(labels, width, count);
  for (let i = 1; i < rows.length; i++) {
    if (compareLabelValues(rows[i - 1] as readonly string[], rows[i] as readonly string[]) >= 0) return undefined;
  }
  return ColumnFamily.of(head, { rows, values: numbers, extras: decodedExtras });
}

/** Flat label values as `count` rows of `width` values. */
export function rowsOf(labels: readonly string[], width: number, count: number): (readonly string[])[] {
  const rows = new Array<readonly string[]>(count);
  for (let i = 0; i < count; i++) rows[i] = labels.slice(i * width, (i + 1) * width);
  return rows;
}

function isStrings(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}
