import { callUserCallback } from '../callbacks.js';
import { Counter, type CounterOptions } from './counter.js';
import { PromliteError } from '../errors.js';
import { Gauge, type GaugeOptions } from './gauge.js';
import { DEFAULT_BUCKETS, Histogram, type HistogramOptions } from './histogram.js';
import { JOB_DURATION_BUCKETS, observeJob, timeJob, type JobMetricSet } from './jobs.js';
import type { MetricContext, MetricDefinition } from './metric.js';
import { assertLabelNames, assertMetricName, validateBuckets, type MetricType } from './names.js';
import { StateGauge, validateStates, type StateGaugeOptions } from './state-gauge.js';
import { checkOptions, integerIn, isFunction, isNumberArray, isObject, isString, isStringArray, type OptionCheck } from '../options.js';
import type { FamilySnapshot, RegistrySnapshot } from './snapshot.js';
import { runSteps, type Steps } from './steps.js';
import { toWellFormed } from './unicode.js';

/** Fields of `Registry.buildInfo`: each becomes a label of `<prefix>build_info`. */
export interface BuildInfo {
  readonly version: string;
  readonly commit?: string | undefined;
  /** Default `process.version`. */
  readonly node_version?: string | undefined;
  readonly [label: string]: string | undefined;
}

/** Options of a {@link Registry}; `{}` gives sensible defaults. */
export interface RegistryOptions {
  /** Prepended to every metric name of this registry, e.g. `"myapp_"`. Default `""`. */
  readonly prefix?: string;
  /** Labels added to every series of every family, e.g. `{ service: "billing" }`. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /**
   * Most series one metric may hold (default 10,000). An update that would create one more is
   * dropped and counted in `<prefix>promlite_series_dropped_total{metric}`.
   */
  readonly maxSeriesPerMetric?: number;
  /** Longest label value, in UTF-16 units, that may create a series (default 1,024); longer ones are dropped and counted likewise. */
  readonly maxLabelValueLength?: number;
  /** Called when a collect function fails, after the failure was counted. */
  readonly onCollectError?: (error: unknown, metric: string) => void;
  /** Wall clock in milliseconds since the epoch, for `observeJob`'s last-success time. Default `Date.now`. */
  readonly now?: () => number;
}

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

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
  private readonly defaultLabelNames: readonly string[];
  private readonly context: MetricContext;
  private readonly onCollectError: ((error: unknown, metric: string) => void) | undefined;
  private readonly metrics = new Map<string, AnyMetric>();
  private readonly stateGauges = new Map<string, StateGauge<string, string>>();
  /** Every name a family's samples use (or its OpenMetrics family name), to the family that owns it. */
  private readonly claimedNames = new Map<string, string>();
  private sortedMetrics: readonly AnyMetric[] | undefined;
  private readonly seriesDropped: Counter<'metric'>;
  private readonly collectErrors: Counter<'metric'>;
  private readonly jobs: JobMetricSet;

  /** @throws PromliteError `INVALID_OPTIONS` or `INVALID_NAME` / `INVALID_LABELS` for bad or unknown options. */
  constructor(options: RegistryOptions = {}) {
    checkOptions('registry', options, {
      prefix: isString,
      defaultLabels: isObject,
      maxSeriesPerMetric: integerIn(1, Number.MAX_SAFE_INTEGER),
      maxLabelValueLength: integerIn(1, Number.MAX_SAFE_INTEGER),
      onCollectError: isFunction,
      now: isFunction,
    });
    const { prefix = '', defaultLabels = {}, maxSeriesPerMetric = 10_000, maxLabelValueLength = 1024 } = options;
    if (typeof prefix !== 'string' || (prefix !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix))) {
      throw new PromliteError('INVALID_OPTIONS', `registry: prefix ${JSON.stringify(prefix)} must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
    }
    this.defaultLabelNames = Object.freeze(Object.keys(defaultLabels));
    assertLabelNames('registry default labels', 'counter', this.defaultLabelNames);
    const defaultLabelValues = this.defaultLabelNames.map((name) => {
      const value: unknown = defaultLabels[name];
      if (typeof value !== 'string') {
        throw new PromliteError('INVALID_LABELS', `registry: default label "${name}" must be a string, got ${typeof value}`);
      }
      return toWellFormed(value);
    });
    this.prefix = prefix;
    this.onCollectError = options.onCollectError;
    this.context = {
      defaultLabelValues: Object.freeze(defaultLabelValues),
      maxSeries: maxSeriesPerMetric,
      maxLabelValueLength,
      onDrop: (metric, count) => this.recordDrop(metric, count),
    };
    // One series per metric at most, so these two are exempt from the series limit: a registry
    // with more metrics than the limit must still report on all of them.
    const perMetricContext = { ...this.context, maxSeries: Number.MAX_SAFE_INTEGER };
    const perMetricCounter = (name: string, help: string) => {
      const definition = this.define('counter', { name, help, labelNames: ['metric'] }, []);
      return this.register(definition, () => new Counter<'metric'>(definition, perMetricContext, undefined)) as Counter<'metric'>;
    };
    this.seriesDropped = perMetricCounter(
      'promlite_series_dropped_total',
      'Updates refused because they would have created a series over the series or label-length limit.',
    );
    this.collectErrors = perMetricCounter(
      'promlite_collect_errors_total',
      'Snapshots in which a collect function failed; the family was left out of that snapshot.',
    );
    this.jobs = {
      duration: this.histogram({
        name: 'job_duration_seconds',
        help: 'Duration of finished background jobs in seconds, by kind and final status.',
        labelNames: ['kind', 'status'],
        buckets: JOB_DURATION_BUCKETS,
      }),
      lastSuccess: this.gauge({
        name: 'job_last_success_timestamp_seconds',
        help: 'Unix time of the last successful run of each job kind.',
        labelNames: ['kind'],
      }),
      dropped: this.counter({
        name: 'promlite_job_observations_dropped_total',
        help: 'observeJob calls ignored because of an invalid kind, status or duration.',
        labelNames: ['reason'],
      }),
      now: options.now === undefined ? Date.now : safeClock(options.now),
    };
  }

  /**
   * Declares a counter, or returns the one already declared with the same definition.
   * @throws PromliteError `INVALID_NAME`, `INVALID_LABELS`, or `DUPLICATE_METRIC` when the name is
   *   taken by a different definition.
   */
  counter<const L extends string = never>(options: CounterOptions<L>): Counter<L> {
    this.checkMetricOptions('counter', options, SCALAR_OPTION_CHECKS);
    const definition = this.define('counter', options, []);
    assertCollect(definition, options.collect);
    return this.register(definition, () => new Counter<L>(definition, this.context, options.collect)) as Counter<L>;
  }

  /** Declares a gauge, or returns the existing one; throws as {@link Registry.counter} does. */
  gauge<const L extends string = never>(options: GaugeOptions<L>): Gauge<L> {
    this.checkMetricOptions('gauge', options, SCALAR_OPTION_CHECKS);
    const definition = this.define('gauge', options, []);
    assertCollect(definition, options.collect);
    return this.register(definition, () => new Gauge<L>(definition, this.context, options.collect)) as Gauge<L>;
  }

  /**
   * Declares a histogram, or returns the existing one; throws as {@link Registry.counter} does, and
   * `INVALID_BUCKETS` unless the buckets are finite and strictly increasing.
   */
  histogram<const L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    this.checkMetricOptions('histogram', options, HISTOGRAM_OPTION_CHECKS);
    const buckets = options.buckets ?? DEFAULT_BUCKETS;
    const definition = this.define('histogram', options, buckets);
    return this.register(definition, () => new Histogram<L>(definition, this.context)) as Histogram<L>;
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
    const labels: Record<string, string> = {};
    for (const [label, value] of Object.entries({ ...info, node_version: info.node_version ?? process.version })) {
      if (value === undefined) continue;
      if (typeof value !== 'string') {
        throw new PromliteError('INVALID_LABELS', `info "${this.prefix}build_info": field "${label}" must be a string, got ${typeof value}`);
      }
      labels[label] = value;
    }
    this.info({ name: 'build_info', help: 'Build information; the value is always 1.', labels });
  }

  /**
   * Exposes facts as one series with value 1: `<prefix><name>{labels…} 1`, where `name` ends in
   * `_info` (an OpenMetrics `info`; a gauge in text 0.0.4). Calling it again replaces the labels'
   * values; the label names must stay the same.
   * @throws PromliteError `INVALID_NAME`, `INVALID_LABELS` or `DUPLICATE_METRIC`.
   */
  info(options: { readonly name: string; readonly help: string; readonly labels: Readonly<Record<string, string>> }): void {
    this.checkMetricOptions('info', options, INFO_OPTION_CHECKS);
    const definition = this.define('info', { ...options, labelNames: Object.keys(options.labels) }, []);
    const gauge = this.register(definition, () => new Gauge(definition, this.context, undefined)) as Gauge<string>;
    gauge.reset();
    gauge.set(options.labels, 1);
  }

  /**
   * Declares a state set (see {@link StateGauge}), or returns the one already declared with the
   * same definition and states.
   * @throws PromliteError as {@link Registry.counter} does, and `INVALID_OPTIONS` for bad states.
   */
  stateGauge<const S extends string, const L extends string = never>(options: StateGaugeOptions<S, L>): StateGauge<S, L> {
    this.checkMetricOptions('stateset', options, STATESET_OPTION_CHECKS);
    const name = typeof options?.name === 'string' ? this.prefix + options.name : options?.name;
    const problem = validateStates(options?.states);
    if (problem !== undefined) throw new PromliteError('INVALID_OPTIONS', `stateset ${JSON.stringify(name)}: ${problem}`);
    const existing = this.stateGauges.get(name);
    if (existing !== undefined && existing.states.join('\u0000') !== options.states.join('\u0000')) {
      throw new PromliteError('DUPLICATE_METRIC', `stateset "${name}": already registered with states [${existing.states.join(', ')}]`);
    }
    // The state is a label named like the metric, after the declared ones.
    const labelNames = [...(options.labelNames ?? []), name];
    const definition = this.define('stateset', { ...options, labelNames }, []);
    const gauge = this.register(definition, () => new Gauge(definition, this.context, undefined)) as Gauge<string>;
    if (existing !== undefined) return existing as StateGauge<S, L>;
    const stateGauge = new StateGauge<S, L>(gauge, [...options.states]);
    this.stateGauges.set(definition.name, stateGauge as StateGauge<string, string>);
    return stateGauge;
  }

  /**
   * Records one finished background job in `<prefix>job_duration_seconds{kind,status}` and, for a
   * success status (`success`, `succeeded`, `ok`, `completed`, `done`, any case), sets
   * `<prefix>job_last_success_timestamp_seconds{kind}`. Never throws: negative durations count as
   * 0; NaN/±Infinity and empty or non-string labels are dropped and counted in
   * `<prefix>promlite_job_observations_dropped_total{reason}`.
   */
  observeJob(kind: string, status: string, seconds: number): void {
    observeJob(this.jobs, kind, status, seconds);
  }

  /**
   * Runs `fn`, records its duration with status `success` or `failure`, and returns its result
   * (or rethrows its error unchanged).
   */
  timeJob<T>(kind: string, fn: () => T | PromiseLike<T>): Promise<T> {
    return timeJob(this.jobs, kind, fn);
  }

  /**
   * The registry's wall clock in milliseconds since the epoch: the `now` option, or `Date.now`.
   * Never throws: a `now` that throws or returns anything but a finite number reads `Date.now()`.
   */
  now(): number {
    return this.jobs.now();
  }

  /** The metric registered under a full name (prefix included), if any. */
  get(name: string): AnyMetric | undefined {
    return this.metrics.get(name);
  }

  /**
   * Freezes the current state as plain data: families ordered by name, series by label values.
   * Runs collect functions; one that throws leaves its family out and is counted in
   * `<prefix>promlite_collect_errors_total{metric}`. Never throws, whatever the collect
   * functions and `onCollectError` do.
   */
  snapshot(): RegistrySnapshot {
    return runSteps(this.snapshotSteps());
  }

  /**
   * @internal {@link snapshot} in steps, pausing every few thousand series, so that a server can
   * let the event loop run between them. Collect functions all run in the first step. Each
   * series is copied whole; the snapshot as a whole spans the steps (as the Go client's
   * gathering does), so a value may move between two families' copies.
   */
  *snapshotSteps(): Steps<RegistrySnapshot> {
    const metrics = (this.sortedMetrics ??= [...this.metrics.values()].sort((a, b) => (a.name < b.name ? -1 : 1)));
    // Collect functions run first, so that their failures show in this very snapshot.
    const collected = new Map<AnyMetric, FamilySnapshot | undefined>();
    for (const metric of metrics) {
      if (!(metric instanceof Histogram) && metric.collect !== undefined) collected.set(metric, this.runCollect(metric));
    }
    const families: FamilySnapshot[] = [];
    for (const metric of metrics) {
      const family = collected.has(metric) ? collected.get(metric) : yield* metric.snapshotSteps();
      // Family objects are frozen; their series lists are fresh copies, typed read-only but not
      // frozen: V8 (Node 20) reads elements of frozen arrays several times slower, and render
      // reads every one.
      if (family !== undefined) families.push(Object.freeze(family));
    }
    return Object.freeze({ families: Object.freeze(families) });
  }

  private runCollect(metric: Counter<string> | Gauge<string>): FamilySnapshot | undefined {
    try {
      return metric.snapshot();
    } catch (error) {
      this.collectErrors.inc({ metric: metric.name });
      // The hook is the user's: whatever it throws or rejects with stays here.
      if (this.onCollectError !== undefined) callUserCallback(this.onCollectError, error, metric.name);
      return undefined;
    }
  }

  private recordDrop(metric: string, count = 1): void {
    this.seriesDropped.inc({ metric }, count);
  }

  /** Refuses unknown keys and wrongly typed values in a metric's options, naming the metric. */
  private checkMetricOptions(type: MetricType, options: unknown, checks: Readonly<Record<string, OptionCheck>>): void {
    if (typeof options !== 'object' || options === null) {
      throw new PromliteError('INVALID_OPTIONS', `${type}: options must be an object with name and help`);
    }
    const name: unknown = (options as { name?: unknown }).name;
    checkOptions(typeof name === 'string' ? `${type} "${this.prefix}${name}"` : type, options, checks);
  }

  private define(
    type: MetricType,
    options: { readonly name: string; readonly help: string; readonly labelNames?: readonly string[] },
    buckets: readonly number[],
  ): MetricDefinition {
    if (typeof options !== 'object' || options === null) {
      throw new PromliteError('INVALID_OPTIONS', `${type}: options must be an object with name and help`);
    }
    const name = typeof options.name === 'string' ? this.prefix + options.name : options.name;
    assertMetricName(name, type);
    if (typeof options.help !== 'string' || options.help === '') {
      throw new PromliteError('INVALID_OPTIONS', `${type} "${name}": help must be a non-empty string`);
    }
    const labelNames = options.labelNames ?? [];
    if (!Array.isArray(labelNames)) {
      throw new PromliteError('INVALID_LABELS', `${type} "${name}": labelNames must be an array of strings`);
    }
    for (const label of labelNames) {
      if (this.defaultLabelNames.includes(label)) {
        throw new PromliteError('INVALID_LABELS', `${type} "${name}": label "${label}" is already a default label of the registry`);
      }
    }
    // Checks the declared names, and the default ones against this type (`le` on a histogram).
    const exposedLabelNames = [...labelNames, ...this.defaultLabelNames];
    assertLabelNames(name, type, exposedLabelNames);
    if (type === 'histogram') {
      const problem = Array.isArray(buckets) ? validateBuckets(buckets) : 'buckets must be an array of numbers';
      if (problem !== undefined) throw new PromliteError('INVALID_BUCKETS', `histogram "${name}": ${problem}`);
    }
    return Object.freeze({
      type,
      name,
      help: toWellFormed(options.help),
      labelNames: Object.freeze([...labelNames]),
      exposedLabelNames: Object.freeze(exposedLabelNames),
      upperBounds: Object.freeze([...buckets]),
    });
  }

  private register(definition: MetricDefinition, create: () => AnyMetric): AnyMetric {
    const { type, name } = definition;
    const existing = this.metrics.get(name);
    if (existing !== undefined) {
      const difference = describeDifference(existing, definition);
      if (difference === undefined) return existing;
      throw new PromliteError('DUPLICATE_METRIC', `${type} "${name}": already registered with ${difference}`);
    }
    const claims = claimedNames(definition);
    for (const claim of claims) {
      const owner = this.claimedNames.get(claim);
      if (owner !== undefined) {
        throw new PromliteError('DUPLICATE_METRIC', `${type} "${name}": its samples would clash with "${owner}" on the name "${claim}"`);
      }
    }
    const metric = create();
    this.metrics.set(name, metric);
    for (const claim of claims) this.claimedNames.set(claim, name);
    this.sortedMetrics = undefined;
    return metric;
  }
}

/** Names a family occupies: its sample names and, for OpenMetrics, its family name. */
function claimedNames({ type, name }: MetricDefinition): string[] {
  switch (type) {
    case 'counter':
      return [name, name.slice(0, -'_total'.length)];
    case 'gauge':
    case 'stateset':
      return [name];
    case 'info':
      return [name, name.slice(0, -'_info'.length)];
    case 'histogram':
      return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
    default:
      return type satisfies never;
  }
}

function describeDifference(existing: AnyMetric, definition: MetricDefinition): string | undefined {
  const type = existing.type;
  if (type !== definition.type) return `type ${type}`;
  if (existing.help !== definition.help) return `a different help text (${JSON.stringify(existing.help)})`;
  // Validated label names hold no comma, so joining them compares them exactly.
  if (existing.labelNames.join(',') !== definition.labelNames.join(',')) {
    return `label names [${existing.labelNames.join(', ')}]`;
  }
  if (existing instanceof Histogram && existing.upperBounds.join(',') !== definition.upperBounds.join(',')) {
    return `buckets [${existing.upperBounds.join(', ')}]`;
  }
  return undefined;
}

const SCALAR_OPTION_CHECKS = { name: isString, help: isString, labelNames: isStringArray, collect: isFunction };
const HISTOGRAM_OPTION_CHECKS = { name: isString, help: isString, labelNames: isStringArray, buckets: isNumberArray };
const INFO_OPTION_CHECKS = { name: isString, help: isString, labels: isObject };
const STATESET_OPTION_CHECKS = { name: isString, help: isString, labelNames: isStringArray, states: isStringArray };

/**
 * The user's clock, made safe for a hook that must never throw: a clock that throws or returns
 * anything but a finite number is replaced, for that reading, by `Date.now()`.
 */
function safeClock(now: () => number): () => number {
  return () => {
    const outcome = callUserCallback(now);
    return outcome.ok && typeof outcome.value === 'number' && Number.isFinite(outcome.value) ? outcome.value : Date.now();
  };
}

function assertCollect(definition: MetricDefinition, collect: unknown): void {
  if (collect !== undefined && typeof collect !== 'function') {
    throw new PromliteError('INVALID_OPTIONS', `${definition.type} "${definition.name}": collect must be a function`);
  }
}
