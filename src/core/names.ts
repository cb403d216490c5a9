import { PromliteError } from '../errors.js';
import { COUNTER_SUFFIX, INFO_SUFFIX } from './sample-names.js';

/** What a metric name (or a prefix of one) must match. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** What a label name must match (names starting with `__` are reserved on top of it). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'info' | 'stateset' | 'summary';

/**
 * Throws `INVALID_NAME` unless `name` is a valid metric name for a family of `type`. Any name
 * the text format allows is accepted, so that services keep the names their dashboards use
 * (`http_requests_success` for a counter, `secrets_total` for a gauge); promtool only lints
 * those. What would be ambiguous — two families writing the same sample name — is refused
 * when the second is declared (see `occupiedNames`), naming the other family.
 */
export function assertMetricName(name: unknown, type: MetricType): asserts name is string {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new PromliteError(
      'INVALID_NAME',
      `${type} ${JSON.stringify(name)}: a metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*`,
    );
  }
  if (name.startsWith('__')) {
    throw new PromliteError('INVALID_NAME', `${type} "${name}": names starting with "__" are reserved`);
  }
  // OpenMetrics names a counter family without `_total`: that must leave a name.
  if (type === 'counter' && name === COUNTER_SUFFIX) {
    throw new PromliteError('INVALID_NAME', `counter "${name}": a counter needs a name before "_total"`);
  }
  // OpenMetrics names an info family without `_info` and adds it to the sample.
  if (type === 'info' && (!name.endsWith(INFO_SUFFIX) || name === INFO_SUFFIX)) {
    throw new PromliteError('INVALID_NAME', `info "${name}": an info metric name must end in "_info"`);
  }
  // A state set's samples carry their state in a label named like the metric.
  if (type === 'stateset' && name.includes(':')) {
    throw new PromliteError('INVALID_NAME', `stateset "${name}": the name is also a label name, so it cannot hold ":"`);
  }
}

/**
 * Throws `INVALID_LABELS` unless every label name is valid, unreserved and unique. `le` is
 * reserved on histograms (it holds the bucket's upper bound).
 */
export function assertLabelNames(
  metric: string,
  type: MetricType,
  labelNames: readonly unknown[],
): asserts labelNames is readonly string[] {
  const seen = new Set<string>();
  for (const label of labelNames) {
    if (typeof label !== 'string' || !LABEL_NAME.test(label)) {
      throw new PromliteError(
        'INVALID_LABELS',
        `${type} "${metric}": label name ${JSON.stringify(label)} must match [a-zA-Z_][a-zA-Z0-9_]*`,
      );
    }
    if (label.startsWith('__')) {
      throw new PromliteError('INVALID_LABELS', `${type} "${metric}": label "${label}" starts with the reserved "__"`);
    }
    if (type === 'histogram' && label === 'le') {
      throw new PromliteError(
        'INVALID_LABELS',
        `histogram "${metric}": label "le" is reserved for bucket upper bounds`,
      );
    }
    if (type === 'summary' && label === 'quantile') {
      throw new PromliteError(
        'INVALID_LABELS',
        `summary "${metric}": label "quantile" is reserved for the quantile of a sample`,
      );
    }
    if (seen.has(label)) {
      throw new PromliteError('INVALID_LABELS', `${type} "${metric}": label "${label}" is declared twice`);
    }
    seen.add(label);
  }
}

/**
 * Returns what is wrong with `buckets` as histogram upper bounds, or `undefined` when they are
 * usable: at least one, all finite, strictly increasing. They are never silently sorted or
 * de-duplicated: a wrong list is a bug worth hearing about.
 */
export function validateBuckets(buckets: readonly unknown[]): string | undefined {
  if (buckets.length === 0) return 'at least one bucket is needed';
  let previous = -Infinity;
  for (const [index, bound] of buckets.entries()) {
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      return `bucket ${index} is ${String(bound)}; upper bounds must be finite numbers (+Inf is added for you)`;
    }
    if (bound <= previous) {
      return `bucket ${index} (${bound}) is not greater than the one before (${previous}); upper bounds must be strictly increasing`;
    }
    previous = bound;
  }
  return undefined;
}
