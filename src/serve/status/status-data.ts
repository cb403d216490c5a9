import type { HealthReport } from '../../instrument/health-checks.js';
import { SUCCESS_STATUSES } from '../../core/jobs.js';
import type { HistogramFamily, RegistrySnapshot } from '../../core/snapshot.js';

/** One row of the status page: a job kind. */
export interface JobKindStatus {
  readonly kind: string;
  readonly runs: number;
  readonly failures: number;
  /** 95th percentile of duration in seconds, estimated from the buckets; null before any run. */
  readonly p95Seconds: number | null;
  /** Seconds since the last success; null when there was none. */
  readonly secondsSinceSuccess: number | null;
}

/** What `/status.json` holds. */
export interface StatusData {
  readonly generatedAt: string;
  readonly jobs: readonly JobKindStatus[];
  readonly health: HealthReport | null;
}

/**
 * Builds the status page's data from a snapshot (the same one `/metrics` would render): per job
 * kind, runs and failures over all statuses, p95 duration and time since last success. Pure:
 * `nowMs` is the clock.
 */
export function statusFromSnapshot(
  snapshot: RegistrySnapshot,
  prefix: string,
  health: HealthReport | null,
  nowMs: number,
): StatusData {
  const durations = snapshot.families.find((f) => f.name === `${prefix}job_duration_seconds`) as
    | HistogramFamily
    | undefined;
  const lastSuccess = snapshot.families.find((f) => f.name === `${prefix}job_last_success_timestamp_seconds`);
  const kinds = new Map<string, { runs: number; failures: number; cumulative: number[] }>();
  for (const series of durations?.series ?? []) {
    const [kind = '', status = ''] = series.labelValues;
    const entry = kinds.get(kind) ?? {
      runs: 0,
      failures: 0,
      cumulative: new Array<number>(series.cumulativeCounts.length).fill(0),
    };
    entry.runs += series.count;
    if (!SUCCESS_STATUSES.has(status.toLowerCase())) entry.failures += series.count;
    series.cumulativeCounts.forEach((count, i) => {
      entry.cumulative[i] = (entry.cumulative[i] ?? 0) + count;
    });
    kinds.set(kind, entry);
  }
  const successAt = new Map<string, number>();
  if (lastSuccess !== undefined && lastSuccess.type !== 'histogram' && lastSuccess.type !== 'summary') {
    for (const series of lastSuccess.series) successAt.set(series.labelValues[0] ?? '', series.value);
  }
  const jobs = [...kinds].map(([kind, { runs, failures, cumulative }]) => {
    const at = successAt.get(kind);
    return {
      kind,
      runs,
      failures,
      p95Seconds: bucketQuantile(0.95, durations?.upperBounds ?? [], cumulative, runs) ?? null,
      secondsSinceSuccess: at === undefined ? null : Math.max(0, nowMs / 1000 - at),
    };
  });
  return { generatedAt: new Date(nowMs).toISOString(), jobs, health };
}

/**
 * Estimates a quantile from cumulative bucket counts as Prometheus' `histogram_quantile` does:
 * linear interpolation inside the bucket holding the rank, the last finite bound when the rank
 * falls in `+Inf`. Undefined without observations. Pure.
 */
export function bucketQuantile(
  q: number,
  upperBounds: readonly number[],
  cumulativeCounts: readonly number[],
  count: number,
): number | undefined {
  if (count === 0 || upperBounds.length === 0) return undefined;
  const rank = q * count;
  for (let i = 0; i < upperBounds.length; i++) {
    const cumulative = cumulativeCounts[i] as number;
    if (cumulative >= rank) {
      const upper = upperBounds[i] as number;
      const lower = i === 0 ? Math.min(0, upper) : (upperBounds[i - 1] as number);
      const below = i === 0 ? 0 : (cumulativeCounts[i - 1] as number);
      const inBucket = cumulative - below;
      return inBucket === 0 ? upper : lower + (upper - lower) * ((rank - below) / inBucket);
    }
  }
  return upperBounds[upperBounds.length - 1];
}
