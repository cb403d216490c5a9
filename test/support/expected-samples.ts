// The samples a consumer should read back from a registry, worked out from what the test did to
// it, never by promlite's own code. Counter, gauge, info and state-set values are taken from the
// snapshot, where they sit as the test set them. Everything promlite derives from observations —
// histogram buckets (cumulative), `_sum`, `_count` — and the spelling of `le` is recomputed here,
// by simpler code, from the values the test says it observed.
import type { RegistrySnapshot } from '../../src/index.js';
import type { ParsedSample } from './text-parser.js';

export type Format = 'text' | 'openmetrics';

/** One histogram series as the test made it. */
export interface ObservedSeries {
  /** The family name as exposed, prefix included. */
  readonly name: string;
  /** Every label as exposed, default labels included (see {@link wellFormed} for odd strings). */
  readonly labels: Readonly<Record<string, string>>;
  /** The upper bounds the histogram was declared with, or the defaults it was left with. */
  readonly upperBounds: readonly number[];
  /** Every value observed, in order. */
  readonly values: readonly number[];
}

/** The Go client's `DefBuckets`, which promlite's histograms default to. */
export const GO_DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `job_duration_seconds`'s upper bounds, as documented: 0.1 s to 1 h. */
export const JOB_BUCKETS: readonly number[] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/**
 * The samples `snapshot` should read back as, in its order. Every histogram series in it must be
 * among `observed`, and every one of `observed` in it: a series the library made up or lost
 * fails here, before any comparison.
 */
export function expectedSamples(
  snapshot: RegistrySnapshot,
  observed: readonly ObservedSeries[],
  format: Format = 'text',
): ParsedSample[] {
  const unclaimed = new Map(observed.map((series) => [seriesKey(series.name, series.labels), series]));
  if (unclaimed.size !== observed.length) throw new Error('expectedSamples: a series is listed twice in observed');
  const samples: ParsedSample[] = [];
  for (const family of snapshot.families) {
    const labelsOf = (values: readonly string[]) =>
      Object.fromEntries(family.labelNames.map((name, i) => [name, values[i] as string]));
    if (family.type === 'histogram') {
      for (const series of family.series) {
        const key = seriesKey(family.name, labelsOf(series.labelValues));
        const made = unclaimed.get(key);
        if (made === undefined)
          throw new Error(`expectedSamples: ${key} is exported, but the test listed no observations for it`);
        unclaimed.delete(key);
        samples.push(...histogramSamples(made, format));
      }
    } else if (family.type === 'summary') {
      // Quantile values come from the snapshot: a summary's estimates are the library's to make.
      const spell = format === 'text' ? goFloat : openMetricsFloat;
      for (const series of family.series) {
        const labels = labelsOf(series.labelValues);
        // OpenMetrics leaves out negative quantiles, and a negative or NaN sum with its count.
        const openMetrics = format === 'openmetrics';
        family.quantiles.forEach((quantile, i) => {
          const value = series.quantileValues[i] as number;
          if (!(openMetrics && value < 0))
            samples.push({ name: family.name, labels: { ...labels, quantile: spell(quantile) }, value });
        });
        if (openMetrics && !(series.sum >= 0)) continue;
        samples.push({ name: `${family.name}_sum`, labels, value: series.sum });
        samples.push({ name: `${family.name}_count`, labels, value: series.count });
      }
    } else {
      for (const series of family.series) {
        // prometheus_client's OpenMetrics parser reads "-0" with int(), which has no negative zero.
        const value = format === 'openmetrics' && Object.is(series.value, -0) ? 0 : series.value;
        // OpenMetrics gives every counter sample `_total`, also a counter declared without it.
        const name =
          format === 'openmetrics' && family.type === 'counter' && !family.name.endsWith('_total')
            ? `${family.name}_total`
            : family.name;
        samples.push({ name, labels: labelsOf(series.labelValues), value });
      }
    }
  }
  if (unclaimed.size > 0)
    throw new Error(`expectedSamples: observed but not exported: ${[...unclaimed.keys()].join(', ')}`);
  return samples;
}

/** A histogram series' samples: one bucket per bound counting the values at or below it, then `+Inf`, `_sum`, `_count`. */
function histogramSamples({ name, labels, upperBounds, values }: ObservedSeries, format: Format): ParsedSample[] {
  const spell = format === 'text' ? goFloat : openMetricsFloat;
  const samples: ParsedSample[] = upperBounds.map((bound) => ({
    name: `${name}_bucket`,
    labels: { ...labels, le: spell(bound) },
    value: values.filter((value) => value <= bound).length,
  }));
  samples.push({ name: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: values.length });
  // OpenMetrics: a sum over negative observations is no counter, so it is left out, and the count with it.
  const sum = values.reduce((total, value) => total + value, 0);
  if (format === 'openmetrics' && (upperBounds.some((bound) => bound < 0) || !(sum >= 0))) return samples;
  samples.push({ name: `${name}_sum`, labels, value: sum });
  samples.push({ name: `${name}_count`, labels, value: values.length });
  return samples;
}

/**
 * What is wrong with a histogram whose observations the test cannot know (garbage-collection
 * pauses): per series, the buckets must be the declared bounds spelled as Go spells them, then
 * `+Inf`, counting up, with `+Inf` equal to `_count`. Returns [] when nothing is.
 */
export function histogramShapeProblems(
  samples: readonly ParsedSample[],
  name: string,
  upperBounds: readonly number[],
  format: Format = 'text',
): string[] {
  const spell = format === 'text' ? goFloat : openMetricsFloat;
  const expectedLe = [...upperBounds.map(spell), '+Inf'];
  const bySeries = new Map<string, { buckets: ParsedSample[]; count?: number }>();
  for (const sample of samples) {
    if (sample.name !== `${name}_bucket` && sample.name !== `${name}_count`) continue;
    const { le, ...labels } = sample.labels;
    const key = seriesKey(name, labels);
    const series = bySeries.get(key) ?? { buckets: [] };
    bySeries.set(key, series);
    if (le === undefined) series.count = sample.value;
    else series.buckets.push(sample);
  }
  const problems: string[] = [];
  for (const [key, { buckets, count }] of bySeries) {
    const le = buckets.map((bucket) => bucket.labels.le);
    if (JSON.stringify(le) !== JSON.stringify(expectedLe))
      problems.push(`${key}: le ${JSON.stringify(le)}, expected ${JSON.stringify(expectedLe)}`);
    buckets.forEach((bucket, i) => {
      if (i > 0 && bucket.value < (buckets[i - 1] as ParsedSample).value)
        problems.push(`${key}: bucket le="${bucket.labels.le}" counts less than the one before it`);
    });
    if (buckets.at(-1)?.value !== count) problems.push(`${key}: +Inf bucket ${buckets.at(-1)?.value}, _count ${count}`);
  }
  return problems;
}

/**
 * `observeJob(kind, status, seconds)` calls, as the `job_duration_seconds` series their contract
 * says they make: negative durations count as 0; non-finite ones, and an empty kind or status,
 * are dropped.
 */
export function observedJobs(
  calls: readonly (readonly [kind: string, status: string, seconds: number])[],
  defaultLabels: Readonly<Record<string, string>> = {},
): ObservedSeries[] {
  const series = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const [kind, status, seconds] of calls) {
    if (kind === '' || status === '' || !Number.isFinite(seconds)) continue;
    const labels = { kind: wellFormed(kind), status: wellFormed(status), ...defaultLabels };
    const key = JSON.stringify([labels.kind, labels.status]);
    const entry = series.get(key) ?? { labels, values: [] as number[] };
    series.set(key, entry);
    entry.values.push(Math.max(0, seconds));
  }
  return [...series.values()].map(({ labels, values }) => ({
    name: 'job_duration_seconds',
    labels,
    upperBounds: JOB_BUCKETS,
    values,
  }));
}

/** A label value as exposed: lone UTF-16 surrogates, which UTF-8 cannot carry, become U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * A float as Go's `strconv.FormatFloat(x, 'g', -1, 64)` writes it, the spelling of `le` in text
 * 0.0.4: the shortest digits that read back exactly, in exponent form (sign, at least two
 * exponent digits) when the decimal exponent is below -4 or at least 6 — for the shortest
 * precision Go's %g decides at 6, whatever the digit count.
 */
function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const [digits, power] = x.toExponential().split('e') as [string, string];
  const exponent = Number(power);
  if (exponent >= -4 && exponent < 6) return String(x); // JavaScript writes this range without an exponent too
  return `${digits}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** OpenMetrics' canonical `le`: Go's spelling, with `.0` on a whole number written without an exponent. */
function openMetricsFloat(x: number): string {
  const go = goFloat(x);
  return /^-?\d+$/.test(go) ? `${go}.0` : go;
}

/** `name{label="value",…}` with labels in name order: one key per series, however they were listed. */
function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((label) => `${label}=${JSON.stringify(labels[label])}`);
  return `${name}{${sorted.join(',')}}`;
}
