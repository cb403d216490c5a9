// Label pairs as the writers write them (`a="x",b="y"`, values escaped), and the `_sum` and
// `_count` lines of distributions, which reuse them.
import { type ByteWriter, encode } from './byte-writer.js';
import { escapeLabelValue } from './escape.js';

/** `name="` for the first label, `,name="` for the others, encoded. */
export function labelOpeners(labelNames: readonly string[]): Uint8Array[] {
  return labelNames.map((label, i) => encode(`${i === 0 ? '' : ','}${label}="`));
}

const QUOTE = encode('"');

/** Writes `a="x",b="y"`: the label pairs of one series, values escaped. */
export function writeLabelPairs(out: ByteWriter, openers: readonly Uint8Array[], labelValues: readonly string[]): void {
  for (let i = 0; i < openers.length; i++) {
    out.bytes(openers[i] as Uint8Array);
    out.text(escapeLabelValue(labelValues[i] as string));
    out.bytes(QUOTE);
  }
}

/** The openers of a distribution's `_sum` and `_count` lines. */
export interface SumCountOpeners {
  readonly sum: Uint8Array;
  readonly count: Uint8Array;
}

export function sumCountOpeners(sumName: string, countName: string, labelled: boolean): SumCountOpeners {
  return {
    sum: encode(labelled ? `${sumName}{` : `${sumName} `),
    count: encode(labelled ? `${countName}{` : `${countName} `),
  };
}

const LABELS_CLOSE = encode('} ');

/**
 * Writes one series' `_sum` and `_count` lines. Its label pairs are copied from
 * [pairsStart, pairsEnd) of `out` when a line of the series holds them already (pairsStart ≥ 0),
 * else written once from `openers` and `labelValues`, and copied for the second line.
 */
export function writeSumAndCount(
  out: ByteWriter,
  lines: SumCountOpeners,
  openers: readonly Uint8Array[],
  labelValues: readonly string[],
  sum: number,
  count: number,
  pairsStart = -1,
  pairsEnd = -1,
): void {
  const labelled = openers.length > 0;
  let start = pairsStart;
  let end = pairsEnd;
  out.bytes(lines.sum);
  if (labelled) {
    if (start < 0) {
      start = out.offset;
      writeLabelPairs(out, openers, labelValues);
      end = out.offset;
    } else out.repeat(start, end);
    out.bytes(LABELS_CLOSE);
  }
  out.number(sum);
  out.newline();
  out.bytes(lines.count);
  if (labelled) {
    out.repeat(start, end);
    out.bytes(LABELS_CLOSE);
  }
  out.number(count);
  out.newline();
}
