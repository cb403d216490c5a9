// Merging snapshots of several registries (processes, workers) into one: a pure function of plain data.
import { PromliteError } from '../errors.js';
import { checkOptions, describeValue, isStringArray, type OptionCheck } from '../options.js';
import { compareLabelValues } from './labels.js';
import { mergedNative } from './native-merge.js';
import type { FamilySnapshot, HistogramSeries, RegistrySnapshot, ScalarSeries, SummarySeries } from './snapshot.js';

/**
 * How a gauge family's series from several sources become one: `sum` (the default: in-flight
 * requests, queue lengths), `min`, `max`, `first` (the first source that has the series), or
 * `omit` (left out of the merge).
 */
export type GaugeMergePolicy = 'sum' | 'min' | 'max' | 'first' | 'omit';

/** Options of {@link mergeSnapshots}. */
export interface MergeOptions {
  /** What the sources are called in error messages, in the order given. Default `#0`, `#1`, … */
  readonly sources?: readonly string[];
  /** The policy of every gauge family, or a function of the family's name. Default `sum`. */
  readonly gauges?: GaugeMergePolicy | ((family: string) => GaugeMergePolicy);
}

const GAUGE_POLICIES: readonly string[] = ['sum', 'min', 'max', 'first', 'omit'];

type Series = ScalarSeries | HistogramSeries | SummarySeries;

/**
 * Merges snapshots into one, as one registry holding everything would have given it: families
 * by name, series by label values. Counters add, histograms add bucket by bucket (with `_sum` and
 * `_count`), gauges follow their policy, and info families and state sets keep the first source's
 * value of each series. A family that only some sources have is kept as it is. Pure: the inputs
 * are not changed, and merging a single snapshot returns an equal one.
 * @throws PromliteError `INVALID_VALUE` when two sources declare a family differently (type, help,
 *   label names, buckets), naming the family, both sources and the difference;
 *   `INVALID_OPTIONS` for bad options.
 */
export function mergeSnapshots(snapshots: readonly RegistrySnapshot[], options: MergeOptions = {}): RegistrySnapshot {
  if (!Array.isArray(snapshots) || !snapshots.every(isSnapshot)) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `mergeSnapshots: expected an array of snapshots ({ families: [...] }), got ${describeValue(snapshots)}`,
    );
  }
  checkOptions('mergeSnapshots', options, { sources: isStringArray, gauges: isGaugesOption });
  const sourceName = (index: number) => options.sources?.[index] ?? `#${index}`;
  const policyOf = (name: string): GaugeMergePolicy => {
    const policy = typeof options.gauges === 'function' ? options.gauges(name) : (options.gauges ?? 'sum');
    if (!GAUGE_POLICIES.includes(policy)) {
      throw new PromliteError(
        'INVALID_OPTIONS',
        `mergeSnapshots: gauge policy for "${name}" must be one of ${GAUGE_POLICIES.join(', ')}, got ${describeValue(policy)}`,
      );
    }
    return policy;
  };
  // Each family name: the first source's family, and every family of that name, in source order.
  const byName = new Map<string, { readonly first: number; readonly families: FamilySnapshot[] }>();
  snapshots.forEach((snapshot, index) => {
    for (const family of snapshot.families) {
      const entry = byName.get(family.name);
      if (entry === undefined) byName.set(family.name, { first: index, families: [family] });
      else {
        assertSameFamily(entry.families[0] as FamilySnapshot, family, sourceName(entry.first), sourceName(index));
        entry.families.push(family);
      }
    }
  });
  const merged: FamilySnapshot[] = [];
  for (const [name, { families }] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const first = families[0] as FamilySnapshot;
    const policy =
      first.type === 'gauge'
        ? policyOf(name)
        : first.type === 'counter' || first.type === 'histogram' || first.type === 'summary'
          ? 'sum'
          : 'first';
    if (policy === 'omit') continue;
    const series = mergeSeries(
      families.map((family) => family.series as readonly Series[]),
      policy,
    );
    merged.push(Object.freeze({ ...first, series }) as FamilySnapshot);
  }
  return Object.freeze({ families: Object.freeze(merged) });
}

const isGaugesOption: OptionCheck = (value) =>
  GAUGE_POLICIES.includes(value as string) || typeof value === 'function'
    ? undefined
    : `one of ${GAUGE_POLICIES.join(', ')}, or a function of the family name`;

const isSnapshot = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Array.isArray((value as { families?: unknown }).families);

/** Joins the series lists of one family, combining series with equal label values by `policy`. */
function mergeSeries(lists: readonly (readonly Series[])[], policy: Exclude<GaugeMergePolicy, 'omit'>): Series[] {
  if (lists.length === 1) return [...(lists[0] as readonly Series[])];
  const byLabels = new Map<string, Series>();
  for (const list of lists) {
    for (const series of list) {
      // JSON of the value array cannot collide the way joined strings can.
      const key = JSON.stringify(series.labelValues);
      const existing = byLabels.get(key);
      byLabels.set(key, existing === undefined ? series : combine(existing, series, policy));
    }
  }
  return [...byLabels.values()].sort((a, b) => compareLabelValues(a.labelValues, b.labelValues));
}

function combine(a: Series, b: Series, policy: Exclude<GaugeMergePolicy, 'omit'>): Series {
  if (policy === 'first') return a;
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
    return {
      labelValues: a.labelValues,
      cumulativeCounts: a.cumulativeCounts.map((count, i) => count + (other.cumulativeCounts[i] as number)),
      sum: a.sum + other.sum,
      count: a.count + other.count,
      ...mergedNative(a, other),
    };
  }
  const x = a.value;
  const y = (b as ScalarSeries).value;
  const value = policy === 'sum' ? x + y : policy === 'min' ? Math.min(x, y) : Math.max(x, y);
  return { labelValues: a.labelValues, value };
}

function assertSameFamily(a: FamilySnapshot, b: FamilySnapshot, sourceA: string, sourceB: string): void {
  const differs = (what: string, x: unknown, y: unknown) => {
    throw new PromliteError(
      'INVALID_VALUE',
      `mergeSnapshots: family "${a.name}" has ${what} ${JSON.stringify(x)} in source ${JSON.stringify(sourceA)} but ${JSON.stringify(y)} in source ${JSON.stringify(sourceB)}`,
    );
  };
  if (a.type !== b.type) differs('type', a.type, b.type);
  if (a.help !== b.help) differs('help', a.help, b.help);
  if (a.labelNames.join(',') !== b.labelNames.join(',')) differs('label names', a.labelNames, b.labelNames);
  if (a.type === 'histogram' && b.type === 'histogram' && a.upperBounds.join(',') !== b.upperBounds.join(',')) {
    differs('buckets', a.upperBounds, b.upperBounds);
  }
  if (a.type === 'summary' && b.type === 'summary' && a.quantiles.join(',') !== b.quantiles.join(',')) {
    differs('quantiles', a.quantiles, b.quantiles);
  }
}
