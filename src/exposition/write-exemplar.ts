import type { ByteWriter } from './byte-writer.js';
import { escapeLabelValue } from './escape.js';
import { formatValue } from './format-number.js';
import type { Exemplar } from '../core/snapshot.js';

/**
 * Appends an OpenMetrics exemplar after a sample's value: ` # {trace_id="…"} value timestamp`,
 * the timestamp in seconds. Only OpenMetrics has this syntax: text 0.0.4's parser fails the whole
 * scrape on it. Internal to the renderers.
 */
export function writeExemplar(out: ByteWriter, exemplar: Exemplar): void {
  let pairs = '';
  for (const [name, value] of Object.entries(exemplar.labels)) {
    pairs += `${pairs === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  out.text(` # {${pairs}} ${formatValue(exemplar.value)} ${formatValue(exemplar.timestampMs / 1000)}`);
}
