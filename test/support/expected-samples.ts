// Expands a snapshot into the samples a consumer should read back, independently of render().
import { formatBound, formatOpenMetricsBound, type RegistrySnapshot } from '../../src/index.js';
import type { ParsedSample } from './text-parser.js';

/** `format` picks how `le` is spelled: text 0.0.4 (Go's %g) or OpenMetrics (canonical, `1.0`). */
export function expectedSamples(snapshot: RegistrySnapshot, format: 'text' | 'openmetrics' = 'text'): ParsedSample[] {
  const bound = format === 'text' ? formatBound : formatOpenMetricsBound;
  const samples: ParsedSample[] = [];
  for (const family of snapshot.families) {
    const labelsOf = (values: readonly string[]) =>
      Object.fromEntries(family.labelNames.map((name, i) => [name, values[i] as string]));
    if (family.type === 'histogram') {
      for (const series of family.series) {
        const labels = labelsOf(series.labelValues);
        family.upperBounds.forEach((upperBound, i) =>
          samples.push({ name: `${family.name}_bucket`, labels: { ...labels, le: bound(upperBound) }, value: series.cumulativeCounts[i] as number }),
        );
        samples.push({ name: `${family.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: series.count });
        if (format === 'openmetrics' && (family.upperBounds[0] as number) < 0) continue;
        samples.push({ name: `${family.name}_sum`, labels, value: series.sum });
        samples.push({ name: `${family.name}_count`, labels, value: series.count });
      }
    } else {
      for (const series of family.series) {
        // prometheus_client's OpenMetrics parser reads "-0" with int(), which has no negative zero.
        const value = format === 'openmetrics' && Object.is(series.value, -0) ? 0 : series.value;
        samples.push({ name: family.name, labels: labelsOf(series.labelValues), value });
      }
    }
  }
  return samples;
}
