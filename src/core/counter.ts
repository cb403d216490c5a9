import { PromliteError } from '../errors.js';
import type { CollectFunction } from './collect.js';
import type { Labels } from './labels.js';
import { Metric, type MetricContext, type MetricDefinition } from './metric.js';
import type { CounterFamily } from './snapshot.js';
import { runSteps, type Steps } from './steps.js';

/** How to declare a counter. `name` must end in `_total`. */
export interface CounterOptions<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
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

export class CounterSeries implements CounterChild {
  readonly labelValues: readonly string[];
  value = 0;
  private readonly metric: string;

  constructor(metric: string, labelValues: readonly string[]) {
    this.metric = metric;
    this.labelValues = labelValues;
  }

  inc(amount = 1): void {
    assertIncrement(this.metric, amount);
    this.value += amount;
  }
}

/** A value that only goes up: requests served, jobs failed, bytes sent. */
export class Counter<L extends string = string> extends Metric<L, CounterSeries, CounterChild> {
  /** The collect function, when the counter was declared with one. */
  readonly collect: CollectFunction<L> | undefined;

  /** @internal Made by `Registry.counter`. */
  constructor(definition: MetricDefinition, context: MetricContext, collect: CollectFunction<L> | undefined) {
    super(definition, context);
    this.collect = collect;
  }

  /**
   * Adds to the counter: `inc()`, `inc(5)`, `inc({ method: 'GET' })`, `inc({ method: 'GET' }, 2)`.
   * @throws PromliteError `INVALID_VALUE` for a negative, NaN or infinite amount, `INVALID_LABELS`
   *   for a label set that does not match the declared names.
   */
  inc(labelsOrAmount?: Labels<L> | number, amount?: number): void {
    if (typeof labelsOrAmount === 'object' && labelsOrAmount !== null) this.labels(labelsOrAmount).inc(amount);
    else this.unlabeled().inc(labelsOrAmount);
  }

  /** @internal See `Metric.snapshot`. */
  override snapshot(): CounterFamily {
    return runSteps(this.snapshotSteps());
  }

  /** @internal See `Metric.snapshotSteps`. */
  *snapshotSteps(): Steps<CounterFamily> {
    const series =
      this.collect === undefined
        ? yield* this.copySeries((stored) => ({ labelValues: stored.labelValues, value: stored.value }))
        : this.collectSeries(this.collect, (value) => typeof value === 'number' && value >= 0 && value !== Infinity);
    return { type: 'counter', name: this.name, help: this.help, labelNames: this.definition.exposedLabelNames, series };
  }

  protected createSeries(labelValues: readonly string[]): CounterSeries {
    return new CounterSeries(this.name, labelValues);
  }

  protected createDroppedChild(onDrop: () => void): CounterChild {
    const metric = this.name;
    return {
      // A dropped update still gets its value checked, so a bug shows whether or not the cap is hit.
      inc(amount = 1) {
        assertIncrement(metric, amount);
        onDrop();
      },
    };
  }
}

function assertIncrement(metric: string, amount: number): void {
  if (typeof amount !== 'number' || !(amount >= 0) || amount === Infinity) {
    throw new PromliteError('INVALID_VALUE', `counter "${metric}": increment must be a finite number >= 0, got ${String(amount)}`);
  }
}
