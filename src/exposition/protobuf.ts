// The Prometheus protobuf exposition: a stream of io.prometheus.client.MetricFamily messages,
// each preceded by its length as a varint (client_model's metrics.proto; field numbers below).
import type { Buffer } from 'node:buffer';
import { sampleNames } from '../core/sample-names.js';
import { type SeriesList, seriesListOf } from '../core/series-columns.js';
import type {
  Exemplar,
  FamilySnapshot,
  HistogramFamily,
  HistogramSeries,
  NativeBucketList,
  NativeHistogramData,
  RegistrySnapshot,
  ScalarSeries,
  SummaryFamily,
  SummarySeries,
} from '../core/snapshot.js';
import { ProtoWriter } from './proto-writer.js';

/** The Content-Type of what {@link renderProtobuf} writes, as client_golang announces it. */
export const PROTOBUF_CONTENT_TYPE =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

// MetricType enum values.
const COUNTER = 0;
const GAUGE = 1;
const SUMMARY = 2;
const HISTOGRAM = 4;

/** Gaps of up to this many empty buckets are written as zero deltas rather than a new span (cheaper). */
const MAX_GAP_IN_SPAN = 2;

/**
 * Writes a snapshot as delimited `MetricFamily` messages: counters (named as in text 0.0.4, so
 * with their `_total`), gauges, histograms (classic buckets and, when the series has them,
 * native ones), summaries, and info families and state sets as gauges. A family without series
 * is left out. Yields pieces of about `chunkSize` bytes, cut between families. Pure: the same
 * snapshot always gives the same bytes.
 */
export function* renderProtobufChunks(
  snapshot: RegistrySnapshot,
  chunkSize = 64 * 1024,
): Generator<Buffer, void, undefined> {
  let out = new ProtoWriter(Math.min(chunkSize + chunkSize / 4, 1 << 20));
  for (const family of snapshot.families) {
    const list = seriesListOf(family);
    if (list.length === 0) continue;
    writeFamily(out, family, list);
    if (out.offset >= chunkSize) {
      yield out.result();
      out = new ProtoWriter(chunkSize + chunkSize / 4);
    }
  }
  if (out.offset > 0) yield out.result();
}

/** {@link renderProtobufChunks} as one buffer. Pure. */
export function renderProtobuf(snapshot: RegistrySnapshot): Buffer {
  const out = new ProtoWriter();
  for (const family of snapshot.families) {
    const list = seriesListOf(family);
    if (list.length > 0) writeFamily(out, family, list);
  }
  return out.result();
}

/** One family's message; its series are read one at a time (from columns, each dies young). */
function writeFamily(out: ProtoWriter, family: FamilySnapshot, list: SeriesList): void {
  const message = out.begin(undefined);
  out.string(1, sampleNames(family.type, family.name, 'text').family);
  out.string(2, family.help);
  switch (family.type) {
    case 'counter':
    case 'gauge':
    case 'info':
    case 'stateset': {
      const counter = family.type === 'counter';
      out.uint(3, counter ? COUNTER : GAUGE);
      for (let s = 0; s < list.length; s++) {
        const series = list.seriesAt(s) as ScalarSeries;
        const metric = out.begin(4);
        writeLabels(out, family.labelNames, series.labelValues);
        const value = out.begin(counter ? 3 : 2);
        out.double(1, series.value);
        if (counter && series.exemplar !== undefined) writeExemplar(out, 2, series.exemplar);
        out.end(value);
        out.end(metric);
      }
      break;
    }
    case 'histogram':
      out.uint(3, HISTOGRAM);
      writeHistograms(out, family, list);
      break;
    case 'summary':
      out.uint(3, SUMMARY);
      writeSummaries(out, family, list);
      break;
    default:
      family satisfies never;
  }
  out.end(message);
}

function writeLabels(out: ProtoWriter, names: readonly string[], values: readonly string[]): void {
  for (let i = 0; i < names.length; i++) {
    const pair = out.begin(1);
    out.string(1, names[i] as string);
    out.string(2, values[i] as string);
    out.end(pair);
  }
}

function writeHistograms(out: ProtoWriter, family: HistogramFamily, list: SeriesList): void {
  const { upperBounds } = family;
  for (let s = 0; s < list.length; s++) {
    const series = list.seriesAt(s) as HistogramSeries;
    const metric = out.begin(4);
    writeLabels(out, family.labelNames, series.labelValues);
    const histogram = out.begin(7);
    out.uint(1, series.count);
    out.double(2, series.sum);
    const { exemplars } = series;
    // The +Inf bucket is optional in protobuf (it is `sample_count`): written only for its exemplar.
    const last = exemplars?.[upperBounds.length] === undefined ? upperBounds.length : upperBounds.length + 1;
    for (let i = 0; i < last; i++) {
      const bucket = out.begin(3);
      out.uint(1, i < upperBounds.length ? (series.cumulativeCounts[i] as number) : series.count);
      out.double(2, i < upperBounds.length ? (upperBounds[i] as number) : Number.POSITIVE_INFINITY);
      const exemplar = exemplars?.[i];
      if (exemplar !== undefined) writeExemplar(out, 3, exemplar);
      out.end(bucket);
    }
    if (series.native !== undefined) {
      writeNative(out, series.native);
      // Newer parsers read a native histogram's exemplars here; 2.42 reads the buckets' above.
      for (const exemplar of exemplars ?? []) if (exemplar !== undefined) writeExemplar(out, 16, exemplar);
    }
    out.end(histogram);
    out.end(metric);
  }
}

/**
 * The native fields of a Histogram message. `zero_threshold` is always written: Prometheus 2.42
 * takes a histogram for native only from its deltas, a zero count or a zero threshold above 0.
 */
function writeNative(out: ProtoWriter, native: NativeHistogramData): void {
  out.sint(5, native.schema);
  out.double(6, native.zeroThreshold);
  out.uint(7, native.zeroCount);
  writeSide(out, native.negative, 9, 10);
  const empty = native.positive.indexes.length === 0 && native.negative.indexes.length === 0;
  if (empty && native.zeroCount === 0 && native.zeroThreshold === 0) {
    // The no-op span newer parsers look for, where nothing else says "native".
    const span = out.begin(12);
    out.sint(1, 0);
    out.uint(2, 0);
    out.end(span);
  }
  writeSide(out, native.positive, 12, 13);
}

/** Spans (offset from the previous span's end, length) and count deltas of one side. */
function writeSide(out: ProtoWriter, buckets: NativeBucketList, spanField: number, deltaField: number): void {
  const { indexes, counts } = buckets;
  const n = indexes.length;
  if (n === 0) return;
  // Spans first: consecutive runs, short gaps bridged by empty buckets.
  let start = indexes[0] as number;
  let last = start;
  // The first span's offset is its start index; every later one's, the gap after the span before.
  let gapFrom = 0;
  for (let k = 1; k <= n; k++) {
    const index = k < n ? (indexes[k] as number) : Number.POSITIVE_INFINITY;
    if (index - last - 1 <= MAX_GAP_IN_SPAN) {
      last = index;
      continue;
    }
    const span = out.begin(spanField);
    out.sint(1, start - gapFrom);
    out.uint(2, last - start + 1);
    out.end(span);
    gapFrom = last + 1;
    start = index;
    last = index;
  }
  const deltas = out.begin(deltaField);
  let previous = 0;
  let expected = indexes[0] as number;
  for (let k = 0; k < n; k++) {
    const index = indexes[k] as number;
    // Bridged gaps are buckets of count 0 inside a span.
    if (index - expected <= MAX_GAP_IN_SPAN) {
      for (; expected < index; expected++) {
        out.packedSint(-previous);
        previous = 0;
      }
    }
    const count = counts[k] as number;
    out.packedSint(count - previous);
    previous = count;
    expected = index + 1;
  }
  out.end(deltas);
}

/** An Exemplar message: its labels, value and timestamp (google.protobuf.Timestamp). */
function writeExemplar(out: ProtoWriter, field: number, exemplar: Exemplar): void {
  const message = out.begin(field);
  for (const [name, value] of Object.entries(exemplar.labels)) {
    const pair = out.begin(1);
    out.string(1, name);
    out.string(2, value);
    out.end(pair);
  }
  out.double(2, exemplar.value);
  const timestamp = out.begin(3);
  const seconds = Math.floor(exemplar.timestampMs / 1000);
  out.uint(1, seconds);
  out.uint(2, Math.round((exemplar.timestampMs - seconds * 1000) * 1e6));
  out.end(timestamp);
  out.end(message);
}

function writeSummaries(out: ProtoWriter, family: SummaryFamily, list: SeriesList): void {
  for (let s = 0; s < list.length; s++) {
    const series = list.seriesAt(s) as SummarySeries;
    const metric = out.begin(4);
    writeLabels(out, family.labelNames, series.labelValues);
    const summary = out.begin(4);
    out.uint(1, series.count);
    out.double(2, series.sum);
    for (let i = 0; i < family.quantiles.length; i++) {
      const quantile = out.begin(3);
      out.double(1, family.quantiles[i] as number);
      out.double(2, series.quantileValues[i] as number);
      out.end(quantile);
    }
    out.end(summary);
    out.end(metric);
  }
}
