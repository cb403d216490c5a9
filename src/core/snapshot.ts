/**
 * The plain data that `Registry.snapshot()` returns and `render()` reads: no methods, no
 * references back into live metrics, families ordered by name and series by label values.
 */
export interface RegistrySnapshot {
  readonly families: readonly FamilySnapshot[];
}

export type FamilySnapshot =
  | CounterFamily
  | GaugeFamily
  | HistogramFamily
  | InfoFamily
  | StateSetFamily
  | SummaryFamily;

interface FamilyBase {
  /** Full metric name, prefix included (for counters, with `_total`). */
  readonly name: string;
  readonly help: string;
  /** Label names of every series, in order: declared labels, then the registry's default labels. */
  readonly labelNames: readonly string[];
}

/** A family whose series each have one value. */
interface ScalarFamily<T extends string> extends FamilyBase {
  readonly type: T;
  readonly series: readonly ScalarSeries[];
}

/** Counts that only go up; `name` as declared (usually ending in `_total`). */
export type CounterFamily = ScalarFamily<'counter'>;

/** Values that go up and down. */
export type GaugeFamily = ScalarFamily<'gauge'>;

/** Facts about the target, such as build information: every series has the value 1. `name` ends in `_info`. */
export type InfoFamily = ScalarFamily<'info'>;

/**
 * A set of states: one series per state, 1 for the current one and 0 for the others. The state
 * is in the label named like the family.
 */
export type StateSetFamily = ScalarFamily<'stateset'>;

/** A family of distributions: `T` names its kind, `P` the parameters all its series share. */
type DistributionFamily<T extends string, P, S> = FamilyBase & { readonly type: T; readonly series: readonly S[] } & P;

export type HistogramFamily = DistributionFamily<
  'histogram',
  {
    /** Finite bucket upper bounds, increasing; the `+Inf` bucket is implied. */
    readonly upperBounds: readonly number[];
  },
  HistogramSeries
>;

/** Quantiles over a sliding window, with `_sum` and `_count` since the start. */
export type SummaryFamily = DistributionFamily<
  'summary',
  {
    /** The quantiles every series reports, ascending. */
    readonly quantiles: readonly number[];
  },
  SummarySeries
>;

/** One counter or gauge series. `labelValues` line up with the family's `labelNames`. */
export interface ScalarSeries {
  readonly labelValues: readonly string[];
  readonly value: number;
  /** A counter series' latest exemplar, when an increment carried one. */
  readonly exemplar?: Exemplar;
}

/** The label set of one update (a trace id), with the update's value and time. */
export interface Exemplar {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Milliseconds since the epoch, from the registry's clock. */
  readonly timestampMs: number;
}

/** What a histogram and a summary series both hold. */
interface DistributionSeries {
  readonly labelValues: readonly string[];
  /** Sum of all observations. */
  readonly sum: number;
  /** Number of observations (for a histogram, its `+Inf` bucket). */
  readonly count: number;
}

/** One histogram series. */
export interface HistogramSeries extends DistributionSeries {
  /** Observations ≤ each upper bound, cumulative, one per `upperBounds` entry. */
  readonly cumulativeCounts: readonly number[];
  /** The native buckets, for a histogram declared with `native`; absent otherwise. */
  readonly native?: NativeHistogramData;
  /**
   * The latest exemplar of each classic bucket (one per `upperBounds` entry, then `+Inf`), when
   * an observation carried one; absent when none did.
   */
  readonly exemplars?: readonly (Exemplar | undefined)[];
}

/**
 * A native histogram's buckets, as Prometheus defines them: at `schema`, bucket i covers
 * (base^(i−1), base^i] with base = 2^(2^−schema), mirrored on the negative side; observations
 * with a magnitude up to `zeroThreshold` are counted in `zeroCount`. `_count` and `_sum` are the
 * series' own.
 */
export interface NativeHistogramData {
  /** −4 (coarsest, base 65536) to 8 (finest, base ≈ 1.0027). */
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  /** Buckets of positive observations. */
  readonly positive: NativeBucketList;
  /** Buckets of negative observations, by the index of their magnitude. */
  readonly negative: NativeBucketList;
}

/** Populated buckets only: indexes strictly ascending, each with its count (not cumulative, > 0). */
export interface NativeBucketList {
  readonly indexes: readonly number[];
  readonly counts: readonly number[];
}

/** One summary series. */
export interface SummarySeries extends DistributionSeries {
  /** One value per family quantile, in that order; NaN when the window holds no observation. */
  readonly quantileValues: readonly number[];
}
