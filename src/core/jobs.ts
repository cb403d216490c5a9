import type { Counter } from './counter.js';
import type { Gauge } from './gauge.js';
import type { Histogram } from './histogram.js';
import type { Registry } from './registry.js';

/** Job-sized upper bounds in seconds, 0.1 s to 1 h. */
export const JOB_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
]);

/** Statuses (compared case-insensitively) that count as a success and move the last-success time. */
export const SUCCESS_STATUSES: ReadonlySet<string> = new Set(['success', 'succeeded', 'ok', 'completed', 'done']);

/**
 * Why `observeJob` refused an observation: the `reason` label of its dropped counter.
 * `name_taken`: the registry already holds a different family under one of the job metrics'
 * names (or a default label named `kind` or `status`), so they could not be declared.
 */
export type JobDropReason = 'invalid_duration' | 'invalid_label' | 'name_taken';

/** The metrics behind `observeJob` / `timeJob`. */
interface JobMetricSet {
  readonly duration: Histogram<'kind' | 'status'>;
  readonly lastSuccess: Gauge<'kind'>;
}

/** What the job metrics need of a registry: to declare them. */
type Declare = Pick<Registry, 'counter' | 'gauge' | 'histogram'>;

/**
 * The registry's `observeJob` / `timeJob`: declares the job metrics in `registry` on first use,
 * so that a registry that never records a job holds none of them. Internal.
 */
export class JobRecorder {
  private readonly registry: Declare;
  private readonly now: () => number;
  private metrics: JobMetricSet | 'name_taken' | undefined;
  private dropped: Counter<'reason'> | null = null;

  /** `now`: wall-clock milliseconds since the epoch; must never throw. */
  constructor(registry: Declare, now: () => number) {
    this.registry = registry;
    this.now = now;
  }

  /**
   * Records one finished job. Never throws: a metrics hook must not break the job it watches.
   * Negative durations count as 0; NaN and ±Infinity, and a kind or status that is not a
   * non-empty string, are dropped and counted by reason; so is every call when the job metrics
   * could not be declared (`name_taken`).
   */
  observe(kind: string, status: string, seconds: number): void {
    this.metrics ??= this.declare();
    const { metrics } = this;
    if (metrics === 'name_taken') {
      this.drop('name_taken');
      return;
    }
    const invalid = invalidObservation(kind, status, seconds);
    if (invalid !== undefined) {
      this.drop(invalid);
      return;
    }
    metrics.duration.observe({ kind, status }, seconds < 0 ? 0 : seconds);
    if (SUCCESS_STATUSES.has(status.toLowerCase())) metrics.lastSuccess.set({ kind }, this.now() / 1000);
  }

  /**
   * Runs `fn`, records its duration as `success` or `failure`, and returns its result or rethrows
   * its error unchanged.
   */
  async time<T>(kind: string, fn: () => T | PromiseLike<T>): Promise<T> {
    const start = performance.now();
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      this.observe(kind, 'failure', (performance.now() - start) / 1000);
      throw error;
    }
    this.observe(kind, 'success', (performance.now() - start) / 1000);
    return result;
  }

  private declare(): JobMetricSet | 'name_taken' {
    // The dropped counter first: it is what reports that the other two could not be declared.
    this.dropped = attempt(() =>
      this.registry.counter({
        name: 'promlite_job_observations_dropped_total',
        help: 'observeJob calls ignored because of an invalid kind, status or duration.',
        labelNames: ['reason'],
      }),
    );
    const duration = attempt(() =>
      this.registry.histogram({
        name: 'job_duration_seconds',
        help: 'Duration of finished background jobs in seconds, by kind and final status.',
        labelNames: ['kind', 'status'],
        buckets: JOB_DURATION_BUCKETS,
      }),
    );
    const lastSuccess = attempt(() =>
      this.registry.gauge({
        name: 'job_last_success_timestamp_seconds',
        help: 'Unix time of the last successful run of each job kind.',
        labelNames: ['kind'],
      }),
    );
    return duration === null || lastSuccess === null ? 'name_taken' : { duration, lastSuccess };
  }

  /** Lets go of `metric` once it left the registry: the next observation declares the job metrics again. */
  forget(metric: unknown): void {
    const { metrics } = this;
    if (typeof metrics === 'object' && (metric === metrics.duration || metric === metrics.lastSuccess)) {
      this.metrics = undefined;
    }
    if (metric === this.dropped) this.dropped = null;
  }

  private drop(reason: JobDropReason): void {
    // With its own name taken too, there is nowhere left to count: the call is simply ignored.
    this.dropped?.inc({ reason });
  }
}

/** Declares one job metric; `null` when the registry refuses it (its name is taken). */
function attempt<T>(declare: () => T): T | null {
  try {
    return declare();
  } catch {
    // Whatever the registry refused with, observeJob must not throw: the caller counts it.
    return null;
  }
}

/** Why an observation cannot be recorded, or `undefined` when it can. */
function invalidObservation(kind: unknown, status: unknown, seconds: unknown): JobDropReason | undefined {
  if (typeof kind !== 'string' || kind === '' || typeof status !== 'string' || status === '') return 'invalid_label';
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return 'invalid_duration';
  return undefined;
}
