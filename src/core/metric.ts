import { callUserCallback } from '../callbacks.js';
import { PromliteError } from '../errors.js';
import type { CollectedSample } from './collect.js';
import { compareLabelValues, type Labels } from './labels.js';
import type { MetricType } from './names.js';
import { SeriesTable, type Series } from './series-table.js';
import type { FamilySnapshot, ScalarSeries } from './snapshot.js';
import { runSteps, type Steps } from './steps.js';

/** What a metric needs from the registry that owns it. Internal. */
export interface MetricContext {
  readonly defaultLabelValues: readonly string[];
  readonly maxSeries: number;
  readonly maxLabelValueLength: number;
  /** Records that `count` (default 1) updates or collected samples of `metric` were refused by a series limit. */
  readonly onDrop: (metric: string, count?: number) => void;
}

/** The registered shape of a metric, as given to the registry (names already validated). */
export interface MetricDefinition {
  readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Declared label names followed by the registry's default label names. */
  readonly exposedLabelNames: readonly string[];
  /** Histogram bucket upper bounds (validated, frozen); empty for other types. */
  readonly upperBounds: readonly number[];
}

const NO_LABELS: Labels = Object.freeze({});

/**
 * What counters, gauges and histograms share: a table of series by label set, bound children,
 * `remove` and `reset`. `Child` is the handle `labels()` returns; `S` is the stored series.
 */
export abstract class Metric<L extends string, S extends Series & Child, Child> {
  /** Full name, prefix included. */
  readonly name: string;
  readonly help: string;
  /** Declared label names (without the registry's default labels). */
  readonly labelNames: readonly L[];
  /** How the metric is exposed. */
  readonly type: MetricType;
  protected readonly definition: MetricDefinition;
  protected readonly table: SeriesTable<S>;
  protected readonly context: MetricContext;
  private single: S | undefined;
  private dropped: Child | undefined;

  protected constructor(definition: MetricDefinition, context: MetricContext) {
    this.definition = definition;
    this.name = definition.name;
    this.help = definition.help;
    this.labelNames = definition.labelNames as readonly L[];
    this.type = definition.type;
    this.context = context;
    this.table = new SeriesTable<S>({
      metric: definition.name,
      type: definition.type,
      labelNames: definition.labelNames,
      defaultLabelValues: context.defaultLabelValues,
      maxSeries: context.maxSeries,
      maxLabelValueLength: context.maxLabelValueLength,
      create: (labelValues) => this.createSeries(labelValues),
    });
    // An unlabelled metric is exported (at zero) from the moment it exists.
    if (definition.labelNames.length === 0) this.single = this.table.find(NO_LABELS);
  }

  /**
   * Returns the child for one label set: the fastest way to update it repeatedly, and the path
   * every labelled update takes. Over the series limit, the child records nothing but checks
   * each update's value and counts it as dropped. After `remove`
   * or `reset` a child is detached (as in the Go client): take a new one.
   * @throws PromliteError `INVALID_LABELS` when the label set does not match the declared names.
   */
  labels(labels: Labels<L>): Child {
    return this.table.find(labels) ?? (this.dropped ??= this.createDroppedChild(() => this.context.onDrop(this.name)));
  }

  /**
   * Deletes the series of one label set; returns whether it existed.
   * @throws PromliteError `INVALID_LABELS` when the label set does not match the declared names.
   */
  remove(labels: Labels<L>): boolean {
    if (this.labelNames.length === 0) {
      throw new PromliteError('INVALID_LABELS', `${this.definition.type} "${this.name}": has no labels; use reset()`);
    }
    return this.table.remove(labels);
  }

  /** Deletes every series; an unlabelled metric starts again from zero. */
  reset(): void {
    this.table.clear();
    if (this.labelNames.length === 0) this.single = this.table.find(NO_LABELS);
  }

  /**
   * @internal The current state as plain data, series ordered by label values. A collect
   * function runs here; whatever it throws or returns wrongly propagates, for the registry to
   * leave the family out and count it.
   */
  snapshot(): FamilySnapshot {
    return runSteps(this.snapshotSteps());
  }

  /** @internal {@link snapshot} in steps: pauses every few thousand series (see `Steps`). */
  abstract snapshotSteps(): Steps<FamilySnapshot>;

  /**
   * Copies every stored series with `copy`, in label-value order, pausing every 2,048 series so
   * that a caller can spread a large snapshot over several event-loop turns. Each series is
   * copied whole at once, so a histogram's buckets, sum and count always agree.
   */
  protected *copySeries<T>(copy: (series: S) => T): Steps<T[]> {
    const stored = this.table.sorted();
    const copies = new Array<T>(stored.length);
    for (let i = 0; i < stored.length; i++) {
      copies[i] = copy(stored[i] as S);
      if ((i & 2047) === 2047) yield;
    }
    return copies;
  }

  /**
   * Runs a collect function and turns what it returned into series (see `collectedSeries`).
   * A promise it returns is refused like any other wrong value, and can never become an
   * unhandled rejection.
   */
  protected collectSeries(collect: () => unknown, isValid: (value: unknown) => boolean): ScalarSeries[] {
    const outcome = callUserCallback(collect);
    if (!outcome.ok) throw outcome.error;
    return this.collectedSeries(outcome.value, isValid);
  }

  /**
   * Turns what a collect function returned into sorted series, checking every label set and
   * value (`isValid`). Series past the series limit, and series with a label value over the
   * length limit, are dropped and counted, exactly as for `set()`; once the limit is reached
   * the rest is counted without being read, so a runaway collect costs little.
   * @throws PromliteError for anything malformed: the registry leaves the family out and counts it.
   */
  private collectedSeries(collected: unknown, isValid: (value: unknown) => boolean): ScalarSeries[] {
    const { defaultLabelValues, maxSeries, maxLabelValueLength } = this.context;
    const { type } = this.definition;
    const checkValue = (value: unknown): number => {
      if (!isValid(value)) throw new PromliteError('INVALID_VALUE', `${type} "${this.name}": collect returned the invalid value ${String(value)}`);
      return value as number;
    };
    if (typeof collected === 'number') {
      this.unlabeled();
      return [{ labelValues: defaultLabelValues, value: checkValue(collected) }];
    }
    if (!Array.isArray(collected)) {
      throw new PromliteError('INVALID_VALUE', `${type} "${this.name}": collect must return a number or an array of { labels, value }, got ${typeof collected}`);
    }
    const samples = collected as readonly CollectedSample[];
    const seen = new Set<string>();
    const series: ScalarSeries[] = [];
    let dropped = 0;
    for (let i = 0; i < samples.length; i++) {
      if (series.length >= maxSeries) {
        dropped += samples.length - i;
        break;
      }
      const sample = samples[i];
      if (typeof sample !== 'object' || sample === null) {
        throw new PromliteError('INVALID_VALUE', `${type} "${this.name}": collect returned ${sample === null ? 'null' : typeof sample} where { labels, value } belongs`);
      }
      const labelValues = this.table.toLabelValues(sample.labels);
      const value = checkValue(sample.value);
      // JSON of the value array cannot collide the way joined strings can.
      const key = JSON.stringify(labelValues);
      if (seen.has(key)) throw new PromliteError('INVALID_LABELS', `${type} "${this.name}": collect returned the label set ${key} twice`);
      seen.add(key);
      if (labelValues.some((labelValue) => labelValue.length > maxLabelValueLength)) dropped++;
      else series.push({ labelValues: [...labelValues, ...defaultLabelValues], value });
    }
    if (dropped > 0) this.context.onDrop(this.name, dropped);
    return series.sort((a, b) => compareLabelValues(a.labelValues, b.labelValues));
  }

  /** The one series of an unlabelled metric. @throws PromliteError when labels were declared. */
  protected unlabeled(): S {
    if (this.single !== undefined) return this.single;
    // Throws, naming the first missing label.
    this.table.toLabelValues(NO_LABELS);
    throw new PromliteError('INVALID_LABELS', `${this.definition.type} "${this.name}": labels are required`);
  }

  protected abstract createSeries(labelValues: readonly string[]): S;
  protected abstract createDroppedChild(onDrop: () => void): Child;
}
