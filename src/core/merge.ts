// Merging snapshots of several registries (processes, workers) into one: a pure function of plain data.
import { PromliteError } from '../errors.js';
import { checkOptions, describeValue, isStringArray, type OptionCheck } from '../options.js';
import { type Combine, labelSeriesSteps, mergeColumnsSteps, mergeSeriesSteps } from './merge-series.js';
import { ColumnFamily, headOf, seriesListOf, strideOf } from './series-columns.js';
import type { FamilySnapshot, RegistrySnapshot } from './snapshot.js';
import { runSteps, type Steps } from './steps.js';

/**
 * How a gauge family's series from several sources become one: `sum` (the default: in-flight
 * requests, queue lengths), `min`, `max`, `first` (the first source that has the series),
 * `omit` (left out of the merge), or `{ perSource: 'worker' }`: every source's series kept
 * apart, told apart by one more label (here `worker`) whose value is the source's name.
 */
export type GaugeMergePolicy = 'sum' | 'min' | 'max' | 'first' | 'omit' | { readonly perSource: string };

/** Options of {@link mergeSnapshots}. */
export interface MergeOptions {
  /**
   * What the sources are called, in the order given: in error messages, and as the label value
   * of `perSource` gauges (where they must differ). Default `#0`, `#1`, …
   */
  readonly sources?: readonly string[] | undefined;
  /** The policy of every gauge family, or a function of the family's name. Default `sum`. */
  readonly gauges?: GaugeMergePolicy | ((family: string) => GaugeMergePolicy) | undefined;
}

const GAUGE_POLICIES: readonly string[] = ['sum', 'min', 'max', 'first', 'omit'];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const EXPECTED_POLICY = `one of ${GAUGE_POLICIES.join(', ')} or { perSource: "<label name>" }`;

/**
 * Merges snapshots into one, as one registry holding everything would have given it: families
 * by name, series by label values. Counters add, histograms add bucket by bucket (with `_sum` and
 * `_count`), summaries add `_sum` and `_count` (a quantile that two sources report is NaN: quantiles
 * of separate streams do not combine), gauges follow their policy, and info families and state sets
 * keep the first source's value of each series. A family that only some sources have is kept as it
 * is. Pure: the inputs are not changed, and merging a single snapshot returns an equal one.
 * Associative and independent of the sources' order, except for `first` (order) and `perSource`
 * (a merged family has the extra label, so it cannot be merged again under the same policy).
 * @throws PromliteError `INVALID_VALUE` when two sources declare a family differently (type, help,
 *   label names, buckets, quantiles), naming the family, both sources and the difference, or when
 *   a `perSource` label is one the family already has; `INVALID_OPTIONS` for bad options.
 * @example
 * const all = mergeSnapshots([a.snapshot(), b.snapshot()], { sources: ['a', 'b'], gauges: 'max' });
 */
export function mergeSnapshots(snapshots: readonly RegistrySnapshot[], options: MergeOptions = {}): RegistrySnapshot {
  return runSteps(mergeSnapshotsSteps(snapshots, options));
}

/**
 * @internal {@link mergeSnapshots} in steps, pausing every few thousand series, so that an
 * aggregator can let the event loop run between them. Checks its arguments before the first step.
 */
export function mergeSnapshotsSteps(
  snapshots: readonly RegistrySnapshot[],
  options: MergeOptions = {},
): Steps<RegistrySnapshot> {
  if (!Array.isArray(snapshots) || !snapshots.every(isSnapshot)) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `mergeSnapshots: expected an array of snapshots ({ families: [...] }), got ${describeValue(snapshots)}`,
    );
  }
  checkOptions('mergeSnapshots', options, { sources: isStringArray, gauges: isGaugesOption });
  return mergeChecked(snapshots, options);
}

function* mergeChecked(snapshots: readonly RegistrySnapshot[], options: MergeOptions): Steps<RegistrySnapshot> {
  const sourceName = (index: number) => options.sources?.[index] ?? `#${index}`;
  // Each family name: every family of that name, with the index of its source, in source order.
  const byName = new Map<string, { families: FamilySnapshot[]; sources: number[] }>();
  snapshots.forEach((snapshot, index) => {
    for (const family of snapshot.families) {
      const entry = byName.get(family.name);
      if (entry === undefined) byName.set(family.name, { families: [family], sources: [index] });
      else {
        const difference = familyDifference(entry.families[0] as FamilySnapshot, family);
        if (difference !== undefined)
          throwDifference(family.name, difference, sourceName(entry.sources[0] as number), sourceName(index));
        entry.families.push(family);
        entry.sources.push(index);
      }
    }
  });
  const merged: FamilySnapshot[] = [];
  for (const [name, { families, sources }] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const first = families[0] as FamilySnapshot;
    const policy = policyOf(first, options);
    if (policy === 'omit') continue;
    // The head only: spreading a family of columns would make all its series as objects at once.
    const head = headOf(first);
    if (typeof policy === 'string') {
      if (families.every((family) => family instanceof ColumnFamily)) {
        const columns = yield* mergeColumnsSteps(families, policy, strideOf(head));
        merged.push(Object.freeze(ColumnFamily.of(head, columns)));
      } else {
        const series = yield* mergeSeriesSteps(families.map(seriesListOf), policy);
        merged.push(Object.freeze({ ...head, series }) as FamilySnapshot);
      }
      continue;
    }
    const label = policy.perSource;
    if (first.labelNames.includes(label)) {
      throw new PromliteError(
        'INVALID_VALUE',
        `mergeSnapshots: gauge "${name}" already has a label "${label}", so it cannot be its perSource label`,
      );
    }
    const names = sources.map(sourceName);
    if (new Set(names).size < names.length) {
      throw new PromliteError(
        'INVALID_OPTIONS',
        `mergeSnapshots: gauge "${name}" is merged perSource, so its sources need distinct names (option "sources"), got ${JSON.stringify(names)}`,
      );
    }
    const series = yield* labelSeriesSteps(families.map(seriesListOf), names);
    merged.push(Object.freeze({ ...head, labelNames: [...first.labelNames, label], series }) as FamilySnapshot);
  }
  return Object.freeze({ families: Object.freeze(merged) });
}

/** The policy of one family: gauges' from the options, `sum` for counts, `first` for facts. */
function policyOf(family: FamilySnapshot, options: MergeOptions): Combine | 'omit' | { readonly perSource: string } {
  if (family.type === 'counter' || family.type === 'histogram' || family.type === 'summary') return 'sum';
  if (family.type !== 'gauge') return 'first';
  const policy = typeof options.gauges === 'function' ? options.gauges(family.name) : (options.gauges ?? 'sum');
  const problem = isGaugePolicy(policy);
  if (problem !== undefined) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `mergeSnapshots: gauge policy for "${family.name}" must be ${problem}, got ${describeValue(policy)}`,
    );
  }
  return policy;
}

const isGaugePolicy: OptionCheck = (value) => {
  if (GAUGE_POLICIES.includes(value as string)) return undefined;
  const label = (value as { perSource?: unknown } | null)?.perSource;
  const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
  if (typeof label === 'string' && keys.length === 1) {
    return LABEL_NAME.test(label) && !label.startsWith('__') ? undefined : `${EXPECTED_POLICY} (a valid label name)`;
  }
  return EXPECTED_POLICY;
};

const isGaugesOption: OptionCheck = (value) =>
  typeof value === 'function' || isGaugePolicy(value) === undefined
    ? undefined
    : `${EXPECTED_POLICY}, or a function of the family name`;

const isSnapshot = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Array.isArray((value as { families?: unknown }).families);

/** How two families of one name differ: what, and each one's value; `undefined` when they agree. */
export interface FamilyDifference {
  readonly what: string;
  readonly first: unknown;
  readonly second: unknown;
}

/**
 * @internal Whether two families of one name can be merged: `undefined`, or the first
 * difference (type, help, label names, buckets, quantiles). Never throws.
 */
export function familyDifference(a: FamilySnapshot, b: FamilySnapshot): FamilyDifference | undefined {
  if (a.type !== b.type) return { what: 'type', first: a.type, second: b.type };
  if (a.help !== b.help) return { what: 'help', first: a.help, second: b.help };
  if (a.labelNames.join(',') !== b.labelNames.join(','))
    return { what: 'label names', first: a.labelNames, second: b.labelNames };
  if (a.type === 'histogram' && b.type === 'histogram' && a.upperBounds.join(',') !== b.upperBounds.join(','))
    return { what: 'buckets', first: a.upperBounds, second: b.upperBounds };
  if (a.type === 'summary' && b.type === 'summary' && a.quantiles.join(',') !== b.quantiles.join(','))
    return { what: 'quantiles', first: a.quantiles, second: b.quantiles };
  return undefined;
}

function throwDifference(name: string, difference: FamilyDifference, sourceA: string, sourceB: string): never {
  const { what, first, second } = difference;
  throw new PromliteError(
    'INVALID_VALUE',
    `mergeSnapshots: family "${name}" has ${what} ${JSON.stringify(first)} in source ${JSON.stringify(sourceA)} but ${JSON.stringify(second)} in source ${JSON.stringify(sourceB)}`,
  );
}
