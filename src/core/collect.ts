import type { Labels } from './labels.js';

/** One series as a collect function reports it. */
export interface CollectedSample<L extends string = string> {
  readonly labels: Labels<L>;
  readonly value: number;
}

/**
 * Reads a counter's or gauge's value(s) when a snapshot is taken: the value of an unlabelled
 * metric, or every series of a labelled one (series it does not return are not exported).
 * A collect function that throws, or returns something else, leaves its family out of that
 * snapshot; the failure is counted in `<prefix>promlite_collect_errors_total{metric}`. It may
 * return a promise: `snapshotAsync()` (which the metrics handler uses) awaits it, with a timeout.
 */
export type CollectFunction<L extends string = string> = () =>
  | number
  | readonly CollectedSample<L>[]
  | PromiseLike<number | readonly CollectedSample<L>[]>;
