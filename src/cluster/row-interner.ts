// Label-value rows equal to those of a worker's previous snapshot are taken from it: a worker's
// series rarely change between scrapes, and the previous rows are old objects already, so the
// freshly received strings die young instead of being copied by the next collections.
import { type SeriesList, seriesListOf } from '../core/series-columns.js';
import type { RegistrySnapshot } from '../core/snapshot.js';
import { rowsOf } from './wire.js';

/** Rows of one snapshot being received, family by family in order, against the previous snapshot's. */
export class RowInterner {
  private readonly before: ReadonlyMap<string, SeriesList>;
  /** Per family, where in the previous series the next row is looked for (parts continue a family). */
  private readonly cursors = new Map<string, number>();

  constructor(previous: RegistrySnapshot | undefined) {
    this.before = new Map((previous?.families ?? []).map((family) => [family.name, seriesListOf(family)]));
  }

  /** `count` rows of `width` values from `labels`; each equal to a previous row is that row. */
  rowsOf(family: string, labels: readonly string[], width: number, count: number): (readonly string[])[] {
    const before = this.before.get(family);
    if (before === undefined) return rowsOf(labels, width, count);
    const rows = new Array<readonly string[]>(count);
    let cursor = this.cursors.get(family) ?? 0;
    for (let i = 0; i < count; i++) {
      const start = i * width;
      let order = -1;
      for (; cursor < before.length; cursor++) {
        order = compareRow(before.labelValuesAt(cursor), labels, start, width);
        if (order >= 0) break;
      }
      if (cursor < before.length && order === 0) rows[i] = before.labelValuesAt(cursor++);
      else rows[i] = labels.slice(start, start + width);
    }
    this.cursors.set(family, cursor);
    return rows;
  }
}

/** How `row` sorts against the `width` values of `labels` from `start`, as compareLabelValues orders rows. */
function compareRow(row: readonly string[], labels: readonly string[], start: number, width: number): number {
  const length = Math.min(row.length, width);
  for (let i = 0; i < length; i++) {
    const x = row[i] as string;
    const y = labels[start + i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return row.length - width;
}
