import type { MetricType } from './names.js';

/** What a metric needs from the registry that owns it. Internal. */
export interface MetricContext {
  readonly defaultLabelValues: readonly string[];
  readonly maxSeries: number;
  readonly maxLabelValueLength: number;
  /** Records that `count` (default 1) updates or collected samples of `metric` were refused by a series limit. */
  readonly onDrop: (metric: string, count?: number) => void;
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
}

/** What every metric is declared with; each type's options add to it. */
export interface MetricOptions<L extends string = string> {
  /** Without the registry's prefix. */
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}
