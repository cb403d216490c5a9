import { PromliteError } from '../errors.js';
import { describeNumberInput } from '../options.js';
import type { CollectFunction } from './collect.js';
import { FamilyHandle, madeByRegistry } from './family-handle.js';
import type { Labels } from './labels.js';
import type { MetricContext, MetricDefinition, MetricOptions } from './metric.js';
import { ColumnFamily, type SeriesExtras } from './series-columns.js';
import { SeriesFamily, type SeriesKind } from './series-family.js';
import type { Series } from './series-table.js';
import type { CounterFamily, Exemplar } from './snapshot.js';
import { type ExemplarLabels, makeExemplar } from './exemplar.js';

/**
 * How to declare a counter. `name` should end in `_total`; a name without it is written as is in
 * text 0.0.4 and with `_total` on its samples in OpenMetrics (docs/prometheus.md).
 */
export interface CounterOptions<L extends string = string> extends MetricOptions<L> {
  /**
   * Read at `snapshot()` instead of values counted by hand, for totals kept elsewhere (CPU
   * seconds, bytes sent by a library). Values must be finite and ≥ 0, and should only grow.
   */
  readonly collect?: CollectFunction<L>;
}

/** A counter bound to one label set. */
export interface CounterChild {
  /**
   * Adds `amount` (default 1). With `exemplar` (e.g. `{ trace_id }`), it becomes the series'
   * latest exemplar, with `amount` and the time; one over 128 characters is dropped and counted
   * in `promlite_exemplars_dropped_total` (the increment is kept).
   * @throws PromliteError `INVALID_VALUE` when `amount` is negative, NaN, infinite or not a number;
   *   `INVALID_LABELS` for exemplar labels that are not strings under valid names.
   */
  inc(amount?: number, exemplar?: ExemplarLabels): void;
}

/**
 * A series' latest exemplar with what every series of the counter shares: its name (for error
 * messages) and the registry context that makes exemplars. Every series starts with the counter's
 * one empty cell and gets its own at its first exemplar: one field per series instead of three.
 */
class ExemplarCell {
  readonly metric: string;
  readonly context: MetricContext;
  readonly latest: Exemplar | undefined;

  constructor(metric: string, context: MetricContext, latest: Exemplar | undefined) {
    this.metric = metric;
    this.context = context;
    this.latest = latest;
  }
}

/** The live state of one counter series: what `labels()` returns below the series limit. */
export class CounterState implements Series, CounterChild {
  readonly labelValues: readonly string[];
  value = 0;
  /** The counter's name and context, and the latest exemplar (`cell.latest`) when an increment carried one. */
  cell: ExemplarCell;

  constructor(labelValues: readonly string[], empty: ExemplarCell) {
    this.labelValues = labelValues;
    this.cell = empty;
  }

  inc(amount = 1, exemplar?: ExemplarLabels): void {
    // The name is loaded only for the error: this is the hottest path there is.
    if (!isIncrement(amount)) refuseIncrement(this.cell.metric, amount);
    this.value += amount;
    if (exemplar !== undefined) this.keep(amount, exemplar);
  }

  private keep(amount: number, labels: ExemplarLabels): void {
    const { metric, context } = this.cell;
    const made = makeExemplar('counter', metric, labels, amount, context.now());
    if (made === undefined) context.onExemplarDrop?.(metric);
    else this.cell = new ExemplarCell(metric, context, made);
  }
}

/** A value that only goes up: requests served, jobs failed, bytes sent. */
export class Counter<L extends string = string> extends FamilyHandle<CounterState, CounterChild, CounterFamily, L> {
  /** @internal Made by `Registry.counter`. */
  constructor(definition: MetricDefinition, context: MetricContext, collect: CollectFunction<L> | undefined) {
    const checked = madeByRegistry('counter', definition, context);
    super(checked, new SeriesFamily(checked, context, counterKind(checked, context, collect)), collect);
  }

  /**
   * Adds to the counter: `inc()`, `inc(5)`, `inc({ method: 'GET' })`, `inc({ method: 'GET' }, 2)`,
   * and with an exemplar `inc({ method: 'GET' }, 1, { trace_id })` (see {@link CounterChild.inc}).
   * @throws PromliteError `INVALID_VALUE` for a negative, NaN or infinite amount, `INVALID_LABELS`
   *   for a label set that does not match the declared names.
   */
  inc(labelsOrAmount?: Labels<L> | number, amount?: number, exemplar?: ExemplarLabels): void {
    if (typeof labelsOrAmount === 'object' && labelsOrAmount !== null)
      this.labelled(labelsOrAmount).inc(amount, exemplar);
    else this.unlabeled().inc(labelsOrAmount, exemplar);
  }
}

/** The counter kind: its series, its dropped child, and its snapshot (stored or collected values). */
function counterKind(
  definition: MetricDefinition,
  context: MetricContext,
  collect: CollectFunction | undefined,
): SeriesKind<CounterState, CounterChild, CounterFamily> {
  const { name, help, exposedLabelNames } = definition;
  const empty = new ExemplarCell(name, context, undefined);
  return {
    create: (labelValues) => new CounterState(labelValues, empty),
    dropped: (onDrop) => ({
      // A dropped update still gets its value checked, so a bug shows whether or not the cap is hit.
      inc(amount = 1, exemplar?: ExemplarLabels) {
        if (!isIncrement(amount)) refuseIncrement(name, amount);
        if (exemplar !== undefined) makeExemplar('counter', name, exemplar, amount, 0);
        onDrop();
      },
    }),
    *snapshotSteps(family, reads) {
      const head = { type: 'counter', name, help, labelNames: exposedLabelNames } as const;
      if (collect === undefined)
        return ColumnFamily.of(head, yield* family.copyColumns(1, copyCounter)) as CounterFamily;
      const isValid = (value: unknown) => typeof value === 'number' && value >= 0 && value !== Infinity;
      return { ...head, series: family.collectSeries(collect, isValid, reads) };
    },
  };
}

function copyCounter(stored: CounterState, values: Float64Array, at: number): SeriesExtras | undefined {
  values[at] = stored.value;
  const exemplar = stored.cell.latest;
  return exemplar === undefined ? undefined : { exemplar };
}

const isIncrement = (amount: unknown): amount is number =>
  typeof amount === 'number' && amount >= 0 && amount !== Number.POSITIVE_INFINITY;

function refuseIncrement(metric: string, amount: unknown): never {
  throw new PromliteError(
    'INVALID_VALUE',
    `counter "${metric}": increment must be a finite number >= 0, got ${describeNumberInput(amount)}`,
  );
}
