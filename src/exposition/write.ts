import { type Buffer, isAscii } from 'node:buffer';
import { ByteWriter, encode } from './byte-writer.js';
import type { RenderBuffer } from './render-buffer.js';
import { labelOpeners, sumCountOpeners, writeLabelPairs, writeSumAndCount } from './label-pairs.js';
import { summaryWriter } from './write-summary.js';
import { writeExemplar } from './write-exemplar.js';
import { PromliteError } from '../errors.js';
import { describeValue } from '../options.js';
import { type NameFormat, sampleNames } from '../core/sample-names.js';
import { columnsOf } from '../core/make-columns.js';
import { type Columns, seriesListOf } from '../core/series-columns.js';
import type { FamilySnapshot, HistogramFamily, RegistrySnapshot } from '../core/snapshot.js';

/** What differs between the text format 0.0.4 and OpenMetrics; the samples are written alike. */
export interface Dialect {
  /** Which names the format gives families and samples (see `sampleNames`). */
  readonly names: NameFormat;
  /** The `# HELP` and `# TYPE` lines of a family, newline-terminated. */
  readonly header: (family: FamilySnapshot) => string;
  /** The label value of a finite float: a bucket's `le`, a summary's `quantile`. */
  readonly formatBound: (bound: number) => string;
  /** Written after the last family. */
  readonly trailer: string;
  /**
   * Whether a distribution may be written with a negative or NaN `_sum` and negative quantiles.
   * OpenMetrics: no — its sums and quantiles are counter-like — so such a histogram (negative
   * buckets, or a negative sum) is written without `_sum` and `_count`, and such a summary
   * without them and without its negative quantiles.
   */
  readonly negativeDistributions: boolean;
  /** Whether counter samples and histogram buckets carry their exemplars (OpenMetrics only). */
  readonly exemplars: boolean;
}

/** Series written between two checks of the chunk size. */
const SERIES_PER_BATCH = 32;

/**
 * Writes a snapshot's families in the order given, each as its header, then its samples; a
 * family without series is left out. Yields the output in pieces of about `chunkSize` bytes
 * (cut between series), or in one piece with the default. Pure: the same snapshot always
 * yields the same bytes. Internal to the renderers.
 */
export function exposeChunks(
  snapshot: RegistrySnapshot,
  dialect: Dialect,
  chunkSize = Infinity,
  lent?: RenderBuffer,
): Generator<Buffer, void, undefined> {
  // Checked here, not inside the generator, so that a bad size throws at the call.
  if (chunkSize !== Infinity && !(Number.isSafeInteger(chunkSize) && chunkSize > 0)) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `render: chunkSize must be a positive integer, got ${describeValue(chunkSize)}`,
    );
  }
  return writeChunks(snapshot, dialect, chunkSize, lent);
}

function* writeChunks(
  snapshot: RegistrySnapshot,
  dialect: Dialect,
  chunkSize: number,
  lent: RenderBuffer | undefined,
): Generator<Buffer, void, undefined> {
  const expected = estimateSize(snapshot);
  // Into lent memory, the chunks follow one another in it (the whole exposition must fit, or
  // it grows); else each chunk gets a buffer of its own, which the GC frees once it is sent.
  let out =
    lent === undefined ? new ByteWriter(Math.min(expected, chunkSize + chunkSize / 4)) : new ByteWriter(expected, lent);
  for (const family of snapshot.families) {
    // Numbers read straight from the columns: no object per series to make, or to keep alive
    // (and copied by every young-generation collection) while the render lasts.
    const columns = columnsOf(family);
    const count = columns.rows.length;
    if (count === 0) continue;
    out.text(dialect.header(family));
    const write = familyWriter(family, columns, dialect);
    for (let start = 0; start < count; start += SERIES_PER_BATCH) {
      write(out, start, Math.min(count, start + SERIES_PER_BATCH));
      if (out.size >= chunkSize) {
        yield out.cut();
        if (lent === undefined) out = new ByteWriter(chunkSize + chunkSize / 4);
      }
    }
  }
  out.text(dialect.trailer);
  if (out.size > 0) yield out.cut();
}

/** The whole exposition as one string. */
export function exposeString(snapshot: RegistrySnapshot, dialect: Dialect): string {
  const [bytes] = exposeChunks(snapshot, dialect);
  if (bytes === undefined) return '';
  // Text that is all ASCII decodes as Latin-1, a plain copy; anything else as UTF-8.
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/**
 * A close guess of the output size, so the buffer rarely has to grow (and be copied): each
 * family's first series, scaled by the number of series. Growing still copes with a bad guess.
 */
function estimateSize(snapshot: RegistrySnapshot): number {
  let size = 64;
  for (const family of snapshot.families) {
    const list = seriesListOf(family);
    if (list.length === 0) continue;
    const first = list.labelValuesAt(0);
    const lines = family.type === 'histogram' ? family.upperBounds.length + 3 : 1;
    let labelChars = 0;
    for (let i = 0; i < family.labelNames.length; i++)
      labelChars += (family.labelNames[i] as string).length + (first[i] as string).length + 4;
    // Per line: the name with a suffix, the labels, `le`, the value.
    size +=
      list.length * lines * (family.name.length + labelChars + 32) + family.help.length + 2 * family.name.length + 32;
  }
  return Math.ceil(size * 1.1);
}

/** Writes the series [start, end) of one family. */
export type SeriesWriter = (out: ByteWriter, start: number, end: number) => void;

/** Prepares what a family's lines share (names, label openers, bounds) once, for all its series. */
function familyWriter(family: FamilySnapshot, columns: Columns, dialect: Dialect): SeriesWriter {
  switch (family.type) {
    case 'counter':
    case 'gauge':
    case 'info':
    case 'stateset':
      return scalarWriter(
        sampleNames(family.type, family.name, dialect.names).samples[0] as string,
        family.labelNames,
        columns,
        dialect.exemplars && family.type === 'counter',
      );
    case 'histogram':
      return histogramWriter(family, columns, dialect);
    case 'summary':
      return summaryWriter(family, columns, dialect);
    default:
      return family satisfies never;
  }
}

function scalarWriter(
  name: string,
  labelNames: readonly string[],
  { rows, values, extras }: Columns,
  exemplars: boolean,
): SeriesWriter {
  const openers = labelOpeners(labelNames);
  const start = encode(labelNames.length === 0 ? `${name} ` : `${name}{`);
  const end = encode('} ');
  return (out, from, to) => {
    for (let s = from; s < to; s++) {
      out.bytes(start);
      if (openers.length > 0) {
        writeLabelPairs(out, openers, rows[s] as readonly string[]);
        out.bytes(end);
      }
      out.number(values[s] as number);
      const exemplar = exemplars ? extras?.[s]?.exemplar : undefined;
      if (exemplar !== undefined) writeExemplar(out, exemplar);
      out.newline();
    }
  };
}

function histogramWriter(family: HistogramFamily, columns: Columns, dialect: Dialect): SeriesWriter {
  const { name, labelNames, upperBounds } = family;
  const { rows, values, extras } = columns;
  // Per series: the sum, the count, then the cumulative count of each finite bucket.
  const stride = 2 + upperBounds.length;
  const openers = labelOpeners(labelNames);
  const labelled = openers.length > 0;
  // A sum over negative observations cannot be used as a counter, so OpenMetrics drops it.
  const negativeBuckets = (upperBounds[0] as number) < 0;
  // `le` goes last, after the series' own labels; what follows the bound is precomputed.
  const boundClosers = [...upperBounds.map(dialect.formatBound), '+Inf'].map((bound) => encode(`${bound}"} `));
  const [bucketName, sumName, countName] = sampleNames('histogram', name, dialect.names).samples;
  const bucketOpen = encode(labelled ? `${bucketName}{` : `${bucketName}{le="`);
  const leOpen = encode(',le="');
  const sumCount = sumCountOpeners(sumName as string, countName as string, labelled);
  return (out, from, to) => {
    for (let s = from; s < to; s++) {
      const labelValues = rows[s] as readonly string[];
      const at = s * stride;
      const sum = values[at] as number;
      const count = values[at + 1] as number;
      const bucketExemplars = dialect.exemplars ? extras?.[s]?.exemplars : undefined;
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
      for (let i = 0; i <= upperBounds.length; i++) {
        if (i > 0) out.repeat(lineStart, prefixEnd);
        out.bytes(boundClosers[i] as Uint8Array);
        out.number(i < upperBounds.length ? (values[at + 2 + i] as number) : count);
        const exemplar = bucketExemplars?.[i];
        if (exemplar !== undefined) writeExemplar(out, exemplar);
        out.newline();
      }
      if (!dialect.negativeDistributions && (negativeBuckets || !(sum >= 0))) continue;
      // `_sum` and `_count` reuse the label pairs written in the first bucket line.
      writeSumAndCount(out, sumCount, openers, labelValues, sum, count, pairsStart, pairsEnd);
    }
  };
}
