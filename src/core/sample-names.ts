// The one place that knows which names a family occupies in an exposition: the suffixes the
// formats give its samples, and the shorter name OpenMetrics gives the family itself.
import type { MetricType } from './names.js';

/** The suffix every counter's name (and so its one sample) ends in. */
export const COUNTER_SUFFIX = '_total';
/** The suffix every info family's name (and so its one sample) ends in. */
export const INFO_SUFFIX = '_info';
/** The suffixes of a histogram's samples, in the order they are written. */
export const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;

/** The names one family uses in an exposition. */
export interface FamilyNames {
  /**
   * The name OpenMetrics gives the family in HELP and TYPE: the full name without `_total`
   * (counters) or `_info` (info). Text 0.0.4 uses the full name.
   */
  readonly family: string;
  /** Its sample names: the full name itself, or for a histogram `_bucket`, `_sum` and `_count`. */
  readonly samples: readonly string[];
}

/**
 * Returns the family name and sample names of a family of `type` named `name` (full name,
 * prefix included, already valid for `type`: counters end in `_total`, info in `_info`).
 * Pure; never throws.
 * @example
 * sampleNames('counter', 'jobs_total');   // { family: 'jobs', samples: ['jobs_total'] }
 * sampleNames('histogram', 'latency');
 * // { family: 'latency', samples: ['latency_bucket', 'latency_sum', 'latency_count'] }
 */
export function sampleNames(type: MetricType, name: string): FamilyNames {
  switch (type) {
    case 'counter':
      return { family: name.slice(0, -COUNTER_SUFFIX.length), samples: [name] };
    case 'info':
      return { family: name.slice(0, -INFO_SUFFIX.length), samples: [name] };
    case 'gauge':
    case 'stateset':
      return { family: name, samples: [name] };
    case 'histogram':
      return { family: name, samples: HISTOGRAM_SUFFIXES.map((suffix) => name + suffix) };
    default:
      return type satisfies never;
  }
}

/**
 * Every name a family occupies, its own first: its full name, its OpenMetrics family name and
 * its sample names, each once. Two families that share one would write lines a scraper cannot
 * tell apart. Pure.
 */
export function occupiedNames(type: MetricType, name: string): string[] {
  const { family, samples } = sampleNames(type, name);
  return [...new Set([name, family, ...samples])];
}
