import type { Buffer } from 'node:buffer';
import { escapeHelp } from './escape.js';
import { exposeChunks, exposeString, type Dialect } from './write.js';
import { formatBound } from './format-number.js';
import type { RenderBuffer } from './render-buffer.js';
import type { FamilySnapshot, RegistrySnapshot } from '../core/snapshot.js';

/** The Content-Type of what {@link render} writes. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const TEXT: Dialect = {
  // In text 0.0.4 every name is written as declared (a counter's `_total` included, or not), and
  // info and state sets, which the format lacks, are gauges (as the Go and Python clients write them).
  names: 'text',
  header: (family) => `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${textType(family)}\n`,
  formatBound,
  trailer: '',
  negativeDistributions: true,
  // Text 0.0.4 has no exemplar syntax: Prometheus' parser fails the whole scrape on one.
  exemplars: false,
};

function textType(family: FamilySnapshot): 'counter' | 'gauge' | 'histogram' | 'summary' {
  return family.type === 'info' || family.type === 'stateset' ? 'gauge' : family.type;
}

/**
 * Writes a snapshot in the Prometheus text exposition format 0.0.4. Pure: no clock, no I/O,
 * no mutation; the same snapshot always gives the same string. Families are written in the
 * order given, each as HELP, TYPE, then its samples; a family without series is left out.
 */
export function render(snapshot: RegistrySnapshot): string {
  return exposeString(snapshot, TEXT);
}

/**
 * {@link render} in pieces of about `chunkSize` bytes, cut between series, for sending
 * without holding the whole body or blocking the event loop for long. Pure. With `buffer`, the
 * pieces are written one after another into its memory (grown to hold them all) instead of
 * fresh memory each: they stay valid until the next render into the same {@link RenderBuffer}.
 * @throws PromliteError `INVALID_OPTIONS` when `chunkSize` is not a positive integer or `Infinity`.
 */
export function renderChunks(
  snapshot: RegistrySnapshot,
  chunkSize = 64 * 1024,
  buffer?: RenderBuffer,
): Generator<Buffer, void, undefined> {
  return exposeChunks(snapshot, TEXT, chunkSize, buffer);
}
