import { madeByRegistry, ObservingHandle } from './family-handle.js';
import type { MetricContext, MetricDefinition, MetricOptions } from './metric.js';
import { SeriesFamily, type SeriesKind } from './series-family.js';
import { droppedObserver, isObservation, refuseObservation } from './observation.js';
import { childTimer, type StopTimer } from './timer.js';
import type { Exemplar, HistogramFamily } from './snapshot.js';
import { ColumnFamily, type SeriesExtras } from './series-columns.js';
import { type ExemplarLabels, makeExemplar } from './exemplar.js';
import type { Labels } from './labels.js';
import { NativeState, type NativeShape } from './native-state.js';
import type { NativeHistogramOptions } from './native-options.js';
import { CountSlots, EMPTY_PAGE, type SlotOwner } from './count-slots.js';

/** The Go and Python clients' defaults, in seconds: sized for request latencies. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** How to declare a histogram. `buckets` are finite, strictly increasing upper bounds. */
export interface HistogramOptions<L extends string = string> extends MetricOptions<L> {
  /**
   * Upper bounds; `+Inf` is added for you. Copied. Default {@link DEFAULT_BUCKETS}, or only
   * `+Inf` for a histogram with `native` buckets.
   */
  readonly buckets?: readonly number[];
  /**
   * Keeps native (exponential, sparse) buckets as well, served to Prometheus in the protobuf
   * format; the text formats still get the classic buckets. `{}` for client_golang's defaults.
   */
  readonly native?: NativeHistogramOptions;
}

/** A histogram bound to one label set. */
export interface HistogramChild {
  /**
   * Records one observation. With `exemplar` (e.g. `{ trace_id }`), it becomes the latest
   * exemplar of the classic bucket the value falls in (of `+Inf` for a native-only histogram),
   * with the value and the time; one over 128 characters is dropped and counted in
   * `promlite_exemplars_dropped_total` (the observation is kept).
   * @throws PromliteError `INVALID_VALUE` for NaN or a non-number (±Inf are valid observations);
   *   `INVALID_LABELS` for exemplar labels that are not strings under valid names.
   */
  observe(value: number, exemplar?: ExemplarLabels): void;
  /** Starts a timer whose stop function observes the elapsed seconds. */
  startTimer(): StopTimer;
}

/** What all series of one histogram share; one reference per series instead of two. */
interface HistogramShape {
  readonly metric: string;
  /** The finite upper bounds' count: the `+Inf` bucket's index. */
  readonly finiteBuckets: number;
  readonly native: NativeShape | undefined;
  readonly context: MetricContext;
  /** Where every series keeps its sum, then its per-bucket counts (after the bounds of each page). */
  readonly slots: CountSlots;
}

/** What a histogram series may hold beyond its classic buckets. */
interface HistogramExtras {
  /** The native buckets, for a histogram declared with `native`. */
  readonly native: NativeState | undefined;
  /** The latest exemplar per classic bucket, made at the first observation that carries one. */
  exemplars: (Exemplar | undefined)[] | undefined;
}

/** The live state of one histogram series: what `labels()` returns below the series limit. */
export class HistogramState implements HistogramChild, SlotOwner {
  readonly labelValues: readonly string[];
  /**
   * The page of the family's {@link CountSlots} that holds this series' slot. The page starts
   * with the upper bounds, then `+Inf`; from `base`, the slot holds the sum, then the
   * observations per bucket (not cumulative; the last is the `+Inf` bucket).
   */
  page: number[] = EMPTY_PAGE;
  base = 0;
  /** Native buckets and exemplars, in one field: absent (no memory) for a plain classic series. */
  extras: HistogramExtras | undefined;
  readonly shape: HistogramShape;

  constructor(shape: HistogramShape, labelValues: readonly string[]) {
    this.shape = shape;
    this.labelValues = labelValues;
    this.extras =
      shape.native === undefined ? undefined : { native: new NativeState(shape.native), exemplars: undefined };
    shape.slots.claim(this);
  }

  observe(value: number, exemplar?: ExemplarLabels): void {
    // The name is loaded only for the error: this is the hottest path there is.
    if (!isObservation(value)) refuseObservation('histogram', this.shape.metric, value);
    const page = this.page;
    // The page starts with the upper bounds and ends them with +Inf, which stops the search for
    // any value but NaN (refused above). le means "less than or equal": a value exactly on a
    // bound falls in that bucket.
    let i = 0;
    while (value > page[i]!) i++;
    const base = this.base;
    (page[base] as number) += value;
    (page[base + 1 + i] as number)++;
    const extras = this.extras;
    if (extras !== undefined && extras.native !== undefined) extras.native.observe(value);
    if (exemplar !== undefined) this.keep(i, value, exemplar);
  }

  private keep(bucket: number, value: number, labels: ExemplarLabels): void {
    const { metric, context } = this.shape;
    const made = makeExemplar('histogram', metric, labels, value, context.now());
    if (made === undefined) {
      context.onExemplarDrop?.(metric);
      return;
    }
    this.extras ??= { native: undefined, exemplars: undefined };
    this.extras.exemplars ??= new Array<Exemplar | undefined>(this.shape.finiteBuckets + 1).fill(undefined);
    this.extras.exemplars[bucket] = made;
  }

  startTimer(): StopTimer {
    return childTimer('histogram', this.shape.metric, (seconds) => this.observe(seconds));
  }
}

/** A distribution in fixed buckets: request durations, job durations, payload sizes. */
export class Histogram<L extends string = string> extends ObservingHandle<
  HistogramState,
  HistogramChild,
  HistogramFamily,
  L
> {
  /** Finite upper bounds, increasing (frozen copy of the declared buckets). */
  readonly upperBounds: readonly number[];
  /** The native buckets' shape (schema, limit, zero threshold), when declared with `native`. */
  readonly native: NativeShape | undefined;

  /** @internal Made by `Registry.histogram`, which validated the upper bounds. */
  constructor(definition: MetricDefinition, context: MetricContext) {
    const checked = madeByRegistry('histogram', definition, context);
    super(checked, new SeriesFamily(checked, context, histogramKind(checked, context)));
    this.upperBounds = definition.upperBounds;
    this.native = definition.native;
  }

  /**
   * Records one observation: `observe(0.2)`, `observe({ route: '/x' }, 0.2)`, and with an
   * exemplar `observe({ route: '/x' }, 0.2, { trace_id })` (see {@link HistogramChild.observe}).
   * @throws PromliteError `INVALID_VALUE` for NaN or a non-number, `INVALID_LABELS` for a wrong label set.
   */
  override observe(labelsOrValue: Labels<L> | number, value?: number, exemplar?: ExemplarLabels): void {
    if (typeof labelsOrValue === 'object' && labelsOrValue !== null)
      this.labelled(labelsOrValue).observe(value as number, exemplar);
    else this.unlabeled().observe(labelsOrValue, exemplar);
  }
}

/** The histogram kind: every series shares one shape, made here from the validated upper bounds. */
function histogramKind(
  definition: MetricDefinition,
  context: MetricContext,
): SeriesKind<HistogramState, HistogramChild, HistogramFamily> {
  const { name, help, exposedLabelNames, upperBounds, native } = definition;
  const slots = new CountSlots(upperBounds);
  const shape: HistogramShape = { metric: name, finiteBuckets: upperBounds.length, native, context, slots };
  return {
    create: (labelValues) => new HistogramState(shape, labelValues),
    removed: (live) => {
      if (slots.release()) slots.compact(live());
    },
    cleared: () => slots.clear(),
    dropped: (onDrop) => droppedObserver('histogram', name, onDrop),
    *snapshotSteps(family) {
      const columns = yield* family.copyColumns(2 + upperBounds.length, copyHistogram);
      const head = { type: 'histogram', name, help, labelNames: exposedLabelNames, upperBounds } as const;
      return ColumnFamily.of(head, columns) as HistogramFamily;
    },
  };
}

/**
 * Copies one series into a snapshot's columns: its sum, count and cumulative bucket counts
 * (finite buckets only), and its native buckets and exemplars as extras.
 */
function copyHistogram(series: HistogramState, values: Float64Array, at: number): SeriesExtras | undefined {
  const { page, base } = series;
  const { finiteBuckets } = series.shape;
  let running = 0;
  for (let i = 0; i < finiteBuckets; i++) {
    running += page[base + 1 + i] as number;
    values[at + 2 + i] = running;
  }
  values[at] = page[base] as number;
  values[at + 1] = running + (page[base + 1 + finiteBuckets] as number);
  const { extras } = series;
  if (extras === undefined) return undefined;
  const { native, exemplars } = extras;
  if (native === undefined && exemplars === undefined) return undefined;
  return {
    ...(native === undefined ? {} : { native: native.copy() }),
    ...(exemplars === undefined ? {} : { exemplars: [...exemplars] }),
  };
}
