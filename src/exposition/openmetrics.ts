import type { Buffer } from 'node:buffer';
import { escapeLabelValue } from './escape.js';
import { exposeChunks, exposeString, type Dialect } from './write.js';
import { formatOpenMetricsBound } from './format-number.js';
import type { RenderBuffer } from './render-buffer.js';
import { sampleNames } from '../core/sample-names.js';
import type { RegistrySnapshot } from '../core/snapshot.js';

/** The Content-Type of what {@link renderOpenMetrics} writes. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const OPENMETRICS: Dialect = {
  names: 'openmetrics',
  header: (family) => {
    // Counter and info families are named without `_total` / `_info`; their samples have it.
    const name = sampleNames(family.type, family.name, 'openmetrics').family;
    // OpenMetrics escapes `"` in HELP too: the same three escapes as a label value.
    return `# HELP ${name} ${escapeLabelValue(family.help)}\n# TYPE ${name} ${family.type}\n`;
  },
  formatBound: formatOpenMetricsBound,
  trailer: '# EOF\n',
  // OpenMetrics 1.0: sums and quantiles are counter-like, never negative (see Dialect).
  negativeDistributions: false,
  exemplars: true,
};

/**
 * Writes a snapshot in OpenMetrics 1.0.0: counter families named without `_total`, HELP with
 * `"` escaped, canonical `le` values (`1.0`), no blank lines, and the closing `# EOF`. A
 * histogram with a negative bucket or sum is written without `_sum` and `_count`, and a summary
 * without those and without negative quantiles, as the spec asks. Pure.
 */
export function renderOpenMetrics(snapshot: RegistrySnapshot): string {
  return exposeString(snapshot, OPENMETRICS);
}

/**
 * {@link renderOpenMetrics} in pieces of about `chunkSize` bytes, cut between series, for sending
 * without holding the whole body or blocking the event loop for long. Pure. With `buffer`, as
 * `renderChunks` does: the pieces are views of its memory, valid until its next render.
 */
export function renderOpenMetricsChunks(
  snapshot: RegistrySnapshot,
  chunkSize = 64 * 1024,
  buffer?: RenderBuffer,
): Generator<Buffer, void, undefined> {
  return exposeChunks(snapshot, OPENMETRICS, chunkSize, buffer);
}
