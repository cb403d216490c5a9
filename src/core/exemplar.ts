// Exemplars: a label set (a trace id) attached to the latest increment of a counter series or
// the latest observation in a histogram bucket, with its value and time.
import { PromliteError } from '../errors.js';
import { describeValue } from '../options.js';
import { LABEL_NAME } from './names.js';
import type { Exemplar } from './snapshot.js';
import { toWellFormed } from './unicode.js';

/** An exemplar's labels, e.g. `{ trace_id: '4bf92f3577b34da6' }`. */
export type ExemplarLabels = Readonly<Record<string, string>>;

/** OpenMetrics: the names and values of an exemplar's label set, together, in UTF-8 characters. */
export const MAX_EXEMPLAR_CHARS = 128;

/**
 * Makes the exemplar of one update, or returns `undefined` for a label set longer than 128
 * characters (OpenMetrics' limit: refused, never cut into another label set; the caller counts it).
 * The labels are copied. Not on the hot path: only updates that carry an exemplar come here.
 * @throws PromliteError `INVALID_LABELS` for labels that are not an object of strings under valid names.
 */
export function makeExemplar(
  type: 'counter' | 'histogram',
  metric: string,
  labels: unknown,
  value: number,
  timestampMs: number,
): Exemplar | undefined {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new PromliteError(
      'INVALID_LABELS',
      `${type} "${metric}": exemplar labels must be an object of strings, got ${describeValue(labels)}`,
    );
  }
  let chars = 0;
  const copy: Record<string, string> = {};
  for (const [name, text] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name) || typeof text !== 'string') {
      throw new PromliteError(
        'INVALID_LABELS',
        `${type} "${metric}": exemplar label ${JSON.stringify(name)} must be a valid label name with a string value, got ${describeValue(text)}`,
      );
    }
    const wellFormed = toWellFormed(text);
    // Code points, not UTF-16 units: an emoji is one character.
    for (const _ of name) chars++;
    for (const _ of wellFormed) chars++;
    copy[name] = wellFormed;
  }
  if (chars > MAX_EXEMPLAR_CHARS) return undefined;
  return { labels: Object.freeze(copy), value, timestampMs };
}
