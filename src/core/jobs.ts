import type { Counter } from './counter.js';
import type { Gauge } from './gauge.js';
import type { Histogram } from './histogram.js';

/** Job-sized upper bounds in seconds, 0.1 s to 1 h. */
export const JOB_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
]);

/** Statuses (compared case-insensitively) that count as a success and move the last-success time. */
export const SUCCESS_STATUSES: ReadonlySet<string> = new Set(['success', 'succeeded', 'ok', 'completed', 'done']);

/** Why `observeJob` refused an observation: the `reason` label of its dropped counter. */
export type JobDropReason = 'invalid_duration' | 'invalid_label';

/** The metrics behind `observeJob` / `timeJob`, made by the registry. Internal. */
export interface JobMetricSet {
  readonly duration: Histogram<'kind' | 'status'>;
  readonly lastSuccess: Gauge<'kind'>;
  readonly dropped: Counter<'reason'>;
  /** Wall-clock milliseconds since the epoch. */
  readonly now: () => number;
}

/**
 * Records one finished job. Never throws: a metrics hook must not break the job it watches.
 * Negative durations count as 0; NaN and ±Infinity, and a kind or status that is not a
 * non-empty string, are dropped and counted by reason.
 */
export function observeJob(metrics: JobMetricSet, kind: string, status: string, seconds: number): void {
  if (typeof kind !== 'string' || kind === '' || typeof status !== 'string' || status === '') {
    metrics.dropped.inc({ reason: 'invalid_label' satisfies JobDropReason });
    return;
  }
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    metrics.dropped.inc({ reason: 'invalid_duration' satisfies JobDropReason });
    return;
  }
  metrics.duration.observe({ kind, status }, seconds < 0 ? 0 : seconds);
  if (SUCCESS_STATUSES.has(status.toLowerCase())) metrics.lastSuccess.set({ kind }, metrics.now() / 1000);
}

/**
 * Runs `fn`, records its duration as `success` or `failure`, and returns its result or rethrows
 * its error unchanged.
 */
export async function timeJob<T>(metrics: JobMetricSet, kind: string, fn: () => T | PromiseLike<T>): Promise<T> {
  const start = performance.now();
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    observeJob(metrics, kind, 'failure', (performance.now() - start) / 1000);
    throw error;
  }
  observeJob(metrics, kind, 'success', (performance.now() - start) / 1000);
  return result;
}
