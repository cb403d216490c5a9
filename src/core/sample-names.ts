// The one place that knows which names a family occupies in an exposition: the suffixes the
// formats give its samples, and the name each format gives the family itself.
import type { MetricType } from './names.js';

/** The suffix OpenMetrics gives every counter sample (and text 0.0.4 expects by convention). */
export const COUNTER_SUFFIX = '_total';
/** The suffix every info family's name (and so its one sample) ends in. */
export const INFO_SUFFIX = '_info';
/** The suffixes of a histogram's samples, in the order they are written. */
export const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;
/** The samples of a summary: its quantiles under its own name, then these. */
export const SUMMARY_SUFFIXES = ['', '_sum', '_count'] as const;

/** The two text formats, as far as names go. */
export type NameFormat = 'text' | 'openmetrics';

/** The names one family uses in an exposition. */
export interface FamilyNames {
  /** The name in HELP and TYPE. */
  readonly family: string;
  /** Its sample names: one, or for a histogram `_bucket`, `_sum` and `_count`. */
  readonly samples: readonly string[];
}

/**
 * Returns the family name and sample names of a family of `type` named `name` (full name,
 * prefix included, valid for `type`) in `format`. Text 0.0.4 uses the name as declared,
 * everywhere. OpenMetrics names a counter family without `_total` and its sample with it —
 * also for a counter declared without `_total` (`http_requests_success` → sample
 * `http_requests_success_total`) — and an info family without `_info`. Pure; never throws.
 * @example
 * sampleNames('counter', 'jobs_total', 'openmetrics'); // { family: 'jobs', samples: ['jobs_total'] }
 * sampleNames('counter', 'jobs_done', 'openmetrics');  // { family: 'jobs_done', samples: ['jobs_done_total'] }
 * sampleNames('counter', 'jobs_done', 'text');         // { family: 'jobs_done', samples: ['jobs_done'] }
 */
export function sampleNames(type: MetricType, name: string, format: NameFormat): FamilyNames {
  switch (type) {
    case 'counter': {
      if (format === 'text') return { family: name, samples: [name] };
      const base = name.endsWith(COUNTER_SUFFIX) ? name.slice(0, -COUNTER_SUFFIX.length) : name;
      return { family: base, samples: [base + COUNTER_SUFFIX] };
    }
    case 'info':
      return { family: format === 'text' ? name : name.slice(0, -INFO_SUFFIX.length), samples: [name] };
    case 'gauge':
    case 'stateset':
      return { family: name, samples: [name] };
    case 'histogram':
      return { family: name, samples: HISTOGRAM_SUFFIXES.map((suffix) => name + suffix) };
    case 'summary':
      return { family: name, samples: SUMMARY_SUFFIXES.map((suffix) => name + suffix) };
    default:
      return type satisfies never;
  }
}

/**
 * Every name a family occupies in either format, its own first: its full name, its family
 * names and its sample names, each once. Two families that share one would write lines a
 * scraper cannot tell apart (a counter `jobs` and a gauge `jobs_total` both write `jobs_total`
 * in OpenMetrics). Pure.
 */
export function occupiedNames(type: MetricType, name: string): string[] {
  const text = sampleNames(type, name, 'text');
  const openMetrics = sampleNames(type, name, 'openmetrics');
  return [...new Set([name, text.family, ...text.samples, openMetrics.family, ...openMetrics.samples])];
}
