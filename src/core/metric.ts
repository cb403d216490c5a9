import type { MetricType } from './names.js';
import type { NativeShape } from './native-state.js';
import type { QuantileTarget } from './quantile-stream.js';

/** What a metric needs from the registry that owns it. Internal. */
export interface MetricContext {
  readonly defaultLabelValues: readonly string[];
  readonly maxSeries: number;
  readonly maxLabelValueLength: number;
  /** Records that `count` (default 1) updates or collected samples of `metric` were refused by a series limit. */
  readonly onDrop: (metric: string, count?: number) => void;
  /** The registry's wall clock, in milliseconds since the epoch; never throws. */
  readonly now: () => number;
  /** Records that an exemplar of `metric` was refused (its label set over 128 characters). */
  readonly onExemplarDrop?: (metric: string) => void;
}

/** The registered shape of a metric, as given to the registry (names already validated). */
export interface MetricDefinition {
  readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Declared label names followed by the registry's default label names. */
  readonly exposedLabelNames: readonly string[];
  /** Histogram bucket upper bounds (validated, frozen); empty for other types. */
  readonly upperBounds: readonly number[];
  /** Summary quantiles and their sliding window; undefined for other types. */
  readonly summary?: SummaryShape | undefined;
  /** A histogram's native buckets; undefined for classic-only histograms and other types. */
  readonly native?: NativeShape | undefined;
}

/** What every metric is declared with; each type's options add to it. */
export interface MetricOptions<L extends string = string> {
  /** Without the registry's prefix. */
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

/** What every series of one summary shares: its quantiles and the window they cover. */
export interface SummaryShape {
  /** The quantiles reported, ascending, each with the rank error allowed for it. */
  readonly targets: readonly QuantileTarget[];
  /** How far back the quantiles look, in milliseconds. */
  readonly maxAgeMs: number;
  /** How many overlapping windows rotate through `maxAgeMs`. */
  readonly ageBuckets: number;
}
