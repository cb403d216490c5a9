// The series of one family from several sources, as one list: what mergeSnapshots does per family.
import { compareLabelValues } from './labels.js';
import { mergedNative } from './native-merge.js';
import { ColumnsBuilder } from './make-columns.js';
import { ColumnFamily, type Columns, type Series, type SeriesList } from './series-columns.js';
import type { Exemplar, HistogramSeries, ScalarSeries, SummarySeries } from './snapshot.js';
import type { Steps } from './steps.js';

/** How series with equal label values are combined (`perSource` ones never are: they get a label). */
export type Combine = 'sum' | 'min' | 'max' | 'first';

/** Series handled between two pauses of a merge in steps: a few milliseconds of work. */
export const SERIES_PER_STEP = 250;

/**
 * Joins the series lists of one family, combining series with equal label values by `combine`,
 * sorted by label values; pauses (yields) every {@link SERIES_PER_STEP} series. Lists sorted by
 * label values, as snapshots promise, are merged in one pass; others through a map and a sort.
 */
export function* mergeSeriesSteps(lists: readonly SeriesList[], combine: Combine): Steps<Series[]> {
  if (lists.length === 1) return materialize(lists[0] as SeriesList);
  if (!lists.every(isSorted)) return yield* mergeUnsortedSteps(lists, combine);
  const merged: Series[] = [];
  yield* joinSortedSteps(lists, combine, (series) => merged.push(series));
  return merged;
}

/**
 * {@link mergeSeriesSteps} for families of columns, into columns: each merged series is written
 * into them as it is made, and dies young. As an array of objects, the merged family would be
 * tens of thousands of objects alive through the render, copied by every young-generation
 * collection meanwhile (a cluster primary's worst stall). One family is its own merge: snapshot
 * data never changes, so its columns are shared.
 */
export function* mergeColumnsSteps(lists: readonly ColumnFamily[], combine: Combine, stride: number): Steps<Columns> {
  if (lists.length === 1) return (lists[0] as ColumnFamily).columns;
  let capacity = 0;
  for (const list of lists) capacity += list.length;
  const columns = new ColumnsBuilder(capacity, stride);
  let count = 0;
  yield* joinSortedSteps(lists, combine, (series) => columns.write(count++, series, stride));
  return columns.trimmed(count, stride);
}

/**
 * Joins lists sorted by label values in one pass, giving `emit` each merged series in order;
 * pauses every {@link SERIES_PER_STEP} series.
 */
function* joinSortedSteps(lists: readonly SeriesList[], combine: Combine, emit: (series: Series) => void): Steps<void> {
  const positions = lists.map(() => 0);
  // The lists whose next series has the lowest label values, `count` of them.
  const matched: number[] = [];
  let emitted = 0;
  for (;;) {
    let lowest: readonly string[] | undefined;
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i] as SeriesList;
      const position = positions[i] as number;
      if (position === list.length) continue;
      const head = list.labelValuesAt(position);
      if (lowest === undefined || compareLabelValues(head, lowest) < 0) lowest = head;
    }
    if (lowest === undefined) return;
    let count = 0;
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i] as SeriesList;
      const position = positions[i] as number;
      if (position < list.length && compareLabelValues(list.labelValuesAt(position), lowest) === 0)
        matched[count++] = i;
    }
    const summed = combine === 'sum' && count > 1 ? ColumnFamily.sumOf(lists, matched, positions, count) : undefined;
    let combined = summed;
    for (let k = 0; k < count; k++) {
      const i = matched[k] as number;
      const position = positions[i] as number;
      if (summed === undefined) {
        const head = (lists[i] as SeriesList).seriesAt(position);
        combined = combined === undefined ? head : combineSeries(combined, head, combine);
      }
      positions[i] = position + 1;
    }
    emit(combined as Series);
    if (++emitted % SERIES_PER_STEP === 0) yield;
  }
}

function materialize(list: SeriesList): Series[] {
  const series = new Array<Series>(list.length);
  for (let i = 0; i < list.length; i++) series[i] = list.seriesAt(i);
  return series;
}

/** Whether every series sorts strictly after the one before it (no two with equal label values). */
function isSorted(list: SeriesList): boolean {
  if (list.sorted === true) return true;
  for (let i = 1; i < list.length; i++) {
    if (compareLabelValues(list.labelValuesAt(i - 1), list.labelValuesAt(i)) >= 0) return false;
  }
  return true;
}

function* mergeUnsortedSteps(lists: readonly SeriesList[], combine: Combine): Steps<Series[]> {
  const byLabels = new Map<string, Series>();
  let handled = 0;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const series = list.seriesAt(i);
      // JSON of the value array cannot collide the way joined strings can.
      const key = JSON.stringify(series.labelValues);
      const existing = byLabels.get(key);
      byLabels.set(key, existing === undefined ? series : combineSeries(existing, series, combine));
      if (++handled % SERIES_PER_STEP === 0) yield;
    }
  }
  const merged = [...byLabels.values()];
  yield;
  return merged.sort((a, b) => compareLabelValues(a.labelValues, b.labelValues));
}

/**
 * One series per source: each list's series get the source's name as one more label value (the
 * last), sorted by label values; pauses every {@link SERIES_PER_STEP} series.
 */
export function* labelSeriesSteps(lists: readonly SeriesList[], sourceNames: readonly string[]): Steps<Series[]> {
  const all: Series[] = [];
  lists.forEach((list, index) => {
    const source = sourceNames[index] as string;
    for (let i = 0; i < list.length; i++) {
      const series = list.seriesAt(i);
      all.push({ ...series, labelValues: [...series.labelValues, source] });
    }
  });
  yield;
  return all.sort((a, b) => compareLabelValues(a.labelValues, b.labelValues));
}

function combineSeries(a: Series, b: Series, combine: Combine): Series {
  if (combine === 'first') return a;
  if ('quantileValues' in a) {
    // Quantiles of separate streams cannot be combined into quantiles of the whole: unknown.
    const other = b as SummarySeries;
    return {
      labelValues: a.labelValues,
      quantileValues: a.quantileValues.map(() => Number.NaN),
      sum: a.sum + other.sum,
      count: a.count + other.count,
    };
  }
  if ('cumulativeCounts' in a) {
    const other = b as HistogramSeries;
    const counts = a.cumulativeCounts;
    const cumulativeCounts = new Array<number>(counts.length);
    for (let i = 0; i < counts.length; i++)
      cumulativeCounts[i] = (counts[i] as number) + (other.cumulativeCounts[i] as number);
    const merged = {
      labelValues: a.labelValues,
      cumulativeCounts,
      sum: a.sum + other.sum,
      count: a.count + other.count,
    };
    if (
      a.native === undefined &&
      other.native === undefined &&
      a.exemplars === undefined &&
      other.exemplars === undefined
    )
      return merged;
    return { ...merged, ...mergedNative(a, other), ...mergedBucketExemplars(a.exemplars, other.exemplars) };
  }
  const x = a.value;
  const other = b as ScalarSeries;
  const value =
    combine === 'sum' ? x + other.value : combine === 'min' ? Math.min(x, other.value) : Math.max(x, other.value);
  const exemplar = latest(a.exemplar, other.exemplar);
  return exemplar === undefined
    ? { labelValues: a.labelValues, value }
    : { labelValues: a.labelValues, value, exemplar };
}

/** Of two exemplars, the later one (the first when they are as old): the latest is what a series keeps. */
function latest(a: Exemplar | undefined, b: Exemplar | undefined): Exemplar | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.timestampMs > a.timestampMs ? b : a;
}

/** The latest exemplar of each bucket across two merged series; absent when neither has any. */
function mergedBucketExemplars(
  a: HistogramSeries['exemplars'],
  b: HistogramSeries['exemplars'],
): { exemplars?: readonly (Exemplar | undefined)[] } {
  if (a === undefined && b === undefined) return {};
  const length = Math.max(a?.length ?? 0, b?.length ?? 0);
  return { exemplars: Array.from({ length }, (_, i) => latest(a?.[i], b?.[i])) };
}
