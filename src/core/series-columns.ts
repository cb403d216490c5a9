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
 * A family whose series are columns. It is a `FamilySnapshot` (its `series` are made the first
 * time they are read, for code that wants them all); spreading it copies the family's own fields
 * only, as the columns are private.
 */
export class ColumnFamily {
  readonly #columns: Columns;
  readonly #stride: number;
  #series: readonly Series[] | undefined;

  private constructor(head: FamilyHead, columns: Columns) {
    Object.assign(this, head);
    this.#columns = columns;
    this.#stride = strideOf(head);
  }

  /** A family of `head`'s fields (name, help, type, label names, buckets or quantiles) with `columns` as its series. */
  static of(head: FamilyHead, columns: Columns): FamilySnapshot {
    return new ColumnFamily(head, columns) as unknown as FamilySnapshot;
  }

  /** The columns, for whoever joins or compares families of columns. */
  get columns(): Columns {
    return this.#columns;
  }

  get series(): readonly Series[] {
    this.#series ??= Array.from({ length: this.#columns.rows.length }, (_, i) => this.seriesAt(i));
    return this.#series;
  }

  get length(): number {
    return this.#columns.rows.length;
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
