// What a registry and its families are declared with, checked before anything is stored: pure
// functions of the options given and the registry's scope (prefix and default labels).
import { safeClock } from '../callbacks.js';
import { PromliteError } from '../errors.js';
import type { MetricDefinition } from './metric.js';
import { assertLabelNames, assertMetricName, METRIC_NAME, validateBuckets, type MetricType } from './names.js';
import { checkOptions, integerIn, isFunction, isNumberArray, isObject, isString, isStringArray, type OptionCheck } from '../options.js';
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
  /** Longest label value, in UTF-16 units, that may create a series (default 1,024); longer ones are dropped and counted likewise. */
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

/** What a registry adds to every family it holds: the name prefix and the default labels. */
export interface DefinitionScope {
  readonly prefix: string;
  readonly defaultLabelNames: readonly string[];
}

/** What a metric's options say about its shape, before the registry's scope is applied. */
export interface DeclaredShape {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

/** Known options of each declaring method, for {@link checkMetricOptions}. */
export const METRIC_OPTION_CHECKS = {
  counter: { name: isString, help: isString, labelNames: isStringArray, collect: isFunction },
  gauge: { name: isString, help: isString, labelNames: isStringArray, collect: isFunction },
  histogram: { name: isString, help: isString, labelNames: isStringArray, buckets: isNumberArray },
  info: { name: isString, help: isString, labels: isObject },
  stateset: { name: isString, help: isString, labelNames: isStringArray, states: isStringArray },
} as const satisfies Record<MetricType, Readonly<Record<string, OptionCheck>>>;

/**
 * Refuses a prefix that could not begin a metric name. `""` (no prefix) is fine.
 * @throws PromliteError `INVALID_OPTIONS`, quoting the prefix.
 */
export function assertPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string' || (prefix !== '' && !METRIC_NAME.test(prefix))) {
    throw new PromliteError('INVALID_OPTIONS', `registry: prefix ${JSON.stringify(prefix)} must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
  }
}

/**
 * Checks a registry's default labels and returns their names and (well-formed) values, frozen.
 * `le` is refused here, once, rather than on the first histogram: default labels go on every family.
 * @throws PromliteError `INVALID_LABELS` naming the label.
 */
export function checkDefaultLabels(defaultLabels: Readonly<Record<string, string>>): { names: readonly string[]; values: readonly string[] } {
  const names = Object.keys(defaultLabels);
  assertLabelNames('registry default labels', 'counter', names);
  if (names.includes('le')) {
    throw new PromliteError('INVALID_LABELS', 'registry: default label "le" is reserved for histogram bucket upper bounds, and default labels go on every family');
  }
  const values = names.map((name) => {
    const value: unknown = defaultLabels[name];
    if (typeof value !== 'string') {
      throw new PromliteError('INVALID_LABELS', `registry: default label "${name}" must be a string, got ${typeof value}`);
    }
    return toWellFormed(value);
  });
  return { names: Object.freeze(names), values: Object.freeze(values) };
}

/**
 * Refuses unknown keys and wrongly typed values in a metric's options, naming the metric.
 * @throws PromliteError `INVALID_OPTIONS`.
 */
export function checkMetricOptions(type: MetricType, prefix: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new PromliteError('INVALID_OPTIONS', `${type}: options must be an object with name and help`);
  }
  const name: unknown = (options as { name?: unknown }).name;
  checkOptions(typeof name === 'string' ? `${type} "${prefix}${name}"` : type, options, METRIC_OPTION_CHECKS[type]);
}

/**
 * Builds the frozen definition of a family: the full name (prefix included), help, declared
 * and exposed label names, and upper bounds (histograms; `[]` otherwise). Pure; copies `buckets`.
 * @throws PromliteError `INVALID_OPTIONS` (help), `INVALID_NAME`, `INVALID_LABELS` (also for a
 *   declared label that is a default label), `INVALID_BUCKETS`.
 */
export function defineMetric(type: MetricType, shape: DeclaredShape, scope: DefinitionScope, buckets: readonly number[] = []): MetricDefinition {
  if (typeof shape !== 'object' || shape === null) {
    throw new PromliteError('INVALID_OPTIONS', `${type}: options must be an object with name and help`);
  }
  const name = typeof shape.name === 'string' ? scope.prefix + shape.name : shape.name;
  assertMetricName(name, type);
  if (typeof shape.help !== 'string' || shape.help === '') {
    throw new PromliteError('INVALID_OPTIONS', `${type} "${name}": help must be a non-empty string`);
  }
  const labelNames = shape.labelNames ?? [];
  if (!Array.isArray(labelNames)) {
    throw new PromliteError('INVALID_LABELS', `${type} "${name}": labelNames must be an array of strings`);
  }
  for (const label of labelNames) {
    if (scope.defaultLabelNames.includes(label)) {
      throw new PromliteError('INVALID_LABELS', `${type} "${name}": label "${label}" is already a default label of the registry`);
    }
  }
  // Checks the declared names, and the default ones against this type (`le` on a histogram).
  const exposedLabelNames = [...labelNames, ...scope.defaultLabelNames];
  assertLabelNames(name, type, exposedLabelNames);
  if (type === 'histogram') {
    const problem = Array.isArray(buckets) ? validateBuckets(buckets) : 'buckets must be an array of numbers';
    if (problem !== undefined) throw new PromliteError('INVALID_BUCKETS', `histogram "${name}": ${problem}`);
  }
  return Object.freeze({
    type,
    name,
    help: toWellFormed(shape.help),
    labelNames: Object.freeze([...labelNames]),
    exposedLabelNames: Object.freeze(exposedLabelNames),
    upperBounds: Object.freeze([...buckets]),
  });
}

/**
 * Says how `next` differs from what is registered under its name — `"type histogram"`,
 * `"label names [a, b]"`… — or `undefined` when it declares the same family. Pure.
 */
export function differenceBetween(
  existing: { readonly type: MetricType; readonly help: string; readonly labelNames: readonly string[]; readonly upperBounds?: readonly number[] },
  next: MetricDefinition,
): string | undefined {
  if (existing.type !== next.type) return `type ${existing.type}`;
  if (existing.help !== next.help) return `a different help text (${JSON.stringify(existing.help)})`;
  // Validated label names hold no comma, so joining them compares them exactly.
  if (existing.labelNames.join(',') !== next.labelNames.join(',')) return `label names [${existing.labelNames.join(', ')}]`;
  const bounds = existing.type === 'histogram' ? (existing.upperBounds ?? []) : [];
  if (bounds.join(',') !== next.upperBounds.join(',')) return `buckets [${bounds.join(', ')}]`;
  return undefined;
}

/** Fields of `Registry.buildInfo`: each becomes a label of `<prefix>build_info`. */
export interface BuildInfo {
  readonly version: string;
  readonly commit?: string | undefined;
  /** Default `process.version`. */
  readonly node_version?: string | undefined;
  readonly [label: string]: string | undefined;
}

/** How to declare an info family with `Registry.info`: `name` ends in `_info`; `labels` are its facts. */
export interface InfoOptions {
  readonly name: string;
  readonly help: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Returns `fields` as the labels of an info family, leaving out undefined ones.
 * @throws PromliteError `INVALID_LABELS` naming `owner` and the field that is not a string.
 */
export function infoLabels(owner: string, fields: Readonly<Record<string, unknown>>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [label, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new PromliteError('INVALID_LABELS', `${owner}: field "${label}" must be a string, got ${typeof value}`);
    labels[label] = value;
  }
  return labels;
}
