// Expands a snapshot into the samples a consumer should read back, independently of render().
import { formatBound, type RegistrySnapshot } from '../../src/index.js';
import type { ParsedSample } from './text-parser.js';

export function expectedSamples(snapshot: RegistrySnapshot): ParsedSample[] {
  const samples: ParsedSample[] = [];
  for (const family of snapshot.families) {
    const labelsOf = (values: readonly string[]) =>
      Object.fromEntries(family.labelNames.map((name, i) => [name, values[i] as string]));
    if (family.type === 'histogram') {
      for (const series of family.series) {
        const labels = labelsOf(series.labelValues);
        family.upperBounds.forEach((bound, i) =>
          samples.push({ name: `${family.name}_bucket`, labels: { ...labels, le: formatBound(bound) }, value: series.cumulativeCounts[i] as number }),
        );
        samples.push({ name: `${family.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: series.count });
        samples.push({ name: `${family.name}_sum`, labels, value: series.sum });
        samples.push({ name: `${family.name}_count`, labels, value: series.count });
      }
    } else {
      for (const series of family.series) samples.push({ name: family.name, labels: labelsOf(series.labelValues), value: series.value });
    }
  }
  return samples;
}
