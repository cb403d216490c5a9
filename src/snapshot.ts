/**
 * The plain data that `Registry.snapshot()` returns and `render()` reads: no methods, no
 * references back into live metrics, families ordered by name and series by label values.
 */
export interface RegistrySnapshot {
  readonly families: readonly FamilySnapshot[];
}

export type FamilySnapshot = CounterFamily | GaugeFamily | HistogramFamily;

interface FamilyBase {
  /** Full metric name, prefix included (for counters, with `_total`). */
  readonly name: string;
  readonly help: string;
  /** Label names of every series, in order: declared labels, then the registry's default labels. */
  readonly labelNames: readonly string[];
}

export interface CounterFamily extends FamilyBase {
  readonly type: 'counter';
  readonly series: readonly ScalarSeries[];
}

export interface GaugeFamily extends FamilyBase {
  readonly type: 'gauge';
  readonly series: readonly ScalarSeries[];
}

export interface HistogramFamily extends FamilyBase {
  readonly type: 'histogram';
  /** Finite bucket upper bounds, increasing; the `+Inf` bucket is implied. */
  readonly upperBounds: readonly number[];
  readonly series: readonly HistogramSeries[];
}

/** One counter or gauge series. `labelValues` line up with the family's `labelNames`. */
export interface ScalarSeries {
  readonly labelValues: readonly string[];
  readonly value: number;
}

/** One histogram series. */
export interface HistogramSeries {
  readonly labelValues: readonly string[];
  /** Observations ≤ each upper bound, cumulative, one per `upperBounds` entry. */
  readonly cumulativeCounts: readonly number[];
  /** Sum of all observations. */
  readonly sum: number;
  /** Number of observations: the `+Inf` bucket. */
  readonly count: number;
}

/** Freezes a family, its series list and each series. Returns it. Internal. */
export function freezeFamily<F extends FamilySnapshot>(family: F): F {
  for (const series of family.series) Object.freeze(series);
  Object.freeze(family.series);
  return Object.freeze(family);
}
