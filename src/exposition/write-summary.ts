// A summary's lines: one per quantile (`name{labels,quantile="0.5"}`), then `_sum` and `_count`.
import { encode } from './byte-writer.js';
import { labelOpeners, sumCountOpeners, writeLabelPairs, writeSumAndCount } from './label-pairs.js';
import type { Dialect, SeriesWriter } from './write.js';
import { sampleNames } from '../core/sample-names.js';
import type { Columns } from '../core/series-columns.js';
import type { SummaryFamily } from '../core/snapshot.js';

/** Prepares what a summary's lines share (names, label openers, quantile values) once. */
export function summaryWriter(family: SummaryFamily, { rows, values }: Columns, dialect: Dialect): SeriesWriter {
  const { name, labelNames, quantiles } = family;
  // Per series: the sum, the count, then each quantile's value.
  const stride = 2 + quantiles.length;
  const openers = labelOpeners(labelNames);
  const labelled = openers.length > 0;
  const [quantileName, sumName, countName] = sampleNames('summary', name, dialect.names).samples;
  // `quantile` goes last, after the series' own labels, as the Go client writes it.
  const quantileOpen = encode(labelled ? `${quantileName}{` : `${quantileName}{quantile="`);
  const quantileLabel = encode(',quantile="');
  const quantileClosers = quantiles.map((quantile) => encode(`${dialect.formatBound(quantile)}"} `));
  const sumCount = sumCountOpeners(sumName as string, countName as string, labelled);
  return (out, from, to) => {
    for (let s = from; s < to; s++) {
      const labelValues = rows[s] as readonly string[];
      const at = s * stride;
      const sum = values[at] as number;
      const count = values[at + 1] as number;
      for (let i = 0; i < quantileClosers.length; i++) {
        const value = values[at + 2 + i] as number;
        if (!dialect.negativeDistributions && value < 0) continue;
        out.bytes(quantileOpen);
        if (labelled) {
          writeLabelPairs(out, openers, labelValues);
          out.bytes(quantileLabel);
        }
        out.bytes(quantileClosers[i] as Uint8Array);
        out.number(value);
        out.newline();
      }
      if (!dialect.negativeDistributions && !(sum >= 0)) continue;
      writeSumAndCount(out, sumCount, openers, labelValues, sum, count);
    }
  };
}
