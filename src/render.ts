import type { Buffer } from 'node:buffer';
import { ByteWriter, encode } from './byte-writer.js';
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
  return write(snapshot).toString();
}

/** {@link render} as UTF-8 bytes, ready to send: skips building the string. Pure. */
export function renderBytes(snapshot: RegistrySnapshot): Buffer {
  return write(snapshot).result();
}

function write(snapshot: RegistrySnapshot): ByteWriter {
  const out = new ByteWriter(estimateSize(snapshot));
  for (const family of snapshot.families) {
    if (family.series.length === 0) continue;
    out.text(`# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`);
    writeSamples(out, family);
  }
  return out;
}

/**
 * A close guess of the output size, so the buffer rarely has to grow (and be copied): each
 * family's first series, scaled by the number of series. Growing still copes with a bad guess.
 */
function estimateSize(snapshot: RegistrySnapshot): number {
  let size = 0;
  for (const family of snapshot.families) {
    const first = family.series[0];
    if (first === undefined) continue;
    const lines = family.type === 'histogram' ? family.upperBounds.length + 3 : 1;
    let labelChars = 0;
    for (let i = 0; i < family.labelNames.length; i++) labelChars += (family.labelNames[i] as string).length + (first.labelValues[i] as string).length + 4;
    // Per line: the name with a suffix, the labels, `le`, the value.
    size += family.series.length * lines * (family.name.length + labelChars + 32) + family.help.length + 2 * family.name.length + 32;
  }
  return Math.ceil(size * 1.1);
}

function writeSamples(out: ByteWriter, family: FamilySnapshot): void {
  switch (family.type) {
    case 'counter':
    case 'gauge':
      writeScalarSeries(out, family.name, family.labelNames, family.series);
      break;
    case 'histogram':
      writeHistogramSeries(out, family);
      break;
    default:
      family satisfies never;
  }
}

function writeScalarSeries(out: ByteWriter, name: string, labelNames: readonly string[], series: readonly ScalarSeries[]): void {
  const openers = labelOpeners(labelNames);
  const start = encode(labelNames.length === 0 ? `${name} ` : `${name}{`);
  const end = encode('} ');
  for (let s = 0; s < series.length; s++) {
    const { labelValues, value } = series[s] as ScalarSeries;
    out.bytes(start);
    if (openers.length > 0) {
      writeLabelPairs(out, openers, labelValues);
      out.bytes(end);
    }
    out.number(value, formatValue);
    out.newline();
  }
}

function writeHistogramSeries(out: ByteWriter, family: HistogramFamily): void {
  const { name, labelNames, upperBounds, series } = family;
  const openers = labelOpeners(labelNames);
  const labelled = openers.length > 0;
  // `le` goes last, after the series' own labels; what follows the bound is precomputed.
  const boundClosers = [...upperBounds.map(formatBound), '+Inf'].map((bound) => encode(`${bound}"} `));
  const bucketOpen = encode(labelled ? `${name}_bucket{` : `${name}_bucket{le="`);
  const leOpen = encode(',le="');
  const sumOpen = encode(labelled ? `${name}_sum{` : `${name}_sum `);
  const countOpen = encode(labelled ? `${name}_count{` : `${name}_count `);
  const labelsClose = encode('} ');
  for (let s = 0; s < series.length; s++) {
    const { labelValues, cumulativeCounts, sum, count } = series[s] as (typeof series)[number];
    // The first bucket line is written in full; the others copy its `name_bucket{labels,le="`.
    const lineStart = out.offset;
    out.bytes(bucketOpen);
    const pairsStart = out.offset;
    if (labelled) {
      writeLabelPairs(out, openers, labelValues);
      out.bytes(leOpen);
    }
    const pairsEnd = labelled ? out.offset - leOpen.length : pairsStart;
    const prefixEnd = out.offset;
    for (let i = 0; i <= cumulativeCounts.length; i++) {
      if (i > 0) out.repeat(lineStart, prefixEnd);
      out.bytes(boundClosers[i] as Uint8Array);
      out.number(i < cumulativeCounts.length ? (cumulativeCounts[i] as number) : count, formatValue);
      out.newline();
    }
    // `_sum` and `_count` reuse the label pairs written in the first bucket line.
    for (const [open, value] of [[sumOpen, sum], [countOpen, count]] as const) {
      out.bytes(open);
      if (labelled) {
        out.repeat(pairsStart, pairsEnd);
        out.bytes(labelsClose);
      }
      out.number(value, formatValue);
      out.newline();
    }
  }
}

/** `name="` for the first label, `,name="` for the others, encoded. */
function labelOpeners(labelNames: readonly string[]): Uint8Array[] {
  return labelNames.map((label, i) => encode(`${i === 0 ? '' : ','}${label}="`));
}

const QUOTE = encode('"');

/** Writes `a="x",b="y"`: the label pairs of one series, values escaped. */
function writeLabelPairs(out: ByteWriter, openers: readonly Uint8Array[], labelValues: readonly string[]): void {
  for (let i = 0; i < openers.length; i++) {
    out.bytes(openers[i] as Uint8Array);
    out.text(escapeLabelValue(labelValues[i] as string));
    out.bytes(QUOTE);
  }
}
