// Columns made series by series: by a registry's snapshot, or from a family of series objects.
import { ColumnFamily, type Columns, type Series, type SeriesExtras, strideOf } from './series-columns.js';
import type { FamilySnapshot } from './snapshot.js';

/**
 * Columns for `length` series of `stride` numbers each, filled in series by series: the caller
 * writes a series' numbers into `values` from `index * stride` and gives its row and extras to
 * {@link ColumnsBuilder.set}. The extras array is made at the first series that has some.
 */
export class ColumnsBuilder implements Columns {
  readonly rows: (readonly string[])[];
  readonly values: Float64Array;
  extras: (SeriesExtras | undefined)[] | undefined;

  constructor(length: number, stride: number) {
    this.rows = new Array<readonly string[]>(length);
    this.values = new Float64Array(length * stride);
  }

  set(index: number, row: readonly string[], extra: SeriesExtras | undefined): void {
    this.rows[index] = row;
    if (extra === undefined) return;
    this.extras ??= new Array<SeriesExtras | undefined>(this.rows.length).fill(undefined);
    this.extras[index] = extra;
  }

  /** Sets series `index` from a series object of a family with `stride` numbers per series. */
  write(index: number, one: Series, stride: number): void {
    const { values } = this;
    const at = index * stride;
    if ('value' in one) values[at] = one.value;
    else {
      values[at] = one.sum;
      values[at + 1] = one.count;
      const numbers = 'cumulativeCounts' in one ? one.cumulativeCounts : one.quantileValues;
      for (let i = 2; i < stride; i++) values[at + i] = numbers[i - 2] as number;
    }
    const { exemplar, exemplars, native } = one as SeriesExtras;
    const hasExtras = exemplar !== undefined || exemplars !== undefined || native !== undefined;
    this.set(index, one.labelValues, hasExtras ? (one as SeriesExtras) : undefined);
  }

  /**
   * The first `length` series (of a builder made for more), as columns. The numbers are copied
   * to memory of their size: a view would keep the whole allocation alive with the snapshot.
   */
  trimmed(length: number, stride: number): Columns {
    if (length === this.rows.length) return this;
    this.rows.length = length;
    if (this.extras !== undefined) this.extras.length = length;
    return { rows: this.rows, values: this.values.slice(0, length * stride), extras: this.extras };
  }
}

/**
 * A family's series as columns: its own, or made from its series objects (a family a collector
 * or a merge made), so that whoever reads numbers has one layout to read.
 */
export function columnsOf(family: FamilySnapshot): Columns {
  if (family instanceof ColumnFamily) return family.columns;
  const series = family.series as readonly Series[];
  const stride = strideOf(family);
  const columns = new ColumnsBuilder(series.length, stride);
  for (let s = 0; s < series.length; s++) columns.write(s, series[s] as Series, stride);
  return columns;
}
