// Families read whole by a collector (`registry.collect`), checked as strictly as declared ones.
import { callUserCallback } from '../callbacks.js';
import { PromliteError } from '../errors.js';
import { describeValue as describe } from '../options.js';
import { defineMetric, type DefinitionScope } from './definition.js';
import { compareLabelValues } from './labels.js';
import type { MetricContext, MetricDefinition } from './metric.js';
import type { FamilySnapshot, HistogramSeries, ScalarSeries } from './snapshot.js';
import { assertNotPending, type CollectReads } from './read-ahead.js';
import { toWellFormed } from './unicode.js';

/**
 * Reads several families at once when a snapshot is taken, e.g. from one system call. Families
 * are given as a snapshot holds them, except that `name` and `labelNames` are as you would
 * declare them: the registry prepends its prefix and appends its default labels (names and
 * values). A collector cannot emit a state set.
 */
export type Collector = () => readonly FamilySnapshot[] | PromiseLike<readonly FamilySnapshot[]>;

/** Options of `Registry.collect`; `{}` gives sensible defaults. */
export interface CollectorOptions {
  /** The `metric` label of `promlite_collect_errors_total` when this collector fails. Default `"collector"`. */
  readonly name?: string;
  /**
   * Put in front of this collector's family names instead of the registry's prefix: `''` keeps
   * standard names standard (`process_cpu_seconds_total`) in a registry with a prefix.
   */
  readonly prefix?: string;
}

/** One checked family, the definition it was checked against, and how many series it lost to the limits. */
export interface CollectedFamily {
  readonly definition: MetricDefinition;
  readonly family: FamilySnapshot;
  readonly dropped: number;
}

type Series = ScalarSeries | HistogramSeries;

/** A collector as the registry keeps it. */
export interface RegisteredCollector {
  readonly read: Collector;
  /** Its `metric` label in `promlite_collect_errors_total`. */
  readonly label: string;
  /** Its own prefix, when it has one. */
  readonly prefix: string | undefined;
}

/**
 * Reads every collector once and returns their families, checked (see
 * {@link checkCollectedFamilies}) and unsorted. A collector that throws, returns anything
 * malformed, or emits a family whose sample names are taken (by a `declared` family, or by an
 * earlier collector's in this read) adds nothing and is passed to `onError`. Never throws unless
 * `onError` does.
 */
export function readCollectors(
  collectors: readonly RegisteredCollector[],
  scope: DefinitionScope,
  context: MetricContext,
  declared: {
    assertUnclaimed(definition: MetricDefinition, alsoTaken: (name: string) => string | undefined): readonly string[];
  },
  onError: (error: unknown, label: string) => void,
  reads: CollectReads | undefined,
): FamilySnapshot[] {
  const families: FamilySnapshot[] = [];
  const claims = new Map<string, string>();
  for (const { read, label, prefix } of collectors) {
    try {
      const outcome = reads?.get(read) ?? callUserCallback(read);
      if (!outcome.ok) throw outcome.error;
      assertNotPending('collector', outcome.value);
      const collected = checkCollectedFamilies(
        outcome.value,
        prefix === undefined ? scope : { ...scope, prefix },
        context,
      );
      const own = new Map<string, string>();
      for (const { definition } of collected) {
        for (const claim of declared.assertUnclaimed(definition, (name) => claims.get(name) ?? own.get(name)))
          own.set(claim, definition.name);
      }
      for (const [claim, owner] of own) claims.set(claim, owner);
      // Counted only once the whole read passed: a malformed read is one failure, not also drops.
      for (const { definition, dropped } of collected) if (dropped > 0) context.onDrop(definition.name, dropped);
      for (const { family } of collected) families.push(family);
    } catch (error) {
      onError(error, label);
    }
  }
  return families;
}

/**
 * Checks what a collector returned and makes it this registry's: names prefixed, default labels
 * appended, series sorted, families frozen. Series past the series limit or with a label value
 * over the length limit are left out and counted in `dropped`, for the caller to report as for
 * declared metrics. Does not check names against the registry: the caller does.
 * @throws PromliteError (`INVALID_VALUE`, `INVALID_NAME`, `INVALID_LABELS`…) for anything malformed.
 */
export function checkCollectedFamilies(
  collected: unknown,
  scope: DefinitionScope,
  context: MetricContext,
): CollectedFamily[] {
  if (!Array.isArray(collected))
    throw new PromliteError('INVALID_VALUE', `collector: must return an array of families, got ${describe(collected)}`);
  const checked: CollectedFamily[] = [];
  for (const raw of collected as readonly unknown[]) {
    if (typeof raw !== 'object' || raw === null)
      throw new PromliteError('INVALID_VALUE', `collector: returned ${describe(raw)} where a family belongs`);
    const { type, name, help, labelNames, upperBounds, series } = raw as Record<string, unknown>;
    if (type !== 'counter' && type !== 'gauge' && type !== 'histogram' && type !== 'info') {
      throw new PromliteError(
        'INVALID_VALUE',
        `collector: family ${JSON.stringify(name)} has type ${JSON.stringify(type)}; a collector may emit counter, gauge, histogram or info`,
      );
    }
    const definition = defineMetric(
      type,
      { name, help, labelNames } as never,
      scope,
      (type === 'histogram' ? upperBounds : []) as number[],
    );
    if (!Array.isArray(series))
      throw new PromliteError('INVALID_VALUE', `${type} "${definition.name}": series must be an array`);
    const { kept, dropped } = checkSeries(definition, series as readonly unknown[], context);
    const family = {
      type,
      name: definition.name,
      help: definition.help,
      labelNames: definition.exposedLabelNames,
      series: kept,
    };
    const withBounds = type === 'histogram' ? { ...family, upperBounds: definition.upperBounds } : family;
    // Series are fresh copies, not frozen: see Registry.snapshotSteps.
    checked.push({ definition, family: Object.freeze(withBounds) as FamilySnapshot, dropped });
  }
  return checked;
}

function checkSeries(
  definition: MetricDefinition,
  series: readonly unknown[],
  context: MetricContext,
): { kept: Series[]; dropped: number } {
  const { type, name, labelNames } = definition;
  const seen = new Set<string>();
  const kept: Series[] = [];
  let dropped = 0;
  for (let i = 0; i < series.length; i++) {
    if (kept.length >= context.maxSeries) {
      dropped += series.length - i;
      break;
    }
    const one = series[i];
    if (typeof one !== 'object' || one === null)
      throw new PromliteError('INVALID_VALUE', `${type} "${name}": returned ${describe(one)} where a series belongs`);
    const given: unknown = (one as { labelValues?: unknown }).labelValues;
    if (
      !Array.isArray(given) ||
      given.length !== labelNames.length ||
      !given.every((value) => typeof value === 'string')
    ) {
      throw new PromliteError(
        'INVALID_LABELS',
        `${type} "${name}": labelValues must be ${labelNames.length} strings (${labelNames.join(', ')})`,
      );
    }
    const labelValues = (given as string[]).map(toWellFormed);
    // JSON of the value array cannot collide the way joined strings can.
    const key = JSON.stringify(labelValues);
    if (seen.has(key))
      throw new PromliteError('INVALID_LABELS', `${type} "${name}": the label set ${key} was returned twice`);
    seen.add(key);
    const checked = checkValues(definition, one as Record<string, unknown>, [
      ...labelValues,
      ...context.defaultLabelValues,
    ]);
    if (labelValues.some((value) => value.length > context.maxLabelValueLength)) dropped++;
    else kept.push(checked);
  }
  kept.sort((a, b) => compareLabelValues(a.labelValues, b.labelValues));
  return { kept, dropped };
}

/** Refuses values the family's type cannot hold: the same rules as declared metrics follow. */
function checkValues(
  definition: MetricDefinition,
  series: Record<string, unknown>,
  labelValues: readonly string[],
): Series {
  const { type, name, upperBounds } = definition;
  const refuse = (what: string): never => {
    throw new PromliteError('INVALID_VALUE', `${type} "${name}": ${what}`);
  };
  if (type !== 'histogram') {
    const { value } = series;
    const valid =
      type === 'counter'
        ? typeof value === 'number' && value >= 0 && value !== Infinity
        : type === 'info'
          ? value === 1
          : typeof value === 'number';
    if (!valid) refuse(`returned the invalid value ${String(value)}`);
    return { labelValues, value: value as number };
  }
  const { cumulativeCounts, sum, count } = series;
  if (!Array.isArray(cumulativeCounts) || cumulativeCounts.length !== upperBounds.length)
    refuse(`cumulativeCounts must hold ${upperBounds.length} numbers, one per upper bound`);
  let previous = 0;
  for (const bucket of cumulativeCounts as unknown[]) {
    if (typeof bucket !== 'number' || !Number.isFinite(bucket) || bucket < previous)
      refuse('cumulativeCounts must be finite, non-negative and non-decreasing');
    previous = bucket as number;
  }
  if (typeof count !== 'number' || !Number.isFinite(count) || count < previous)
    refuse('count must be a finite number no smaller than the last cumulative count');
  if (typeof sum !== 'number') refuse(`sum must be a number, got ${describe(sum)}`);
  return {
    labelValues,
    cumulativeCounts: [...(cumulativeCounts as number[])],
    sum: sum as number,
    count: count as number,
  };
}
