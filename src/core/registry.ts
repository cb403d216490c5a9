import { callUserCallback } from '../callbacks.js';
import { FamilyCatalog } from './catalog.js';
import { readCollectors, type Collector, type CollectorOptions, type RegisteredCollector } from './collector.js';
import { Counter, type CounterOptions } from './counter.js';
import { checkMetricOptions, defineMetric, infoLabels, type BuildInfo, type InfoOptions } from './definition.js';
import { Gauge, type GaugeOptions } from './gauge.js';
import { DEFAULT_BUCKETS, Histogram, type HistogramOptions } from './histogram.js';
import { JobRecorder } from './jobs.js';
import type { MetricContext } from './metric.js';
import { checkStates, StateGauge, type StateGaugeOptions } from './state-gauge.js';
import { checkArgument, checkOptions, isFunction, isString } from '../options.js';
import type { RegistrySnapshot } from './snapshot.js';
import { resolveRegistryOptions, type RegistryOptions, type RegistrySettings } from './registry-options.js';
import { declareSelfMetrics, type SelfMetrics } from './self-metrics.js';
import { runSteps, type Steps } from './steps.js';
import { gatherSteps, type AnyMetric } from './gather.js';

export type { BuildInfo, InfoOptions } from './definition.js';
export type { RegistryOptions } from './registry-options.js';

/**
 * Holds metrics, takes snapshots of them. Each registry is independent: there is no global one.
 * @example
 * const registry = new Registry({ prefix: 'myapp_' });
 * const jobs = registry.counter({ name: 'jobs_total', help: 'Jobs run.', labelNames: ['kind'] });
 * jobs.inc({ kind: 'email' });
 * const text = render(registry.snapshot());
 */
export class Registry {
  /** Prepended to every metric name of this registry. */
  readonly prefix: string;
  private readonly settings: RegistrySettings;
  private readonly context: MetricContext;
  private readonly metrics = new FamilyCatalog<AnyMetric>();
  private readonly stateGauges = new Map<string, StateGauge<string, string>>();
  private readonly self: SelfMetrics;
  private readonly collectors: RegisteredCollector[] = [];
  private readonly jobs: JobRecorder;

  /** @throws PromliteError `INVALID_OPTIONS` or `INVALID_NAME` / `INVALID_LABELS` for bad or unknown options. */
  constructor(options: RegistryOptions = {}) {
    this.settings = resolveRegistryOptions(options);
    this.prefix = this.settings.scope.prefix;
    const { defaultLabelValues, maxSeries, maxLabelValueLength } = this.settings;
    this.context = {
      defaultLabelValues,
      maxSeries,
      maxLabelValueLength,
      onDrop: (metric, count) => this.self.seriesDropped.inc({ metric }, count),
    };
    this.self = declareSelfMetrics(this.metrics as FamilyCatalog<Counter<'metric'>>, this.settings.scope, this.context);
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
    const buckets = options.buckets ?? DEFAULT_BUCKETS;
    const definition = defineMetric('histogram', options, this.settings.scope, buckets);
    return this.metrics.add(definition, () => new Histogram<L>(definition, this.context)) as Histogram<L>;
  }

  /**
   * Exposes build information as `<prefix>build_info{version,commit,node_version,…} 1` (an
   * OpenMetrics `info`; a gauge in text 0.0.4). `node_version` defaults to `process.version`;
   * other string fields become labels too. Calling it again replaces the values.
   * @throws PromliteError `INVALID_LABELS` for a field that is not a string or not a valid label name.
   * @example
   * registry.buildInfo({ version: '1.4.2', commit: 'a1b2c3d' });
   */
  buildInfo(info: BuildInfo): void {
    const labels = infoLabels(`info "${this.prefix}build_info"`, {
      ...info,
      node_version: info.node_version ?? process.version,
    });
    this.info({ name: 'build_info', help: 'Build information; the value is always 1.', labels });
  }

  /**
   * Exposes facts as one series with value 1: `<prefix><name>{labels…} 1`, where `name` ends in
   * `_info` (an OpenMetrics `info`; a gauge in text 0.0.4). Calling it again replaces the labels'
   * values; the label names must stay the same.
   * @throws PromliteError `INVALID_NAME`, `INVALID_LABELS` or `DUPLICATE_METRIC`.
   */
  info(options: InfoOptions): void {
    checkMetricOptions('info', this.prefix, options);
    const definition = defineMetric(
      'info',
      { ...options, labelNames: Object.keys(options.labels) },
      this.settings.scope,
    );
    const gauge = this.metrics.add(definition, () => new Gauge(definition, this.context, undefined)) as Gauge<string>;
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
    // The name is checked with the rest of the definition below; the states are checked first.
    const name = typeof options.name === 'string' ? this.prefix + options.name : String(options.name);
    const existing = this.stateGauges.get(name);
    checkStates(name, options.states, existing);
    // The state is a label named like the metric, after the declared ones.
    const labelNames = [...(options.labelNames ?? []), name];
    const definition = defineMetric('stateset', { ...options, labelNames }, this.settings.scope);
    const gauge = this.metrics.add(definition, () => new Gauge(definition, this.context, undefined)) as Gauge<string>;
    if (existing !== undefined) return existing as StateGauge<S, L>;
    const stateGauge = new StateGauge<S, L>(gauge, [...options.states]);
    this.stateGauges.set(definition.name, stateGauge as StateGauge<string, string>);
    return stateGauge;
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
   * The registry's wall clock in milliseconds since the epoch: the `now` option, or `Date.now`.
   * Never throws: a `now` that throws or returns anything but a finite number reads `Date.now()`.
   */
  now(): number {
    return this.settings.now();
  }

  /** The metric registered under a full name (prefix included), if any. */
  get(name: string): AnyMetric | undefined {
    return this.metrics.get(name);
  }

  /**
   * Adds a {@link Collector}: a function read once per snapshot that returns several families. One
   * that throws, returns anything malformed, or emits a name a declared metric (or an earlier
   * collector) uses adds nothing to that snapshot; it is counted in
   * `<prefix>promlite_collect_errors_total{metric="<options.name>"}` and passed to `onCollectError`.
   * @throws PromliteError `INVALID_OPTIONS` when `collector` is not a function or options are bad.
   */
  collect(collector: Collector, options: CollectorOptions = {}): void {
    checkArgument('registry.collect', collector, isFunction);
    checkOptions('registry.collect', options, { name: isString });
    this.collectors.push({ read: collector, label: options.name ?? 'collector' });
  }

  /**
   * Freezes the current state as plain data: families ordered by name, series by label values.
   * Runs collect functions and collectors; one that fails leaves its families out and is counted in
   * `<prefix>promlite_collect_errors_total{metric}`. Never throws, whatever the collect
   * functions and `onCollectError` do.
   */
  snapshot(): RegistrySnapshot {
    return runSteps(this.snapshotSteps());
  }

  /**
   * @internal {@link snapshot} in steps, pausing every few thousand series, so that a server can
   * let the event loop run between them (see `gatherSteps`).
   */
  *snapshotSteps(): Steps<RegistrySnapshot> {
    const reportFailure = (error: unknown, metric: string) => this.countCollectError(error, metric);
    const readFromCollectors = () =>
      readCollectors(this.collectors, this.settings.scope, this.context, this.metrics, reportFailure);
    return yield* gatherSteps(this.metrics.sorted(), readFromCollectors, reportFailure);
  }

  /** The collect-error policy: count the failure, then tell the user's hook. */
  private countCollectError(error: unknown, metric: string): void {
    this.self.collectErrors.inc({ metric });
    // The hook is the user's: whatever it throws or rejects with stays here.
    if (this.settings.onCollectError !== undefined) callUserCallback(this.settings.onCollectError, error, metric);
  }
}
