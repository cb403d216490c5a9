import { PromliteError } from '../errors.js';
import type { CollectFunction } from './collect.js';
import type { Labels } from './labels.js';
import type { MetricContext, MetricDefinition } from './metric.js';
import type { MetricType } from './names.js';
import { SeriesFamily, type SeriesKind } from './series-family.js';
import type { CounterFamily } from './snapshot.js';
import type { Steps } from './steps.js';

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

/** The live state of one counter series: what `labels()` returns below the series limit. */
export class CounterState implements CounterChild {
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
export class Counter<L extends string = string> {
  /** Full name, prefix included. */
  readonly name: string;
  readonly help: string;
  /** Declared label names (without the registry's default labels). */
  readonly labelNames: readonly L[];
  /** How the metric is exposed. */
  readonly type: MetricType;
  /** The collect function, when the counter was declared with one. */
  readonly collect: CollectFunction<L> | undefined;
  private readonly family: SeriesFamily<CounterState, CounterChild, CounterFamily>;
  // The family's one unlabelled series, held here too: one dependent load fewer on the hottest
  // path (`inc()` measured 1.4 → 2.0 ns/op when read through the family). Refreshed by `reset`.
  private single: CounterState | undefined;

  /** @internal Made by `Registry.counter`. */
  constructor(definition: MetricDefinition, context: MetricContext, collect: CollectFunction<L> | undefined) {
    this.name = definition.name;
    this.help = definition.help;
    this.labelNames = definition.labelNames as readonly L[];
    this.type = definition.type;
    this.collect = collect;
    this.family = new SeriesFamily(definition, context, counterKind(definition, collect));
    this.single = this.family.single;
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

  /**
   * Returns the child for one label set: the fastest way to update it repeatedly. Over the
   * series limit, the child records nothing but checks each update's value and counts it as
   * dropped. After `remove` or `reset` a child is detached (as in the Go client): take a new one.
   * @throws PromliteError `INVALID_LABELS` when the label set does not match the declared names.
   */
  labels(labels: Labels<L>): CounterChild {
    return this.family.labels(labels);
  }

  /** Deletes the series of one label set; returns whether it existed. @throws as {@link labels} does. */
  remove(labels: Labels<L>): boolean {
    return this.family.remove(labels);
  }

  /** Deletes every series; an unlabelled counter starts again from zero. */
  reset(): void {
    this.family.reset();
    this.single = this.family.single;
  }

  /** The one series of an unlabelled counter. @throws PromliteError `INVALID_LABELS` when labels were declared. */
  private unlabeled(): CounterState {
    return this.single !== undefined ? this.single : this.family.unlabeled();
  }

  /** @internal The current state as plain data; see `SeriesFamily.snapshot`. */
  snapshot(): CounterFamily {
    return this.family.snapshot();
  }

  /** @internal {@link snapshot} in steps. */
  snapshotSteps(): Steps<CounterFamily> {
    return this.family.snapshotSteps();
  }
}

/** The counter kind: its series, its dropped child, and its snapshot (stored or collected values). */
function counterKind(definition: MetricDefinition, collect: CollectFunction | undefined): SeriesKind<CounterState, CounterChild, CounterFamily> {
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
    *snapshotSteps(family) {
      const series =
        collect === undefined
          ? yield* family.copySeries((stored) => ({ labelValues: stored.labelValues, value: stored.value }))
          : family.collectSeries(collect, (value) => typeof value === 'number' && value >= 0 && value !== Infinity);
      return { type: 'counter', name, help, labelNames: exposedLabelNames, series };
    },
  };
}

function assertIncrement(metric: string, amount: number): void {
  if (typeof amount !== 'number' || !(amount >= 0) || amount === Infinity) {
    throw new PromliteError('INVALID_VALUE', `counter "${metric}": increment must be a finite number >= 0, got ${String(amount)}`);
  }
}
