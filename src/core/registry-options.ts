import { safeClock } from '../callbacks.js';
import { PromliteError } from '../errors.js';
import { checkOptions, integerIn, isFunction, isObject, isString } from '../options.js';
import type { DefinitionScope } from './definition.js';
import { assertLabelNames, METRIC_NAME } from './names.js';
import { toWellFormed } from './unicode.js';

/** Options of a `Registry`; `{}` gives sensible defaults. */
export interface RegistryOptions {
  /** Prepended to every metric name of this registry, e.g. `"myapp_"`. Default `""`. */
  readonly prefix?: string;
  /** Labels added to every series of every family, e.g. `{ service: "billing" }`. `le` is refused. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /**
   * Most series one metric may hold (default 10,000). An update that would create one more is
   * dropped and counted in `<prefix>promlite_series_dropped_total{metric}`.
   */
  readonly maxSeriesPerMetric?: number;
  /**
   * Longest label value, in UTF-16 units, that may create a series (default 1,024); longer ones
   * are dropped and counted likewise.
   */
  readonly maxLabelValueLength?: number;
  /** Called when a collect function or collector fails, after the failure was counted. */
  readonly onCollectError?: (error: unknown, metric: string) => void;
  /** Wall clock in milliseconds since the epoch, for `observeJob`'s last-success time. Default `Date.now`. */
  readonly now?: () => number;
}

/** {@link RegistryOptions} checked, with their defaults filled in. */
export interface RegistrySettings {
  readonly scope: DefinitionScope;
  readonly defaultLabelValues: readonly string[];
  readonly maxSeries: number;
  readonly maxLabelValueLength: number;
  readonly onCollectError: ((error: unknown, metric: string) => void) | undefined;
  /** The `now` option made safe (see `safeClock`), or `Date.now`. */
  readonly now: () => number;
}

/**
 * Checks a registry's options and fills in the defaults.
 * @throws PromliteError `INVALID_OPTIONS` (unknown or wrongly typed option, bad prefix) or
 *   `INVALID_NAME` / `INVALID_LABELS` (default labels).
 */
export function resolveRegistryOptions(options: RegistryOptions): RegistrySettings {
  checkOptions('registry', options, {
    prefix: isString,
    defaultLabels: isObject,
    maxSeriesPerMetric: integerIn(1, Number.MAX_SAFE_INTEGER),
    maxLabelValueLength: integerIn(1, Number.MAX_SAFE_INTEGER),
    onCollectError: isFunction,
    now: isFunction,
  });
  const { prefix = '', defaultLabels = {}, maxSeriesPerMetric = 10_000, maxLabelValueLength = 1024 } = options;
  assertPrefix(prefix);
  const defaults = checkDefaultLabels(defaultLabels);
  return {
    scope: { prefix, defaultLabelNames: defaults.names },
    defaultLabelValues: defaults.values,
    maxSeries: maxSeriesPerMetric,
    maxLabelValueLength,
    onCollectError: options.onCollectError,
    now: options.now === undefined ? Date.now : safeClock(options.now),
  };
}

/**
 * Refuses a prefix that could not begin a metric name. `""` (no prefix) is fine.
 * @throws PromliteError `INVALID_OPTIONS`, quoting the prefix.
 */
export function assertPrefix(prefix: unknown, owner = 'registry'): asserts prefix is string {
  if (typeof prefix !== 'string' || (prefix !== '' && !METRIC_NAME.test(prefix))) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `${owner}: prefix ${JSON.stringify(prefix)} must match [a-zA-Z_:][a-zA-Z0-9_:]*`,
    );
  }
}

/**
 * Checks a registry's default labels and returns their names and (well-formed) values, frozen.
 * `le` is refused here, once, rather than on the first histogram: default labels go on every family.
 * @throws PromliteError `INVALID_LABELS` naming the label.
 */
export function checkDefaultLabels(defaultLabels: Readonly<Record<string, string>>): {
  names: readonly string[];
  values: readonly string[];
} {
  const names = Object.keys(defaultLabels);
  assertLabelNames('registry default labels', 'counter', names);
  if (names.includes('le')) {
    throw new PromliteError(
      'INVALID_LABELS',
      'registry: default label "le" is reserved for histogram bucket upper bounds, and default labels go on every family',
    );
  }
  const values = names.map((name) => {
    const value: unknown = defaultLabels[name];
    if (typeof value !== 'string') {
      throw new PromliteError(
        'INVALID_LABELS',
        `registry: default label "${name}" must be a string, got ${typeof value}`,
      );
    }
    return toWellFormed(value);
  });
  return { names: Object.freeze(names), values: Object.freeze(values) };
}
