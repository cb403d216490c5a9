import { callUserCallback } from '../callbacks.js';
import { PromliteError } from '../errors.js';
import { collectedSeries } from './collected-series.js';
import type { Labels } from './labels.js';
import type { MetricContext, MetricDefinition } from './metric.js';
import { SeriesTable, type Series } from './series-table.js';
import { ColumnsBuilder } from './make-columns.js';
import type { Columns, SeriesExtras } from './series-columns.js';
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
   * Told that `remove` deleted a series, with `live` to read the series left (for a kind that
   * keeps their state in shared storage and may compact it).
   */
  readonly removed?: (live: () => readonly S[]) => void;
  /** Told that `reset` deleted every series (before an unlabelled one is made again). */
  readonly cleared?: () => void;
  /**
   * Copies the family for a snapshot, with {@link SeriesFamily.copyColumns}, {@link SeriesFamily.copySeries}
   * (summaries) or {@link SeriesFamily.collectSeries}.
   */
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

  /** The series by label set, for a handle's update paths: {@link labels} without one step. */
  get seriesTable(): SeriesTable<S> {
    return this.table;
  }

  /** The one child for every update refused by a limit, made on the first refusal. */
  dropped(): Child {
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
    this.kind.removed?.(() => this.table.sorted());
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
   * Copies every stored series into columns (see `ColumnFamily`), in label-value order, pausing
   * as {@link copySeries} does: a series' label values become its row, `copy` writes its `stride`
   * numbers from `at` and returns its extras (exemplars, native buckets), if it has any. A
   * snapshot of objects would be several objects per series, alive for the whole render: every
   * young-generation collection meanwhile would copy them, stalling the event loop.
   */
  *copyColumns(
    stride: number,
    copy: (series: S, values: Float64Array, at: number) => SeriesExtras | undefined,
  ): Steps<Columns> {
    const stored = this.table.sorted();
    const columns = new ColumnsBuilder(stored.length, stride);
    for (let i = 0; i < stored.length; i++) {
      const series = stored[i] as S;
      columns.set(i, series.labelValues, copy(series, columns.values, i * stride));
      if ((i & 2047) === 2047) yield;
    }
    return columns;
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
    if (typeof outcome.value === 'number') this.unlabeled();
    return collectedSeries(outcome.value, isValid, this.definition, this.context, this.table);
  }
}
