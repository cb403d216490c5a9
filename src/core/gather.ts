import type { Counter } from './counter.js';
import type { Gauge } from './gauge.js';
import type { Histogram } from './histogram.js';
import type { Summary } from './summary.js';
import type { CollectReads } from './read-ahead.js';
import type { FamilySnapshot, RegistrySnapshot } from './snapshot.js';
import type { Steps } from './steps.js';

/** What a registry stores. */
export type AnyMetric = Counter<string> | Gauge<string> | Histogram<string> | Summary<string>;

/**
 * Takes a snapshot of `metrics` (sorted by name) and of the families `readFromCollectors`
 * returns, in steps, with what collect functions returned when read ahead (`reads`), if they were. Collect functions and collectors all run in the first step, so that their
 * failures show in this very snapshot; a collect function that throws leaves its family out and
 * goes to `reportFailure`. Each series is copied whole; the snapshot as a whole spans the steps
 * (as the Go client's gathering does), so a value may move between two families' copies.
 */
export function* gatherSteps(
  metrics: readonly AnyMetric[],
  readFromCollectors: () => readonly FamilySnapshot[],
  reportFailure: (error: unknown, metric: string) => void,
  reads: CollectReads | undefined,
): Steps<RegistrySnapshot> {
  const collected = new Map<AnyMetric, FamilySnapshot | undefined>();
  for (const metric of metrics) {
    if (metric.collect === undefined) continue;
    try {
      collected.set(metric, metric.snapshot(reads));
    } catch (error) {
      collected.set(metric, undefined);
      reportFailure(error, metric.name);
    }
  }
  const fromCollectors = readFromCollectors();
  const families: FamilySnapshot[] = [];
  for (const metric of metrics) {
    const family = collected.has(metric) ? collected.get(metric) : yield* metric.snapshotSteps();
    // Family objects are frozen; their series lists are fresh copies, typed read-only but not
    // frozen: V8 (Node 20) reads elements of frozen arrays several times slower, and render
    // reads every one.
    if (family !== undefined) families.push(Object.freeze(family));
  }
  if (fromCollectors.length > 0) {
    // No collected name equals a declared one (collectors' families are checked), so one sort merges.
    families.push(...fromCollectors);
    families.sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  return Object.freeze({ families: Object.freeze(families) });
}
