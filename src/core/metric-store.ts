import { callUserCallback } from '../callbacks.js';
import { FamilyCatalog } from './catalog.js';
import { readCollectors, type Collector, type CollectorOptions, type RegisteredCollector } from './collector.js';
import type { Counter } from './counter.js';
import { gatherSteps, type AnyMetric } from './gather.js';
import type { MetricContext } from './metric.js';
import { checkArgument, checkOptions, integerIn, isFunction, isString } from '../options.js';
import { readAhead, type CollectReads } from './read-ahead.js';
import {
  assertPrefix,
  resolveRegistryOptions,
  type RegistryOptions,
  type RegistrySettings,
} from './registry-options.js';
import { declareSelfMetrics, type SelfMetrics } from './self-metrics.js';
import type { RegistrySnapshot } from './snapshot.js';
import { runSteps, type Steps } from './steps.js';

/** Options of `Registry.snapshotAsync`. */
export interface SnapshotAsyncOptions {
  /** How long to wait for each collect function or collector that returns a promise. Default 5,000 ms. */
  readonly timeoutMs?: number;
}

/**
 * What a `Registry` stores, collects and snapshots: its families by name, its collectors, its own
 * `promlite_*` counters and the collect-error policy. `Registry` adds the declaring methods.
 */
export class MetricStore {
  /** Prepended to every metric name of this registry. */
  readonly prefix: string;
  protected readonly settings: RegistrySettings;
  protected readonly context: MetricContext;
  protected readonly metrics = new FamilyCatalog<AnyMetric>();
  protected readonly self: SelfMetrics;
  private readonly collectors: RegisteredCollector[] = [];

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
      now: this.settings.now,
      onExemplarDrop: (metric) => this.self.exemplarsDropped.inc({ metric }),
    };
    this.self = declareSelfMetrics(this.metrics as FamilyCatalog<Counter<'metric'>>, this.settings.scope, this.context);
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
   * Starts every metric again, as prom-client's `resetMetrics` does: counters, gauges and
   * histograms lose their series (an unlabelled one restarts at 0). Info families and state sets
   * keep their facts, and the registry's own `promlite_*` counters their counts.
   */
  resetMetrics(): void {
    for (const metric of this.metrics.sorted()) {
      const isOwn = Object.values(this.self).includes(metric);
      if (!isOwn && metric.type !== 'info' && metric.type !== 'stateset') metric.reset();
    }
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
    checkOptions('registry.collect', options, { name: isString, prefix: isString });
    if (options.prefix !== undefined) assertPrefix(options.prefix, 'registry.collect');
    this.collectors.push({ read: collector, label: options.name ?? 'collector', prefix: options.prefix });
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
   * The snapshot of one family, by full name (prefix included), as prom-client's
   * `getSingleMetricAsString` renders one metric: `render(registry.snapshotOf('jobs_total'))`.
   * Runs only that metric's collect function; a name no declared metric has is looked for in
   * what the collectors return. A name found nowhere gives a snapshot with no family. Never throws.
   */
  snapshotOf(name: string): RegistrySnapshot {
    const metric = this.metrics.get(name);
    if (metric !== undefined) {
      const reportFailure = (error: unknown, failed: string) => this.countCollectError(error, failed);
      return runSteps(gatherSteps([metric], () => [], reportFailure, undefined));
    }
    const families = this.snapshot().families.filter((family) => family.name === name);
    return Object.freeze({ families: Object.freeze(families) });
  }

  /**
   * {@link snapshot} for collect functions and collectors that return a promise (an async store,
   * a remote call): calls every one of them, waits up to `timeoutMs` (default 5,000) for those
   * that return a promise, then takes the snapshot with what they gave. One that rejects or does
   * not settle in time is left out of that snapshot and counted like any failing collect (with a
   * `COLLECT_TIMEOUT` error for `onCollectError`). Never rejects.
   * @throws PromliteError `INVALID_OPTIONS` for a bad or unknown option.
   */
  async snapshotAsync(options: SnapshotAsyncOptions = {}): Promise<RegistrySnapshot> {
    checkOptions('registry.snapshotAsync', options, { timeoutMs: integerIn(1, 3_600_000) });
    return runSteps(this.snapshotSteps(await this.readAhead(options.timeoutMs ?? 5000)));
  }

  /** @internal Calls every collect function and collector now, awaiting promises (see `readAhead`). */
  readAhead(timeoutMs: number): Promise<CollectReads> {
    const reads: (() => unknown)[] = this.collectors.map((collector) => collector.read);
    for (const metric of this.metrics.sorted()) {
      if (metric.collect !== undefined) reads.push(metric.collect);
    }
    return readAhead(reads, timeoutMs);
  }

  /**
   * @internal {@link snapshot} in steps, pausing every few thousand series, so that a server can
   * let the event loop run between them (see `gatherSteps`), with what was read ahead, if anything.
   */
  *snapshotSteps(reads?: CollectReads): Steps<RegistrySnapshot> {
    const reportFailure = (error: unknown, metric: string) => this.countCollectError(error, metric);
    const { collectors, settings, context, metrics } = this;
    const fromCollectors = () => readCollectors(collectors, settings.scope, context, metrics, reportFailure, reads);
    return yield* gatherSteps(this.metrics.sorted(), fromCollectors, reportFailure, reads);
  }

  /** The collect-error policy: count the failure, then tell the user's hook. */
  private countCollectError(error: unknown, metric: string): void {
    this.self.collectErrors.inc({ metric });
    // The hook is the user's: whatever it throws or rejects with stays here.
    if (this.settings.onCollectError !== undefined) callUserCallback(this.settings.onCollectError, error, metric);
  }
}
