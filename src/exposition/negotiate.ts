import type { ExpositionFormat } from './formats.js';

interface MediaRange {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
  readonly q: number;
  readonly position: number;
}

/**
 * Picks the format to answer with from an `Accept` header, honouring q-values: OpenMetrics when
 * the client prefers `application/openmetrics-text` (version 1.0.0, 0.0.1 or none), protobuf
 * when it names `application/vnd.google.protobuf` with `proto=io.prometheus.client.MetricFamily`
 * and `encoding=delimited` and prefers it (never through a wildcard: a Prometheus without native
 * histograms enabled fails the whole scrape on protobuf), text 0.0.4 otherwise — including for
 * `*` wildcards, no header, or a header naming nothing we write. A media range is matched by its
 * most specific entry (RFC 9110 §12.5.1); one with an invalid `q` is ignored; equal preference
 * goes to the one listed first. Pure; never throws.
 */
export function negotiateFormat(
  accept: string | undefined,
  openMetricsEnabled = true,
  protobufEnabled = true,
): ExpositionFormat {
  if (accept === undefined || accept === '' || !(openMetricsEnabled || protobufEnabled)) return 'text';
  const ranges = parseAccept(accept);
  let best: ExpositionFormat = 'text';
  let bestRange = bestMatch(ranges, 'text/plain', ['0.0.4']);
  const consider = (format: ExpositionFormat, range: MediaRange | undefined) => {
    if (range === undefined || range.q === 0) return;
    const better =
      bestRange === undefined ||
      bestRange.q === 0 ||
      range.q > bestRange.q ||
      (range.q === bestRange.q && range.position < bestRange.position);
    if (better) {
      best = format;
      bestRange = range;
    }
  };
  if (openMetricsEnabled)
    consider('openmetrics', bestMatch(ranges, 'application/openmetrics-text', ['1.0.0', '0.0.1']));
  if (protobufEnabled) consider('protobuf', protobufRange(ranges));
  return best;
}

/** The entry that asks for delimited MetricFamily messages by name, with its own parameters. */
function protobufRange(ranges: readonly MediaRange[]): MediaRange | undefined {
  let best: MediaRange | undefined;
  for (const range of ranges) {
    if (range.type !== 'application/vnd.google.protobuf') continue;
    if (range.params.get('proto') !== 'io.prometheus.client.MetricFamily') continue;
    if (range.params.get('encoding') !== 'delimited') continue;
    if (best === undefined || range.q > best.q) best = range;
  }
  return best;
}

/**
 * Whether `Accept-Encoding` allows gzip (a `gzip` or `*` entry with q > 0, the former deciding;
 * entries with an invalid `q` ignored). Pure.
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  let gzip: number | undefined;
  let wildcard: number | undefined;
  for (const part of acceptEncoding.split(',')) {
    const [coding = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = qValue(params);
    if (q === undefined) continue;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = Math.max(gzip ?? 0, q);
    else if (coding === '*') wildcard = q;
  }
  return (gzip ?? wildcard ?? 0) > 0;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  accept.split(',').forEach((part, position) => {
    const [type = '', ...rawParams] = part.split(';').map((piece) => piece.trim());
    if (!type.includes('/')) return;
    const params = new Map<string, string>();
    for (const param of rawParams) {
      const equals = param.indexOf('=');
      if (equals > 0)
        params.set(
          param.slice(0, equals).trim().toLowerCase(),
          param
            .slice(equals + 1)
            .trim()
            .replace(/^"|"$/g, ''),
        );
    }
    const q = qValue(rawParams.map((p) => p.toLowerCase()));
    if (q !== undefined) ranges.push({ type: type.toLowerCase(), params, q, position });
  });
  return ranges;
}

/** The q of the most specific range that matches `type` with one of `versions` (or no version). */
function bestMatch(ranges: readonly MediaRange[], type: string, versions: readonly string[]): MediaRange | undefined {
  const [major] = type.split('/');
  let best: MediaRange | undefined;
  let bestSpecificity = -1;
  for (const range of ranges) {
    let specificity: number;
    if (range.type === type) {
      const version = range.params.get('version');
      if (version !== undefined && !versions.includes(version)) continue;
      specificity = version === undefined ? 2 : 3;
    } else if (range.type === `${major}/*`) specificity = 1;
    else if (range.type === '*/*' && type === 'text/plain')
      specificity = 0; // */* means text, as for curl and browsers
    else continue;
    if (specificity > bestSpecificity || (specificity === bestSpecificity && best !== undefined && range.q > best.q)) {
      best = range;
      bestSpecificity = specificity;
    }
  }
  return best;
}

/**
 * The weight of a media range or coding: 1 without a `q` parameter, `undefined` for a `q`
 * outside RFC 9110 §12.4.2's grammar (`q=-1`, `q=7`, `q=abc`, `q=1.5`). The caller drops such
 * an entry, as if absent: reading it as 1 would let garbage win, reading it as 0 would let it
 * refuse what a less specific range accepts.
 */
function qValue(params: readonly string[]): number | undefined {
  for (const param of params) {
    const match = /^q\s*=\s*(.*)$/.exec(param);
    if (match) return QVALUE.test(match[1] as string) ? Number(match[1]) : undefined;
  }
  return 1;
}

/** `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )` (RFC 9110 §12.4.2). */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
