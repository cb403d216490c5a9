import { PromliteError } from '../errors.js';
import { describeNumberInput } from '../options.js';
import type { CollectFunction } from './collect.js';
import { FamilyHandle, madeByRegistry } from './family-handle.js';
import type { Labels } from './labels.js';
import type { MetricContext, MetricDefinition, MetricOptions } from './metric.js';
import { SeriesFamily, type SeriesKind } from './series-family.js';
import { ScalarState } from './series-table.js';
import type { CounterFamily } from './snapshot.js';

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
   * Adds `amount` (default 1).
   * @throws PromliteError `INVALID_VALUE` when `amount` is negative, NaN, infinite or not a number.
   */
  inc(amount?: number): void;
}

/** The live state of one counter series: what `labels()` returns below the series limit. */
export class CounterState extends ScalarState implements CounterChild {
  inc(amount = 1): void {
    assertIncrement(this.metric, amount);
    this.value += amount;
  }
}

/** A value that only goes up: requests served, jobs failed, bytes sent. */
export class Counter<L extends string = string> extends FamilyHandle<CounterState, CounterChild, CounterFamily, L> {
  /** @internal Made by `Registry.counter`. */
  constructor(definition: MetricDefinition, context: MetricContext, collect: CollectFunction<L> | undefined) {
    const checked = madeByRegistry('counter', definition, context);
    super(checked, new SeriesFamily(checked, context, counterKind(checked, collect)), collect);
  }

  /**
   * Adds to the counter: `inc()`, `inc(5)`, `inc({ method: 'GET' })`, `inc({ method: 'GET' }, 2)`.
   * @throws PromliteError `INVALID_VALUE` for a negative, NaN or infinite amount, `INVALID_LABELS`
   *   for a label set that does not match the declared names.
   */
  inc(labelsOrAmount?: Labels<L> | number, amount?: number): void {
    if (typeof labelsOrAmount === 'object' && labelsOrAmount !== null) this.family.labels(labelsOrAmount).inc(amount);
    else this.unlabeled().inc(labelsOrAmount);
  }
}

/** The counter kind: its series, its dropped child, and its snapshot (stored or collected values). */
function counterKind(
  definition: MetricDefinition,
  collect: CollectFunction | undefined,
): SeriesKind<CounterState, CounterChild, CounterFamily> {
  const { name, help, exposedLabelNames } = definition;
  return {
    create: (labelValues) => new CounterState(name, labelValues),
    dropped: (onDrop) => ({
      // A dropped update still gets its value checked, so a bug shows whether or not the cap is hit.
      inc(amount = 1) {
        assertIncrement(name, amount);
        onDrop();
      },
    }),
    *snapshotSteps(family, reads) {
      const isValid = (value: unknown) => typeof value === 'number' && value >= 0 && value !== Infinity;
      const series =
        collect === undefined
          ? yield* family.copySeries((stored) => ({ labelValues: stored.labelValues, value: stored.value }))
          : family.collectSeries(collect, isValid, reads);
      return { type: 'counter', name, help, labelNames: exposedLabelNames, series };
    },
  };
}

function assertIncrement(metric: string, amount: number): void {
  if (typeof amount !== 'number' || !(amount >= 0) || amount === Infinity) {
    throw new PromliteError(
      'INVALID_VALUE',
      `counter "${metric}": increment must be a finite number >= 0, got ${describeNumberInput(amount)}`,
    );
  }
}
