import { PromliteError } from '../errors.js';
import type { CollectFunction } from './collect.js';
import type { Labels } from './labels.js';
import { Metric, type MetricContext, type MetricDefinition } from './metric.js';
import type { GaugeFamily, InfoFamily, StateSetFamily } from './snapshot.js';
import { runSteps, type Steps } from './steps.js';

/** A gauge's collect function; see {@link CollectFunction}. */
export type GaugeCollect<L extends string = string> = CollectFunction<L>;

/** How to declare a gauge. */
export interface GaugeOptions<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  /** Read at `snapshot()` instead of values set by hand; see {@link GaugeCollect}. */
  readonly collect?: GaugeCollect<L>;
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
}

export class GaugeSeries implements GaugeChild {
  readonly labelValues: readonly string[];
  value = 0;
  private readonly metric: string;

  constructor(metric: string, labelValues: readonly string[]) {
    this.metric = metric;
    this.labelValues = labelValues;
  }

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
}

/** A value that goes up and down: queue length, temperature, last success time. */
export class Gauge<L extends string = string> extends Metric<L, GaugeSeries, GaugeChild> {
  /** The collect function, when the gauge was declared with one. */
  readonly collect: GaugeCollect<L> | undefined;

  /** @internal Made by `Registry.gauge`. */
  constructor(definition: MetricDefinition, context: MetricContext, collect: GaugeCollect<L> | undefined) {
    super(definition, context);
    this.collect = collect;
  }

  /**
   * Sets the value: `set(3)` or `set({ queue: 'a' }, 3)`.
   * @throws PromliteError `INVALID_VALUE` for a non-number, `INVALID_LABELS` for a wrong label set.
   */
  set(labelsOrValue: Labels<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'object' && labelsOrValue !== null) this.labels(labelsOrValue).set(value as number);
    else this.unlabeled().set(labelsOrValue);
  }

  /** Adds `amount` (default 1): `inc()`, `inc(2)`, `inc({ queue: 'a' })`, `inc({ queue: 'a' }, 2)`. */
  inc(labelsOrAmount?: Labels<L> | number, amount?: number): void {
    if (typeof labelsOrAmount === 'object' && labelsOrAmount !== null) this.labels(labelsOrAmount).inc(amount);
    else this.unlabeled().inc(labelsOrAmount);
  }

  /** Subtracts `amount` (default 1), with the same forms as `inc`. */
  dec(labelsOrAmount?: Labels<L> | number, amount?: number): void {
    if (typeof labelsOrAmount === 'object' && labelsOrAmount !== null) this.labels(labelsOrAmount).dec(amount);
    else this.unlabeled().dec(labelsOrAmount);
  }

  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(labels?: Labels<L>): void {
    (labels === undefined ? this.unlabeled() : this.labels(labels)).setToCurrentTime();
  }

  /** @internal See `Metric.snapshot`. */
  override snapshot(): GaugeFamily | InfoFamily | StateSetFamily {
    return runSteps(this.snapshotSteps());
  }

  /** @internal See `Metric.snapshotSteps`. */
  *snapshotSteps(): Steps<GaugeFamily | InfoFamily | StateSetFamily> {
    // Info and state-set metrics are gauges underneath; the definition says which to expose.
    const type = this.definition.type as 'gauge' | 'info' | 'stateset';
    const series =
      this.collect === undefined
        ? yield* this.copySeries((stored) => ({ labelValues: stored.labelValues, value: stored.value }))
        : this.collectSeries(this.collect, (value) => typeof value === 'number');
    return { type, name: this.name, help: this.help, labelNames: this.definition.exposedLabelNames, series };
  }

  protected createSeries(labelValues: readonly string[]): GaugeSeries {
    return new GaugeSeries(this.name, labelValues);
  }

  protected createDroppedChild(onDrop: () => void): GaugeChild {
    const metric = this.name;
    const update = (value: unknown): void => {
      if (typeof value !== 'number') throwNotANumber(metric, value);
      onDrop();
    };
    return { set: update, inc: (amount = 1) => update(amount), dec: (amount = 1) => update(amount), setToCurrentTime: onDrop };
  }
}

function throwNotANumber(metric: string, value: unknown): never {
  throw new PromliteError('INVALID_VALUE', `gauge "${metric}": value must be a number, got ${String(value)}`);
}
