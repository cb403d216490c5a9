import { PromliteError } from '../errors.js';
import { madeByRegistry, ObservingHandle } from './family-handle.js';
import type { MetricContext, MetricDefinition, MetricOptions, SummaryShape } from './metric.js';
import { defaultRankError, QuantileStream } from './quantile-stream.js';
import { summaryWindow } from './definition.js';
import { SeriesFamily, type SeriesKind } from './series-family.js';
import type { SummaryFamily, SummarySeries } from './snapshot.js';
import { droppedObserver, isObservation, refuseObservation } from './observation.js';
import { childTimer, type StopTimer } from './timer.js';
import { describeNumberInput } from '../options.js';

/** prom-client's default quantiles. */
export const DEFAULT_PERCENTILES: readonly number[] = Object.freeze([0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]);

/**
 * How to declare a summary. Quantiles cover a sliding window of `maxAgeSeconds` (default 600,
 * as prom-client and the Go client), rotated through `ageBuckets` (default 5) overlapping windows.
 */
export interface SummaryOptions<L extends string = string> extends MetricOptions<L> {
  /** Quantiles to report, each in (0, 1). Default {@link DEFAULT_PERCENTILES}. */
  readonly percentiles?: readonly number[];
  readonly maxAgeSeconds?: number;
  readonly ageBuckets?: number;
}

/** A summary bound to one label set. */
export interface SummaryChild {
  /** Records one observation. @throws PromliteError `INVALID_VALUE` for NaN or a non-number. */
  observe(value: number): void;
  /** Starts a timer whose stop function observes the elapsed seconds. */
  startTimer(): StopTimer;
}

/** Observations held back, then sorted and merged into the windows in one go. */
const BATCH = 512;

/** What every series of one summary shares, made once from its definition. */
interface SeriesShape extends SummaryShape {
  readonly metric: string;
  readonly now: () => number;
}

/**
 * The live state of one summary series: `_sum` and `_count` since the start, and `ageBuckets`
 * quantile streams, each reset in turn; the oldest (the head) answers, covering between
 * `maxAge − maxAge/ageBuckets` and `maxAge` of history.
 */
export class SummaryState implements SummaryChild {
  readonly labelValues: readonly string[];
  sum = 0;
  count = 0;
  private readonly shape: SeriesShape;
  /** Observations not yet in the windows; allocated on the first one. */
  private pending: Float64Array | undefined;
  private pendingCount = 0;
  private readonly streams: QuantileStream[];
  private head = 0;
  private headExpiresAt: number;

  constructor(shape: SeriesShape, labelValues: readonly string[]) {
    this.shape = shape;
    this.labelValues = labelValues;
    this.streams = Array.from({ length: shape.ageBuckets }, () => new QuantileStream(shape.targets));
    this.headExpiresAt = shape.now() + shape.maxAgeMs;
  }

  observe(value: number): void {
    if (!isObservation(value)) refuseObservation('summary', this.shape.metric, value);
    this.sum += value;
    this.count++;
    // ±Inf count and sum, but a quantile of them would say nothing: they stay out of the windows.
    if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) return;
    this.pending ??= new Float64Array(BATCH);
    this.pending[this.pendingCount++] = value;
    if (this.pendingCount === BATCH) this.flush();
  }

  startTimer(): StopTimer {
    return childTimer('summary', this.shape.metric, (seconds) => this.observe(seconds));
  }

  /** The quantiles of the window, in the order of the targets: NaN where it holds no observation. */
  quantiles(): number[] {
    this.flush();
    const head = this.streams[this.head] as QuantileStream;
    return this.shape.targets.map(({ quantile }) => head.query(quantile));
  }

  /** Values kept across all windows: what the series' memory grows with. */
  get keptValues(): number {
    return this.streams.reduce((total, stream) => total + stream.size, this.pendingCount);
  }

  /** Rotates the windows up to now, then adds what was held back to each of them. */
  private flush(): void {
    this.rotate(this.shape.now());
    this.mergePending();
  }

  /** Sorts what was held back and adds it to every window. */
  private mergePending(): void {
    if (this.pendingCount === 0 || this.pending === undefined) return;
    const sorted = this.pending.subarray(0, this.pendingCount).sort();
    for (const stream of this.streams) stream.insertSorted(sorted);
    this.pendingCount = 0;
  }

  private rotate(now: number): void {
    if (now < this.headExpiresAt) return;
    const { ageBuckets, maxAgeMs } = this.shape;
    const step = maxAgeMs / ageBuckets;
    const rotations = Math.floor((now - this.headExpiresAt) / step) + 1;
    // Observations held back since the last flush belong to the windows they were made in.
    if (rotations < ageBuckets) this.mergePending();
    this.pendingCount = 0;
    for (let i = 0; i < Math.min(rotations, ageBuckets); i++) {
      (this.streams[this.head] as QuantileStream).reset();
      this.head = (this.head + 1) % ageBuckets;
    }
    if (rotations >= ageBuckets) this.head = (this.head + rotations - ageBuckets) % ageBuckets;
    this.headExpiresAt += rotations * step;
  }
}

/**
 * Quantiles over a sliding time window, plus `_sum` and `_count`: latencies where the
 * percentiles themselves are wanted and buckets are not (a summary cannot be aggregated across
 * instances; a histogram can). See docs/summary.md for the algorithm and its error bound.
 */
export class Summary<L extends string = string> extends ObservingHandle<SummaryState, SummaryChild, SummaryFamily, L> {
  /** The quantiles reported, ascending. */
  readonly percentiles: readonly number[];
  /** @internal The window, described: what a second declaration must match. */
  readonly window: string;

  /** @internal Made by `Registry.summary`, which validated the quantiles and the window. */
  constructor(definition: MetricDefinition, context: MetricContext) {
    const checked = madeByRegistry('summary', definition, context);
    super(checked, new SeriesFamily(checked, context, summaryKind(checked, context)));
    this.percentiles = Object.freeze(checked.summary?.targets.map((target) => target.quantile) ?? []);
    this.window = summaryWindow(checked.summary);
  }
}

function summaryKind(
  definition: MetricDefinition,
  context: MetricContext,
): SeriesKind<SummaryState, SummaryChild, SummaryFamily> {
  const { name, help, exposedLabelNames } = definition;
  const summary = definition.summary as SummaryShape;
  const shape: SeriesShape = { ...summary, metric: name, now: context.now };
  const quantiles = summary.targets.map((target) => target.quantile);
  return {
    create: (labelValues) => new SummaryState(shape, labelValues),
    dropped: (onDrop) => droppedObserver('summary', name, onDrop),
    *snapshotSteps(family) {
      const series = yield* family.copySeries(
        (state): SummarySeries => ({
          labelValues: state.labelValues,
          quantileValues: state.quantiles(),
          sum: state.sum,
          count: state.count,
        }),
      );
      return { type: 'summary', name, help, labelNames: exposedLabelNames, quantiles, series };
    },
  };
}

/**
 * The window of a summary from its options: quantiles sorted, each with its rank error.
 * @throws PromliteError `INVALID_OPTIONS` for a quantile outside (0, 1) or listed twice.
 */
export function summaryShape(name: string, options: SummaryOptions<string>): SummaryShape {
  const percentiles = [...(options.percentiles ?? DEFAULT_PERCENTILES)].sort((a, b) => a - b);
  if (percentiles.length === 0)
    throw new PromliteError('INVALID_OPTIONS', `summary "${name}": percentiles must not be empty`);
  percentiles.forEach((quantile, i) => {
    if (!(quantile > 0 && quantile < 1)) {
      throw new PromliteError(
        'INVALID_OPTIONS',
        `summary "${name}": percentile ${describeNumberInput(quantile)} must be between 0 and 1, both excluded`,
      );
    }
    if (quantile === percentiles[i - 1]) {
      throw new PromliteError('INVALID_OPTIONS', `summary "${name}": percentile ${quantile} is listed twice`);
    }
  });
  return Object.freeze({
    targets: Object.freeze(
      percentiles.map((quantile) => Object.freeze({ quantile, error: defaultRankError(quantile) })),
    ),
    maxAgeMs: (options.maxAgeSeconds ?? 600) * 1000,
    ageBuckets: options.ageBuckets ?? 5,
  });
}
