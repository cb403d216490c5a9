import type { Buffer } from 'node:buffer';
import { escapeHelp } from './escape.js';
import { writeExposition, type Dialect } from './exposition.js';
import { formatBound } from './format-number.js';
import type { RegistrySnapshot } from './snapshot.js';

/** The Content-Type of what {@link render} writes. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const TEXT: Dialect = {
  // In text 0.0.4 a counter's family is named like its sample, `_total` included.
  header: (family) => `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`,
  formatBound,
  trailer: '',
  sumWithNegativeBuckets: true,
};

/**
 * Writes a snapshot in the Prometheus text exposition format 0.0.4. Pure: no clock, no I/O,
 * no mutation; the same snapshot always gives the same string. Families are written in the
 * order given, each as HELP, TYPE, then its samples; a family without series is left out.
 */
export function render(snapshot: RegistrySnapshot): string {
  return writeExposition(snapshot, TEXT).toString();
}

/** {@link render} as UTF-8 bytes, ready to send: skips building the string. Pure. */
export function renderBytes(snapshot: RegistrySnapshot): Buffer {
  return writeExposition(snapshot, TEXT).result();
}
