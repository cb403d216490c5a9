import { PromliteError } from '../errors.js';
import type { Labels } from './labels.js';

/**
 * Stops a timer: records the seconds since it started and returns them. On a metric's own
 * timer, `labels` complete (or override) the ones given to `startTimer`, as prom-client's
 * `end(labels)` does; a bound child's timer takes none.
 */
export type StopTimer<L extends string = string> = (labels?: Partial<Labels<L>>) => number;

/** Seconds since `start`, a `performance.now()` reading. */
function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/**
 * A metric's timer: when stopped, `record` gets the label set (the start's merged with the
 * stop's, `undefined` when neither was given) and the elapsed seconds. Errors in the labels
 * surface when it stops, where the whole set is known.
 */
export function metricTimer(
  startLabels: Partial<Labels> | undefined,
  record: (labels: Labels | undefined, seconds: number) => void,
): StopTimer {
  const start = performance.now();
  return (stopLabels) => {
    const seconds = secondsSince(start);
    const labels = stopLabels === undefined ? startLabels : { ...startLabels, ...stopLabels };
    record(labels as Labels | undefined, seconds);
    return seconds;
  };
}

/** A bound child's timer: its labels are fixed, so its stop function refuses any. */
export function childTimer(type: string, metric: string, record: (seconds: number) => void): StopTimer {
  const start = performance.now();
  return (stopLabels) => {
    const seconds = secondsSince(start);
    if (stopLabels !== undefined && (typeof stopLabels !== 'object' || Object.keys(stopLabels ?? {}).length > 0)) {
      throw new PromliteError(
        'INVALID_LABELS',
        `${type} "${metric}": the timer of a bound child takes no labels; start the timer on the ${type} itself to give labels when it stops`,
      );
    }
    record(seconds);
    return seconds;
  };
}
