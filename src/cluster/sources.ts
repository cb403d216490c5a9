// What the aggregator merges: its own snapshot, the retired workers' counts, the live workers'
// last snapshots; and how a worker's counts are kept once it is gone.
import { setImmediate } from 'node:timers';
import { familyDifference, mergeSnapshotsSteps } from '../core/merge.js';
import type { FamilySnapshot, RegistrySnapshot } from '../core/snapshot.js';
import { runSteps, type Steps } from '../core/steps.js';

/** Longest stretch of merging before the aggregator lets the event loop run. */
const SLICE_MS = 5;

/**
 * A gone worker's last snapshot, reduced to what must outlive it: counters, histograms and
 * summaries' `_sum` and `_count`. Gauges, info families and state sets describe a live process and
 * go with it; a summary's quantiles described its own window and become NaN.
 */
export function countsOf(snapshot: RegistrySnapshot): RegistrySnapshot {
  const families: FamilySnapshot[] = [];
  for (const family of snapshot.families) {
    if (family.type === 'counter' || family.type === 'histogram') families.push(family);
    else if (family.type === 'summary') {
      const series = family.series.map((entry) => ({ ...entry, quantileValues: entry.quantileValues.map(() => NaN) }));
      families.push({ ...family, series });
    }
  }
  return { families };
}

/**
 * The retired workers' counts with one more gone worker's added: one accumulated snapshot,
 * whatever the number of restarts. A family the newcomer declares differently (a deploy changed
 * its help or buckets) replaces the accumulated one, since live workers now declare it so.
 */
export function retire(retired: RegistrySnapshot | undefined, last: RegistrySnapshot): RegistrySnapshot {
  const counts = countsOf(last);
  if (retired === undefined) return counts;
  const incoming = new Map(counts.families.map((family) => [family.name, family]));
  const kept = retired.families.filter((family) => {
    const other = incoming.get(family.name);
    return other === undefined || familyDifference(family, other) === undefined;
  });
  return runSteps(mergeSnapshotsSteps([{ families: kept }, counts]));
}

/**
 * Leaves out of each source the families that disagree with an earlier source's family of the
 * same name (earlier sources win), so that one worker's odd declaration costs that family from
 * that worker, not the whole scrape. Calls `onConflict` once per family left out.
 */
export function withoutConflicts(sources: readonly RegistrySnapshot[], onConflict: () => void): RegistrySnapshot[] {
  const seen = new Map<string, FamilySnapshot>();
  return sources.map((source) => {
    let kept: FamilySnapshot[] | undefined;
    source.families.forEach((family, index) => {
      const first = seen.get(family.name);
      if (first === undefined) seen.set(family.name, family);
      else if (familyDifference(first, family) !== undefined) {
        kept ??= source.families.slice(0, index);
        onConflict();
        return;
      }
      kept?.push(family);
    });
    return kept === undefined ? source : { families: kept };
  });
}

/** Runs steps, letting the event loop run (one `setImmediate`) whenever a slice passes a few milliseconds. */
export async function runStepsYielding<T>(steps: Steps<T>): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
