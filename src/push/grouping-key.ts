import type { RegistrySnapshot } from '../core/snapshot.js';
import { LABEL_NAME } from '../core/names.js';
import { PromliteError } from '../errors.js';
import { describeValue } from '../options.js';

// A Pushgateway group is named by its grouping key: the job plus any other labels, written into
// the URL path as `/metrics/job/<job>/<label>/<value>…`. A value that holds `/` (or is empty)
// cannot be a path segment, so the gateway also takes `<label>@base64/<URL-safe base64>`, with
// `=` for the empty value (pushgateway README, "URL").

/** The grouping key as label name → value, `job` first: what every series of the group carries. */
export type GroupLabels = ReadonlyMap<string, string>;

/**
 * Checks a job name and a grouping key and returns them as one label map, `job` first.
 * @throws PromliteError `INVALID_OPTIONS` for a job that is not a non-empty string, a grouping
 *   key that is not an object of strings, a label name outside `[a-zA-Z_][a-zA-Z0-9_]*`, a name
 *   starting with `__` (reserved), or `job` itself (it is the `job` option).
 */
export function checkGroupingKey(owner: string, job: unknown, groupingKey: unknown): GroupLabels {
  if (typeof job !== 'string' || job === '') {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `${owner}: option "job" must be a non-empty string, got ${describeValue(job)}`,
    );
  }
  const labels = new Map<string, string>([['job', job]]);
  if (groupingKey === undefined) return labels;
  if (typeof groupingKey !== 'object' || groupingKey === null || Array.isArray(groupingKey)) {
    throw new PromliteError(
      'INVALID_OPTIONS',
      `${owner}: option "groupingKey" must be an object of label name → value, got ${describeValue(groupingKey)}`,
    );
  }
  for (const [name, value] of Object.entries(groupingKey)) {
    const problem = groupingLabelProblem(name, value);
    if (problem !== undefined) throw new PromliteError('INVALID_OPTIONS', `${owner}: groupingKey label ${problem}`);
    labels.set(name, value as string);
  }
  return labels;
}

/** What is wrong with one grouping-key label, or `undefined`. */
function groupingLabelProblem(name: string, value: unknown): string | undefined {
  if (!LABEL_NAME.test(name)) return `${JSON.stringify(name)}: a label name must match [a-zA-Z_][a-zA-Z0-9_]*`;
  if (name.startsWith('__')) return `"${name}": names starting with "__" are reserved`;
  if (name === 'job') return `"job": the job is the "job" option, not part of groupingKey`;
  if (typeof value !== 'string') return `"${name}": the value must be a string, got ${describeValue(value)}`;
  return undefined;
}

/**
 * The path of a group under the gateway's base path: `/metrics/job/<job>/<label>/<value>…`.
 * Values with `/` and empty values are written in base64 (`@base64`); others are percent-encoded.
 * Pure; never throws.
 */
export function groupPath(labels: GroupLabels): string {
  let path = '/metrics';
  for (const [name, value] of labels) path += `/${pathSegments(name, value)}`;
  return path;
}

function pathSegments(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  // Percent-encoding cannot carry `/`: gateways and proxies decode `%2F` before routing.
  if (value.includes('/')) return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/**
 * Refuses series that carry a grouping label with another value. The gateway would not refuse
 * them: it silently overwrites the series' value with the group's (Pushgateway 1.5), so that
 * `{queue="a"}` pushed into group `queue="b"` would be stored as `queue="b"`, or collide with a
 * series already there.
 * @throws PromliteError `INVALID_LABELS` naming the family, the label and both values.
 */
export function assertSeriesAgree(owner: string, snapshot: RegistrySnapshot, labels: GroupLabels): void {
  for (const family of snapshot.families) {
    family.labelNames.forEach((label, index) => {
      const expected = labels.get(label);
      if (expected === undefined) return;
      for (const series of family.series) {
        const value = series.labelValues[index];
        if (value === expected) continue;
        throw new PromliteError(
          'INVALID_LABELS',
          `${owner}: ${family.type} "${family.name}" has a series with ${label}=${JSON.stringify(value)}, but the grouping key says ${label}=${JSON.stringify(expected)} (the Pushgateway would overwrite it): push those series to a group of their own`,
        );
      }
    });
  }
}
