import { callUserCallback } from '../callbacks.js';
import { PromliteError } from '../errors.js';
import type { CollectedSample } from './collect.js';
import { compareLabelValues, type Labels } from './labels.js';
import type { MetricContext, MetricDefinition } from './metric.js';
import { SeriesTable, type Series } from './series-table.js';
import type { FamilySnapshot, ScalarSeries } from './snapshot.js';
import { assertNotPending, type CollectReads } from './read-ahead.js';
import { runSteps, type Steps } from './steps.js';
import { metricTimer, type StopTimer } from './timer.js';

/**
 * What makes a family a counter, a gauge or a histogram: plain functions, built before the
 * family and handed to it whole, so that no constructor ever runs half-made code (the
 * composition of client_golang's `NewMetricVec(desc, newMetric)`). `S` is the stored state of
 * one series, `Child` the handle `labels()` returns, `F` the family's snapshot.
 */
export interface SeriesKind<S extends Series & Child, Child, F extends FamilySnapshot> {
  /** Makes the state of a new series; `labelValues` are frozen, default label values included. */
  readonly create: (labelValues: readonly string[]) => S;
  /** Makes the child for updates refused by a limit: it checks each value, records nothing, calls `onDrop`. */
  readonly dropped: (onDrop: () => void) => Child;
  /**
   * Told that `remove` deleted `series`, with the series still stored (for a kind that keeps
   * their state in shared storage and may compact it).
   */
  readonly removed?: (series: S, live: () => readonly S[]) => void;
  /** Told that `reset` deleted every series (before an unlabelled one is made again). */
  readonly cleared?: () => void;
  /** Copies the family for a snapshot, with {@link SeriesFamily.copySeries} or {@link SeriesFamily.collectSeries}. */
  readonly snapshotSteps: (family: SeriesFamily<S, Child, F>, reads: CollectReads | undefined) => Steps<F>;
}

const NO_LABELS: Labels = Object.freeze({});

/**
 * The series of one metric family, by label set: bound children, `remove`, `reset` and
 * snapshots. What differs between counters, gauges and histograms comes in as a
 * {@link SeriesKind}; `Counter`, `Gauge` and `Histogram` are typed façades over a family.
 */
export class SeriesFamily<S extends Series & Child, Child, F extends FamilySnapshot> {
  readonly definition: MetricDefinition;
  private readonly context: MetricContext;
  private readonly kind: SeriesKind<S, Child, F>;
  private readonly table: SeriesTable<S>;
  private singleState: S | undefined;
  private droppedChild: Child | undefined;

  constructor(definition: MetricDefinition, context: MetricContext, kind: SeriesKind<S, Child, F>) {
    this.definition = definition;
    this.context = context;
    this.kind = kind;
    this.table = new SeriesTable<S>({
      metric: definition.name,
      type: definition.type,
      labelNames: definition.labelNames,
      defaultLabelValues: context.defaultLabelValues,
      maxSeries: context.maxSeries,
      maxLabelValueLength: context.maxLabelValueLength,
      create: kind.create,
    });
    // An unlabelled metric is exported (at zero) from the moment it exists.
    this.singleState = definition.labelNames.length === 0 ? this.table.find(NO_LABELS) : undefined;
  }

  /** The one series of an unlabelled metric (replaced by `reset`); `undefined` when labels were declared. */
  get single(): S | undefined {
    return this.singleState;
  }

  /**
   * Returns the child for one label set: its stored series, or over the series limit a child
   * that records nothing but checks each update's value and counts it as dropped.
   * @throws PromliteError `INVALID_LABELS` when the label set does not match the declared names.
   */
  labels(labels: Labels): Child {
    return this.table.find(labels) ?? this.dropped();
  }

  /** The one child for every update refused by a limit, made on the first refusal. */
  private dropped(): Child {
    this.droppedChild ??= this.kind.dropped(() => this.context.onDrop(this.definition.name));
    return this.droppedChild;
  }

  /** The one series of an unlabelled metric. @throws PromliteError `INVALID_LABELS` when labels were declared. */
  unlabeled(): S {
    if (this.singleState !== undefined) return this.singleState;
    // Throws, naming the first missing label.
    this.table.toLabelValues(NO_LABELS);
    throw new PromliteError('INVALID_LABELS', `${this.definition.type} "${this.definition.name}": labels are required`);
  }

  /**
   * The child for `labels`, or the one series when `labels` is `undefined`.
   * @throws as {@link labels} and {@link unlabeled} do.
   */
  child(labels: Labels | undefined): Child {
    return labels === undefined ? this.unlabeled() : this.labels(labels);
  }

  /**
   * Starts a timer: when it stops, `record` gets the child of the start labels merged with the
   * stop labels, and the elapsed seconds. Start labels are checked at once as far as they go
   * (no undeclared name, no bad value); the whole set when the timer stops.
   * @throws PromliteError `INVALID_LABELS` for a start label set that cannot be completed.
   */
  startTimer(labels: Partial<Labels> | undefined, record: (child: Child, seconds: number) => void): StopTimer {
    if (labels !== undefined) {
      // Declared names not given yet get a placeholder, so that only what was given is judged.
      const placeholders = Object.fromEntries(this.definition.labelNames.map((name) => [name, '']));
      this.table.toLabelValues(
        (typeof labels === 'object' && labels !== null ? { ...placeholders, ...labels } : labels) as Labels,
      );
    }
    return metricTimer(labels, (all, seconds) => record(this.child(all), seconds));
  }

  /**
   * Deletes the series of one label set; returns whether it existed.
   * @throws PromliteError `INVALID_LABELS` when the label set does not match the declared names.
   */
  remove(labels: Labels): boolean {
    const { type, name, labelNames } = this.definition;
    if (labelNames.length === 0)
      throw new PromliteError('INVALID_LABELS', `${type} "${name}": has no labels; use reset()`);
    const removed = this.table.remove(labels);
    if (removed === undefined) return false;
    this.kind.removed?.(removed, () => this.table.sorted());
    return true;
  }

  /** Deletes every series; an unlabelled metric starts again from zero. */
  reset(): void {
    this.table.clear();
    this.kind.cleared?.();
    if (this.definition.labelNames.length === 0) this.singleState = this.table.find(NO_LABELS);
  }

  /**
   * The current state as plain data, series ordered by label values. A collect function runs
   * here; whatever it throws or returns wrongly propagates, for the registry to leave the family
   * out and count it.
   */
  snapshot(reads?: CollectReads): F {
    return runSteps(this.snapshotSteps(reads));
  }

  /**
   * {@link snapshot} in steps: pauses every few thousand series (see `Steps`). `reads` holds what
   * collect functions returned when read ahead (see `readAhead`).
   */
  snapshotSteps(reads?: CollectReads): Steps<F> {
    return this.kind.snapshotSteps(this, reads);
  }

  /**
   * Copies every stored series with `copy`, in label-value order, pausing every 2,048 series so
   * that a caller can spread a large snapshot over several event-loop turns. Each series is
   * copied whole at once, so a histogram's buckets, sum and count always agree.
   */
  *copySeries<T>(copy: (series: S) => T): Steps<T[]> {
    const stored = this.table.sorted();
    const copies = new Array<T>(stored.length);
    for (let i = 0; i < stored.length; i++) {
      copies[i] = copy(stored[i] as S);
      if ((i & 2047) === 2047) yield;
    }
    return copies;
  }

  /**
   * Runs a collect function, or takes what it returned when read ahead (`reads`), and turns it
   * into series (see `collectedSeries`). A promise that was not read ahead is refused, and can
   * never become an unhandled rejection.
   */
  collectSeries(
    collect: () => unknown,
    isValid: (value: unknown) => boolean,
    reads: CollectReads | undefined,
  ): ScalarSeries[] {
    const outcome = reads?.get(collect) ?? callUserCallback(collect);
    if (!outcome.ok) throw outcome.error;
    assertNotPending(`${this.definition.type} "${this.definition.name}": collect`, outcome.value);
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
    const { type, name } = this.definition;
    const checkValue = (value: unknown): number => {
      if (!isValid(value))
        throw new PromliteError(
          'INVALID_VALUE',
          `${type} "${name}": collect returned the invalid value ${String(value)}`,
        );
      return value as number;
    };
    if (typeof collected === 'number') {
      this.unlabeled();
      return [{ labelValues: defaultLabelValues, value: checkValue(collected) }];
    }
    if (!Array.isArray(collected)) {
      throw new PromliteError(
        'INVALID_VALUE',
        `${type} "${name}": collect must return a number or an array of { labels, value }, got ${typeof collected}`,
      );
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
        throw new PromliteError(
          'INVALID_VALUE',
          `${type} "${name}": collect returned ${sample === null ? 'null' : typeof sample} where { labels, value } belongs`,
        );
      }
      const labelValues = this.table.toLabelValues(sample.labels);
      const value = checkValue(sample.value);
      // JSON of the value array cannot collide the way joined strings can.
      const key = JSON.stringify(labelValues);
      if (seen.has(key))
        throw new PromliteError('INVALID_LABELS', `${type} "${name}": collect returned the label set ${key} twice`);
      seen.add(key);
      if (labelValues.some((labelValue) => labelValue.length > maxLabelValueLength)) dropped++;
      else series.push({ labelValues: [...labelValues, ...defaultLabelValues], value });
    }
    if (dropped > 0) this.context.onDrop(name, dropped);
    return series.sort((a, b) => compareLabelValues(a.labelValues, b.labelValues));
  }
}
