import type { Buffer } from 'node:buffer';
import { escapeLabelValue } from './escape.js';
import { writeExposition, type Dialect } from './exposition.js';
import { formatOpenMetricsBound } from './format-number.js';
import type { FamilySnapshot, RegistrySnapshot } from './snapshot.js';

/** The Content-Type of what {@link renderOpenMetrics} writes. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const OPENMETRICS: Dialect = {
  header: (family) => {
    const name = familyName(family);
    // OpenMetrics escapes `"` in HELP too: the same three escapes as a label value.
    return `# HELP ${name} ${escapeLabelValue(family.help)}\n# TYPE ${name} ${family.type}\n`;
  },
  formatBound: formatOpenMetricsBound,
  trailer: '# EOF\n',
  // OpenMetrics 1.0: a histogram with negative buckets has no `_sum`, and so no `_count`.
  sumWithNegativeBuckets: false,
};

/** OpenMetrics names a counter family without `_total`; its samples keep it. */
function familyName(family: FamilySnapshot): string {
  return family.type === 'counter' ? family.name.slice(0, -'_total'.length) : family.name;
}

/**
 * Writes a snapshot in OpenMetrics 1.0.0: counter families named without `_total`, HELP with
 * `"` escaped, canonical `le` values (`1.0`), no blank lines, and the closing `# EOF`. A
 * histogram with a negative bucket is written without `_sum` and `_count`, as the spec asks. Pure.
 */
export function renderOpenMetrics(snapshot: RegistrySnapshot): string {
  return writeExposition(snapshot, OPENMETRICS).toString();
}

/** {@link renderOpenMetrics} as UTF-8 bytes, ready to send. Pure. */
export function renderOpenMetricsBytes(snapshot: RegistrySnapshot): Buffer {
  return writeExposition(snapshot, OPENMETRICS).result();
}
