// A family's series held as columns: one label-values row per series and every number in one
// Float64Array. An aggregator keeps each worker's latest snapshot between scrapes; as objects
// (a series, its label array, its bucket array) tens of thousands of them would be copied by
// every young-generation collection until promoted, stalling the event loop. As columns they
// are a few objects, the numbers off the JavaScript heap, and rows unchanged since the last
// snapshot are the previous ones (already old). Series objects are made one at a time, when
// merged, and die young.
import type {
  Exemplar,
  FamilySnapshot,
  HistogramSeries,
  NativeHistogramData,
  RegistrySnapshot,
  ScalarSeries,
  SummarySeries,
} from './snapshot.js';

/** Any series of any family type. */
export type Series = ScalarSeries | HistogramSeries | SummarySeries;

/** A family's series in label order, read one at a time: an array of them, or columns. */
export interface SeriesList {
  readonly length: number;
  /** `true` when known to be in strictly increasing label order (checked when it was made). */
  readonly sorted?: boolean;
  labelValuesAt(index: number): readonly string[];
  /** The series as a snapshot holds it: a fresh object from columns, the same one from an array. */
  seriesAt(index: number): Series;
}

/** What a series has beyond its numbers: exemplars, native buckets. */
export interface SeriesExtras {
  readonly exemplar?: Exemplar;
  readonly exemplars?: readonly (Exemplar | undefined)[];
  readonly native?: NativeHistogramData;
}

/** What a family's columns are made of; the family's own fields (name, help, …) come with them. */
export interface Columns {
  /** One row of label values per series, in increasing order. */
  readonly rows: readonly (readonly string[])[];
  /** `stride` numbers per series: a value; or sum, count, then the buckets' or quantiles' values. */
  readonly values: Float64Array;
  /** Per series, its extras or `undefined`; absent when no series has any. */
  readonly extras?: readonly (SeriesExtras | undefined)[] | undefined;
}

/** A family's own fields: everything but its series (distributed over the family types). */
export type FamilyHead = FamilySnapshot extends infer F
  ? F extends FamilySnapshot
    ? Omit<F, 'series'>
    : never
  : never;

/** Numbers per series of a family: 1 for a value, 2 (`_sum`, `_count`) and one per bucket or quantile. */
export function strideOf(family: FamilyHead): number {
  if (family.type === 'histogram') return 2 + family.upperBounds.length;
  if (family.type === 'summary') return 2 + family.quantiles.length;
  return 1;
}

/**
 * A family whose series are columns. It is a `FamilySnapshot`: its `series` are made the first
 * time they are read, for code that wants them all; code that reads them one at a time
 * ({@link seriesListOf}) makes each when it needs it, and lets it die young.
 */
export class ColumnFamily {
  readonly #head: FamilyHead;
  readonly #columns: Columns;
  readonly #stride: number;
  #series: readonly Series[] | undefined;

  private constructor(head: FamilyHead, columns: Columns) {
    Object.assign(this, head);
    this.#head = head;
    this.#columns = columns;
    this.#stride = strideOf(head);
    // An own, enumerable property, as on a family of objects: deep equality, JSON and spreading
    // see the series (and make them); a getter on the prototype would be invisible to them.
    Object.defineProperty(this, 'series', { enumerable: true, get: () => this.allSeries() });
  }

  /** A family of `head`'s fields (name, help, type, label names, buckets or quantiles) with `columns` as its series. */
  static of(head: FamilyHead, columns: Columns): FamilySnapshot {
    return new ColumnFamily(head, columns) as unknown as FamilySnapshot;
  }

  /**
   * Series `positions[k]` of lists `matched[k]` (k < `count`) added up, read straight from their
   * columns: one new series instead of one per source and per addition. `undefined` unless every
   * one is a counter, gauge or histogram series of columns with nothing but numbers.
   */
  static sumOf(
    lists: readonly SeriesList[],
    matched: readonly number[],
    positions: readonly number[],
    count: number,
  ): Series | undefined {
    const first = lists[matched[0] as number];
    if (!(first instanceof ColumnFamily)) return undefined;
    const type = (first as unknown as FamilyHead).type;
    if (type === 'summary' || type === 'info' || type === 'stateset') return undefined;
    for (let k = 0; k < count; k++) {
      const list = lists[matched[k] as number];
      if (
        !(list instanceof ColumnFamily) ||
        list.#columns.extras?.[positions[matched[k] as number] as number] !== undefined
      )
        return undefined;
    }
    const stride = first.#stride;
    // Added in source order, starting from the first source's numbers, as pairwise merging does.
    const numbers = new Array<number>(stride);
    for (let k = 0; k < count; k++) {
      const list = lists[matched[k] as number] as ColumnFamily;
      const values = list.#columns.values;
      const at = (positions[matched[k] as number] as number) * stride;
      for (let i = 0; i < stride; i++)
        numbers[i] = k === 0 ? (values[at + i] as number) : (numbers[i] as number) + (values[at + i] as number);
    }
    const labelValues = first.labelValuesAt(positions[matched[0] as number] as number);
    if (type !== 'histogram') return { labelValues, value: numbers[0] as number };
    const sum = numbers[0] as number;
    const total = numbers[1] as number;
    numbers.copyWithin(0, 2);
    numbers.length = stride - 2;
    return { labelValues, cumulativeCounts: numbers, sum, count: total };
  }

  /** The family's own fields, without its series. */
  get head(): FamilyHead {
    return this.#head;
  }

  /** The columns, for whoever joins or compares families of columns. */
  get columns(): Columns {
    return this.#columns;
  }

  /** Every series as an object, made the first time they are asked for. */
  private allSeries(): readonly Series[] {
    this.#series ??= Array.from({ length: this.#columns.rows.length }, (_, i) => this.seriesAt(i));
    return this.#series;
  }

  get length(): number {
    return this.#columns.rows.length;
  }

  /** Columns are made from checked, strictly increasing rows. */
  get sorted(): boolean {
    return true;
  }

  labelValuesAt(index: number): readonly string[] {
    return this.#columns.rows[index] as readonly string[];
  }

  seriesAt(index: number): Series {
    const { rows, values, extras } = this.#columns;
    const labelValues = rows[index] as readonly string[];
    const stride = this.#stride;
    const at = index * stride;
    const extra = extras?.[index];
    const type = (this as unknown as FamilyHead).type;
    if (type !== 'histogram' && type !== 'summary') {
      const value = values[at] as number;
      return extra?.exemplar === undefined ? { labelValues, value } : { labelValues, value, exemplar: extra.exemplar };
    }
    // A plain loop: a subarray view per series costs more than the copy.
    const numbers = new Array<number>(stride - 2);
    for (let i = 2; i < stride; i++) numbers[i - 2] = values[at + i] as number;
    const sum = values[at] as number;
    const count = values[at + 1] as number;
    if (type === 'summary') return { labelValues, quantileValues: numbers, sum, count };
    if (extra === undefined) return { labelValues, cumulativeCounts: numbers, sum, count };
    const series: { -readonly [K in keyof HistogramSeries]: HistogramSeries[K] } = {
      labelValues,
      cumulativeCounts: numbers,
      sum,
      count,
    };
    if (extra.native !== undefined) series.native = extra.native;
    if (extra.exemplars !== undefined) series.exemplars = extra.exemplars;
    return series;
  }
}

/** A family's own fields, without its series (which a family of columns would otherwise make). */
export function headOf(family: FamilySnapshot): FamilyHead {
  if (family instanceof ColumnFamily) return family.head;
  const { series: _series, ...head } = family;
  return head as FamilyHead;
}

/** The series of a family, to be read one at a time. */
export function seriesListOf(family: FamilySnapshot): SeriesList {
  if (family instanceof ColumnFamily) return family;
  const series = family.series as readonly Series[];
  return {
    length: series.length,
    labelValuesAt: (index) => (series[index] as Series).labelValues,
    seriesAt: (index) => series[index] as Series,
  };
}

/** The snapshot with every family of columns made plain (series as objects): what tests compare. */
export function plainSnapshot(snapshot: RegistrySnapshot): RegistrySnapshot {
  return {
    families: snapshot.families.map((family) =>
      family instanceof ColumnFamily ? ({ ...family, series: [...family.series] } as FamilySnapshot) : family,
    ),
  };
}
