// What families are declared with, checked before anything is stored: pure functions of the
// options given and the registry's scope (prefix and default labels).
import { PromliteError } from '../errors.js';
import type { MetricDefinition, MetricOptions, SummaryShape } from './metric.js';
import type { NativeShape } from './native-state.js';
import { assertLabelNames, assertMetricName, METRIC_NAME, validateBuckets, type MetricType } from './names.js';
import {
  checkOptions,
  integerIn,
  isFunction,
  isPositiveNumber,
  isNumberArray,
  isObject,
  isString,
  isStringArray,
  type OptionCheck,
} from '../options.js';
import { toWellFormed } from './unicode.js';

/** What a registry adds to every family it holds: the name prefix and the default labels. */
export interface DefinitionScope {
  readonly prefix: string;
  readonly defaultLabelNames: readonly string[];
}

/** Known options of each declaring method, for {@link checkMetricOptions}. */
export const METRIC_OPTION_CHECKS = {
  counter: { name: isString, help: isString, labelNames: isStringArray, collect: isFunction },
  gauge: { name: isString, help: isString, labelNames: isStringArray, collect: isFunction },
  histogram: { name: isString, help: isString, labelNames: isStringArray, buckets: isNumberArray, native: isObject },
  info: { name: isString, help: isString, labels: isObject },
  stateset: { name: isString, help: isString, labelNames: isStringArray, states: isStringArray },
  summary: {
    name: isString,
    help: isString,
    labelNames: isStringArray,
    percentiles: isNumberArray,
    maxAgeSeconds: isPositiveNumber,
    ageBuckets: integerIn(1, 1000),
  },
} as const satisfies Record<MetricType, Readonly<Record<string, OptionCheck>>>;

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
export function defineMetric(
  type: MetricType,
  shape: MetricOptions,
  scope: DefinitionScope,
  buckets: readonly number[] = [],
  summary: SummaryShape | undefined = undefined,
  native: NativeShape | undefined = undefined,
): MetricDefinition {
  if (typeof shape !== 'object' || shape === null) {
    throw new PromliteError('INVALID_OPTIONS', `${type}: options must be an object with name and help`);
  }
  const name = typeof shape.name === 'string' ? scope.prefix + shape.name : shape.name;
  // A prefix must not make a name valid that is not one on its own ('' or '1abc' after 'app_').
  if (scope.prefix !== '' && typeof shape.name === 'string' && !METRIC_NAME.test(shape.name)) {
    throw new PromliteError(
      'INVALID_NAME',
      `${type} ${JSON.stringify(shape.name)} (prefix "${scope.prefix}"): a metric name must match [a-zA-Z_:][a-zA-Z0-9_:]* before the prefix too`,
    );
  }
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
      throw new PromliteError(
        'INVALID_LABELS',
        `${type} "${name}": label "${label}" is already a default label of the registry`,
      );
    }
  }
  // Checks the declared names, and the default ones against this type (`le` on a histogram).
  const exposedLabelNames = [...labelNames, ...scope.defaultLabelNames];
  assertLabelNames(name, type, exposedLabelNames);
  // A native histogram without classic buckets has only the `+Inf` one.
  if (type === 'histogram' && !(native !== undefined && Array.isArray(buckets) && buckets.length === 0)) {
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
    summary,
    native,
  });
}

/**
 * Says how `next` differs from what is registered under its name — `"type histogram"`,
 * `"label names [a, b]"`… — or `undefined` when it declares the same family. Pure.
 */
export function differenceBetween(
  existing: {
    readonly type: MetricType;
    readonly help: string;
    readonly labelNames: readonly string[];
    readonly upperBounds?: readonly number[];
    /** A summary's window, as `summaryWindow` describes it. */
    readonly window?: string;
    /** A histogram's native shape, when it has one. */
    readonly native?: NativeShape | undefined;
  },
  next: MetricDefinition,
): string | undefined {
  if (existing.type !== next.type) return `type ${existing.type}`;
  if (existing.help !== next.help) return `a different help text (${JSON.stringify(existing.help)})`;
  // Validated label names hold no comma, so joining them compares them exactly.
  if (existing.labelNames.join(',') !== next.labelNames.join(','))
    return `label names [${existing.labelNames.join(', ')}]`;
  const bounds = existing.type === 'histogram' ? (existing.upperBounds ?? []) : [];
  if (bounds.join(',') !== next.upperBounds.join(',')) return `buckets [${bounds.join(', ')}]`;
  if (existing.type === 'histogram' && nativeWords(existing.native) !== nativeWords(next.native))
    return nativeWords(existing.native);
  if (existing.type === 'summary' && existing.window !== summaryWindow(next.summary)) return existing.window;
  return undefined;
}

/** What makes two histograms' native buckets the same, said for an error message. */
function nativeWords(shape: NativeShape | undefined): string {
  if (shape === undefined) return 'no native buckets';
  return `native schema ${shape.schema}, maxBuckets ${shape.maxBuckets}, zeroThreshold ${shape.zeroThreshold}`;
}

/** What makes two summaries' windows the same, said for an error message. */
export function summaryWindow(shape: SummaryShape | undefined): string {
  if (shape === undefined) return 'no window';
  const quantiles = shape.targets.map((target) => target.quantile).join(', ');
  return `percentiles [${quantiles}], maxAgeSeconds ${shape.maxAgeMs / 1000}, ageBuckets ${shape.ageBuckets}`;
}

/** Fields of `Registry.buildInfo`: each becomes a label of `<prefix>build_info`. */
export interface BuildInfo {
  readonly version: string;
  readonly commit?: string | undefined;
  /** Default `process.version`; give `undefined` explicitly to leave the label out. */
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
 * The info family `Registry.buildInfo` declares: `build_info`, with `node_version` defaulted
 * unless the caller wrote `node_version: undefined` (a contract without it).
 */
export function buildInfoOptions(prefix: string, info: BuildInfo): InfoOptions {
  const fields = Object.hasOwn(info, 'node_version') ? info : { ...info, node_version: process.version };
  const labels = infoLabels(`info "${prefix}build_info"`, fields);
  return { name: 'build_info', help: 'Build information; the value is always 1.', labels };
}

/**
 * Returns `fields` as the labels of an info family, leaving out undefined ones.
 * @throws PromliteError `INVALID_LABELS` naming `owner` and the field that is not a string.
 */
export function infoLabels(owner: string, fields: Readonly<Record<string, unknown>>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [label, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value !== 'string')
      throw new PromliteError('INVALID_LABELS', `${owner}: field "${label}" must be a string, got ${typeof value}`);
    labels[label] = value;
  }
  return labels;
}
