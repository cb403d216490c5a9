import { escapeHelp, escapeLabelValue } from './escape.js';
import { formatBound, formatValue } from './format-number.js';
import type { FamilySnapshot, HistogramFamily, RegistrySnapshot, ScalarSeries } from './snapshot.js';

/** The Content-Type of what {@link render} writes. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Writes a snapshot in the Prometheus text exposition format 0.0.4. Pure: no clock, no I/O,
 * no mutation; the same snapshot always gives the same string. Families are written in the
 * order given, each as HELP, TYPE, then its samples; a family without series is left out.
 */
export function render(snapshot: RegistrySnapshot): string {
  const chunks: string[] = [];
  for (const family of snapshot.families) {
    if (family.series.length === 0) continue;
    chunks.push(`# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`);
    writeSamples(chunks, family);
  }
  return chunks.join('');
}

function writeSamples(chunks: string[], family: FamilySnapshot): void {
  switch (family.type) {
    case 'counter':
    case 'gauge':
      writeScalarSeries(chunks, family.name, family.labelNames, family.series);
      break;
    case 'histogram':
      writeHistogramSeries(chunks, family);
      break;
    default:
      family satisfies never;
  }
}

function writeScalarSeries(chunks: string[], name: string, labelNames: readonly string[], series: readonly ScalarSeries[]): void {
  const openers = labelOpeners(labelNames);
  for (const { labelValues, value } of series) {
    const labels = labelNames.length === 0 ? '' : `{${labelPairs(openers, labelValues)}}`;
    chunks.push(`${name}${labels} ${formatValue(value)}\n`);
  }
}

function writeHistogramSeries(chunks: string[], family: HistogramFamily): void {
  const { name, labelNames, upperBounds } = family;
  const openers = labelOpeners(labelNames);
  const bounds = upperBounds.map(formatBound);
  for (const { labelValues, cumulativeCounts, sum, count } of family.series) {
    const pairs = labelPairs(openers, labelValues);
    // `le` goes last, after the series' own labels.
    const bucketStart = labelNames.length === 0 ? `${name}_bucket{le="` : `${name}_bucket{${pairs},le="`;
    const labels = labelNames.length === 0 ? '' : `{${pairs}}`;
    let text = '';
    for (let i = 0; i < bounds.length; i++) text += `${bucketStart}${bounds[i]}"} ${formatValue(cumulativeCounts[i] as number)}\n`;
    text += `${bucketStart}+Inf"} ${formatValue(count)}\n${name}_sum${labels} ${formatValue(sum)}\n${name}_count${labels} ${formatValue(count)}\n`;
    chunks.push(text);
  }
}

/** `name="` for the first label, `,name="` for the others. */
function labelOpeners(labelNames: readonly string[]): string[] {
  return labelNames.map((label, i) => `${i === 0 ? '' : ','}${label}="`);
}

/** `a="x",b="y"`: the label pairs of one series, values escaped. */
function labelPairs(openers: readonly string[], labelValues: readonly string[]): string {
  let pairs = '';
  for (let i = 0; i < openers.length; i++) pairs += `${openers[i]}${escapeLabelValue(labelValues[i] as string)}"`;
  return pairs;
}
