// What a collect function returned, checked and turned into a family's series.
import { PromliteError } from '../errors.js';
import type { CollectedSample } from './collect.js';
import { compareLabelValues } from './labels.js';
import type { MetricContext, MetricDefinition } from './metric.js';
import type { Series, SeriesTable } from './series-table.js';
import type { ScalarSeries } from './snapshot.js';

/**
 * Turns what a collect function returned into sorted series, checking every label set and
 * value (`isValid`). Series past the series limit, and series with a label value over the
 * length limit, are dropped and counted, exactly as for `set()`; once the limit is reached
 * the rest is counted without being read, so a runaway collect costs little. A number is the
 * value of an unlabelled metric (the caller checked that it is one).
 * @throws PromliteError for anything malformed: the registry leaves the family out and counts it.
 */
export function collectedSeries(
  collected: unknown,
  isValid: (value: unknown) => boolean,
  definition: MetricDefinition,
  context: MetricContext,
  table: SeriesTable<Series>,
): ScalarSeries[] {
  const { defaultLabelValues, maxSeries, maxLabelValueLength } = context;
  const { type, name } = definition;
  const checkValue = (value: unknown): number => {
    if (!isValid(value))
      throw new PromliteError(
        'INVALID_VALUE',
        `${type} "${name}": collect returned the invalid value ${String(value)}`,
      );
    return value as number;
  };
  if (typeof collected === 'number') {
    return [{ labelValues: defaultLabelValues, value: checkValue(collected) }];
  }
  if (!Array.isArray(collected)) {
    throw new PromliteError(
      'INVALID_VALUE',
      `${type} "${name}": collect must return a number or an array of { labels, value }, got ${typeof collected}`,
    );
  }
  const samples = collected as readonly CollectedSample[];
  const seen = new Set<string>();
  const series: ScalarSeries[] = [];
  let dropped = 0;
  for (let i = 0; i < samples.length; i++) {
    if (series.length >= maxSeries) {
      dropped += samples.length - i;
      break;
    }
    const sample = samples[i];
    if (typeof sample !== 'object' || sample === null) {
      throw new PromliteError(
        'INVALID_VALUE',
        `${type} "${name}": collect returned ${sample === null ? 'null' : typeof sample} where { labels, value } belongs`,
      );
    }
    const labelValues = table.toLabelValues(sample.labels);
    const value = checkValue(sample.value);
    // JSON of the value array cannot collide the way joined strings can.
    const key = JSON.stringify(labelValues);
    if (seen.has(key))
      throw new PromliteError('INVALID_LABELS', `${type} "${name}": collect returned the label set ${key} twice`);
    seen.add(key);
    if (labelValues.some((labelValue) => labelValue.length > maxLabelValueLength)) dropped++;
    else series.push({ labelValues: [...labelValues, ...defaultLabelValues], value });
  }
  if (dropped > 0) context.onDrop(name, dropped);
  return series.sort((a, b) => compareLabelValues(a.labelValues, b.labelValues));
}
