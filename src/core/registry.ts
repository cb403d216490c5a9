import { Counter, type CounterOptions } from './counter.js';
import { buildInfoOptions, checkMetricOptions, defineMetric, type BuildInfo, type InfoOptions } from './definition.js';
import { PromliteError } from '../errors.js';
import { Gauge, type GaugeOptions } from './gauge.js';
import { DEFAULT_BUCKETS, Histogram, type HistogramOptions } from './histogram.js';
import { nativeShape } from './native-options.js';
import { JobRecorder } from './jobs.js';
import type { MetricOptions } from './metric.js';
import { MetricStore } from './metric-store.js';
import { Summary, summaryShape, type SummaryOptions } from './summary.js';
import type { RegistryOptions } from './registry-options.js';
import { type StateGauge, type StateGaugeOptions, StateSets } from './state-gauge.js';

export type { BuildInfo, InfoOptions } from './definition.js';
export type { SnapshotAsyncOptions } from './metric-store.js';
export type { RegistryOptions } from './registry-options.js';

/**
 * Holds metrics, takes snapshots of them. Each registry is independent: there is no global one.
 * @example
 * const registry = new Registry({ prefix: 'myapp_' });
 * const jobs = registry.counter({ name: 'jobs_total', help: 'Jobs run.', labelNames: ['kind'] });
 * jobs.inc({ kind: 'email' });
 * const text = render(registry.snapshot());
 */
export class Registry extends MetricStore {
  private readonly stateSets = new StateSets();
  private readonly jobs: JobRecorder;

  /** @throws PromliteError `INVALID_OPTIONS` or `INVALID_NAME` / `INVALID_LABELS` for bad or unknown options. */
  constructor(options: RegistryOptions = {}) {
    super(options);
    this.jobs = new JobRecorder(this, this.settings.now);
  }

  /**
   * Declares a counter, or returns the one already declared with the same definition.
   * @throws PromliteError `INVALID_NAME`, `INVALID_LABELS`, or `DUPLICATE_METRIC` when the name is
   *   taken by a different definition.
   */
  counter<const L extends string = never>(options: CounterOptions<L>): Counter<L> {
    checkMetricOptions('counter', this.prefix, options);
    const definition = defineMetric('counter', options, this.settings.scope);
    return this.metrics.add(definition, () => new Counter<L>(definition, this.context, options.collect)) as Counter<L>;
  }

  /** Declares a gauge, or returns the existing one; throws as {@link Registry.counter} does. */
  gauge<const L extends string = never>(options: GaugeOptions<L>): Gauge<L> {
    checkMetricOptions('gauge', this.prefix, options);
    const definition = defineMetric('gauge', options, this.settings.scope);
    return this.metrics.add(definition, () => new Gauge<L>(definition, this.context, options.collect)) as Gauge<L>;
  }

  /**
   * Declares a histogram, or returns the existing one; throws as {@link Registry.counter} does, and
   * `INVALID_BUCKETS` unless the buckets are finite and strictly increasing.
   */
  histogram<const L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    checkMetricOptions('histogram', this.prefix, options);
    const native = options.native === undefined ? undefined : nativeShape(this.prefix + options.name, options.native);
    // Without classic buckets a native histogram keeps only `+Inf` (its `_count`) for text scrapers.
    const buckets = options.buckets ?? (native === undefined ? DEFAULT_BUCKETS : []);
    const definition = defineMetric('histogram', options, this.settings.scope, buckets, undefined, native);
    return this.metrics.add(definition, () => new Histogram<L>(definition, this.context)) as Histogram<L>;
  }

  /**
   * Declares a summary: quantiles over a sliding window (`maxAgeSeconds`, default 600, rotated
   * through `ageBuckets`, default 5), with `_sum` and `_count`; or returns the existing one.
   * Throws as {@link Registry.counter} does, and `INVALID_OPTIONS` for bad percentiles or window.
   */
  summary<const L extends string = never>(options: SummaryOptions<L>): Summary<L> {
    checkMetricOptions('summary', this.prefix, options);
    const definition = defineMetric(
      'summary',
      options,
      this.settings.scope,
      [],
      summaryShape(this.prefix + options.name, options),
    );
    return this.metrics.add(definition, () => new Summary<L>(definition, this.context)) as Summary<L>;
  }

  /**
   * Exposes build information as `<prefix>build_info{version,commit,node_version,…} 1` (an
   * OpenMetrics `info`; a gauge in text 0.0.4). `node_version` defaults to `process.version` (`node_version: undefined` leaves it out);
   * other string fields become labels too. Calling it again replaces the values.
   * @throws PromliteError `INVALID_LABELS` for a field that is not a string or not a valid label name.
   * @example
   * registry.buildInfo({ version: '1.4.2', commit: 'a1b2c3d' });
   */
  buildInfo(info: BuildInfo): void {
    this.info(buildInfoOptions(this.prefix, info));
  }

  /**
   * Exposes facts as one series with value 1: `<prefix><name>{labels…} 1`, where `name` ends in
   * `_info` (an OpenMetrics `info`; a gauge in text 0.0.4). Calling it again replaces the labels'
   * values; the label names must stay the same.
   * @throws PromliteError `INVALID_NAME`, `INVALID_LABELS` or `DUPLICATE_METRIC`.
   */
  info(options: InfoOptions): void {
    checkMetricOptions('info', this.prefix, options);
    const gauge = this.declareGauge('info', { ...options, labelNames: Object.keys(options.labels) });
    gauge.reset();
    gauge.set(options.labels, 1);
  }

  /**
   * Declares a state set (see {@link StateGauge}), or returns the one already declared with the
   * same definition and states.
   * @throws PromliteError as {@link Registry.counter} does, and `INVALID_OPTIONS` for bad states.
   */
  stateGauge<const S extends string, const L extends string = never>(
    options: StateGaugeOptions<S, L>,
  ): StateGauge<S, L> {
    checkMetricOptions('stateset', this.prefix, options);
    const declare = (labelNames: readonly string[]) => this.declareGauge('stateset', { ...options, labelNames });
    return this.stateSets.declare(this.prefix, options, declare);
  }

  /**
   * Records one finished background job in `<prefix>job_duration_seconds{kind,status}` and, for a
   * success status (`success`, `succeeded`, `ok`, `completed`, `done`, any case), sets
   * `<prefix>job_last_success_timestamp_seconds{kind}`. The first call (or `timeJob`) declares
   * these and `<prefix>promlite_job_observations_dropped_total{reason}`. Never throws: negative
   * durations count as 0; NaN/±Infinity and empty or non-string labels are dropped and counted by
   * reason, and so is every call (`name_taken`) when another family already holds those names.
   */
  observeJob(kind: string, status: string, seconds: number): void {
    this.jobs.observe(kind, status, seconds);
  }

  /**
   * Runs `fn`, records its duration with status `success` or `failure`, and returns its result
   * (or rethrows its error unchanged).
   */
  timeJob<T>(kind: string, fn: () => T | PromiseLike<T>): Promise<T> {
    return this.jobs.time(kind, fn);
  }

  /**
   * Forgets the metric of a full name (prefix included), as prom-client's `removeSingleMetric`
   * does: it leaves every later snapshot and its name may be declared again, even differently.
   * Handles to it still accept updates, which reach nothing. Returns whether it existed.
   * @throws PromliteError `INVALID_OPTIONS` for the registry's own `promlite_series_dropped_total`
   *   and `promlite_collect_errors_total`, which it cannot work without.
   */
  removeMetric(name: string): boolean {
    if (Object.values(this.self).some((own) => own.name === name)) {
      throw new PromliteError('INVALID_OPTIONS', `registry.removeMetric: "${name}" is the registry's own`);
    }
    const removed = this.metrics.remove(name);
    this.jobs.forget(removed);
    this.stateSets.forget(name);
    return removed !== undefined;
  }

  /** The gauge underneath an info family or a state set. */
  private declareGauge(type: 'info' | 'stateset', shape: MetricOptions): Gauge<string> {
    const definition = defineMetric(type, shape, this.settings.scope);
    return this.metrics.add(definition, () => new Gauge(definition, this.context, undefined)) as Gauge<string>;
  }
}
