// Label pairs as the writers write them: `a="x",b="y"`, values escaped.
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
