import { PromliteError } from '../errors.js';
import { describeNumberInput } from '../options.js';
import type { CollectFunction } from './collect.js';
import { FamilyHandle, madeByRegistry } from './family-handle.js';
import type { Labels } from './labels.js';
import type { MetricContext, MetricDefinition, MetricOptions } from './metric.js';
import { ColumnFamily } from './series-columns.js';
import { SeriesFamily, type SeriesKind } from './series-family.js';
import { childTimer, type StopTimer } from './timer.js';
import { ScalarState } from './series-table.js';
import type { GaugeFamily, InfoFamily, StateSetFamily } from './snapshot.js';

/** How to declare a gauge. */
export interface GaugeOptions<L extends string = string> extends MetricOptions<L> {
  /** Read at `snapshot()` instead of values set by hand; see {@link CollectFunction}. */
  readonly collect?: CollectFunction<L>;
}

/** A gauge bound to one label set. Every method throws `INVALID_VALUE` for a non-number. */
export interface GaugeChild {
  /** Sets the value. */
  set(value: number): void;
  /** Adds `amount` (default 1). */
  inc(amount?: number): void;
  /** Subtracts `amount` (default 1). */
  dec(amount?: number): void;
  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(): void;
  /** Starts a timer whose stop function sets the value to the elapsed seconds. */
  startTimer(): StopTimer;
}

/** Info and state-set metrics are gauges underneath; the definition says which to expose. */
type GaugeLikeFamily = GaugeFamily | InfoFamily | StateSetFamily;

/** The live state of one gauge series: what `labels()` returns below the series limit. */
export class GaugeState extends ScalarState implements GaugeChild {
  set(value: number): void {
    if (typeof value !== 'number') throwNotANumber(this.metric, value);
    this.value = value;
  }

  inc(amount = 1): void {
    if (typeof amount !== 'number') throwNotANumber(this.metric, amount);
    this.value += amount;
  }

  dec(amount = 1): void {
    if (typeof amount !== 'number') throwNotANumber(this.metric, amount);
    this.value -= amount;
  }

  setToCurrentTime(): void {
    this.value = Date.now() / 1000;
  }

  startTimer(): StopTimer {
    return childTimer('gauge', this.metric, (seconds) => this.set(seconds));
  }
}

/** A value that goes up and down: queue length, temperature, last success time. */
export class Gauge<L extends string = string> extends FamilyHandle<GaugeState, GaugeChild, GaugeLikeFamily, L> {
  /** @internal Made by `Registry.gauge`. */
  constructor(definition: MetricDefinition, context: MetricContext, collect: CollectFunction<L> | undefined) {
    const checked = madeByRegistry('gauge', definition, context);
    super(checked, new SeriesFamily(checked, context, gaugeKind(checked, collect)), collect);
  }

  /**
   * Sets the value: `set(3)` or `set({ queue: 'a' }, 3)`.
   * @throws PromliteError `INVALID_VALUE` for a non-number, `INVALID_LABELS` for a wrong label set.
   */
  set(labelsOrValue: Labels<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'object' && labelsOrValue !== null) this.labelled(labelsOrValue).set(value as number);
    else this.unlabeled().set(labelsOrValue);
  }

  /** Adds `amount` (default 1): `inc()`, `inc(2)`, `inc({ queue: 'a' })`, `inc({ queue: 'a' }, 2)`. */
  inc(labelsOrAmount?: Labels<L> | number, amount?: number): void {
    if (typeof labelsOrAmount === 'object' && labelsOrAmount !== null) this.labelled(labelsOrAmount).inc(amount);
    else this.unlabeled().inc(labelsOrAmount);
  }

  /** Subtracts `amount` (default 1), with the same forms as `inc`. */
  dec(labelsOrAmount?: Labels<L> | number, amount?: number): void {
    if (typeof labelsOrAmount === 'object' && labelsOrAmount !== null) this.labelled(labelsOrAmount).dec(amount);
    else this.unlabeled().dec(labelsOrAmount);
  }

  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(labels?: Labels<L>): void {
    this.family.child(labels).setToCurrentTime();
  }

  /**
   * Starts a timer whose stop function sets the value to the elapsed seconds and returns them;
   * labels as `Histogram.startTimer` takes them (here, when it stops, or both).
   */
  startTimer(labels?: Partial<Labels<L>>): StopTimer<L> {
    return this.family.startTimer(labels, (child, seconds) => child.set(seconds));
  }
}

/** The gauge kind: its series, its dropped child, and its snapshot (stored or collected values). */
function gaugeKind(
  definition: MetricDefinition,
  collect: CollectFunction | undefined,
): SeriesKind<GaugeState, GaugeChild, GaugeLikeFamily> {
  const { name, help, exposedLabelNames } = definition;
  const type = definition.type as GaugeLikeFamily['type'];
  return {
    create: (labelValues) => new GaugeState(name, labelValues),
    dropped: (onDrop) => {
      const update = (value: unknown): void => {
        if (typeof value !== 'number') throwNotANumber(name, value);
        onDrop();
      };
      return {
        set: update,
        inc: (amount = 1) => update(amount),
        dec: (amount = 1) => update(amount),
        setToCurrentTime: onDrop,
        startTimer: () => childTimer('gauge', name, update),
      };
    },
    *snapshotSteps(family, reads) {
      const head = { type, name, help, labelNames: exposedLabelNames };
      if (collect === undefined)
        return ColumnFamily.of(head, yield* family.copyColumns(1, copyGauge)) as GaugeLikeFamily;
      return { ...head, series: family.collectSeries(collect, (value) => typeof value === 'number', reads) };
    },
  };
}

function copyGauge(stored: GaugeState, values: Float64Array, at: number): undefined {
  values[at] = stored.value;
}

function throwNotANumber(metric: string, value: unknown): never {
  throw new PromliteError(
    'INVALID_VALUE',
    `gauge "${metric}": value must be a number, got ${describeNumberInput(value)}`,
  );
}
