import { getHeapSpaceStatistics } from 'node:v8';
import {
  constants as perfConstants,
  monitorEventLoopDelay,
  PerformanceObserver,
  type IntervalHistogram,
} from 'node:perf_hooks';
import { validateBuckets } from '../core/names.js';
import type { Registry } from '../core/registry.js';
import { PromliteError } from '../errors.js';
import { checkArgument, checkOptions, integerIn, isNumberArray, isRegistry, isString } from '../options.js';
import { hasProcFs, readLinuxProcess } from './linux-proc.js';
import { type DelayReading, type GcTotals, processFamilies, type ProcessReading } from './process-families.js';

/** Options of {@link registerProcessMetrics}; `{}` gives sensible defaults. */
export interface ProcessMetricsOptions {
  /**
   * Put in front of every name, as prom-client's `prefix` does. Default `''`: the standard
   * names, whatever the registry's own prefix, so that dashboards and alerts built on them work.
   */
  readonly prefix?: string;
  /** Event-loop delay sampling resolution in milliseconds. Default 10. */
  readonly eventLoopResolutionMs?: number;
  /** Buckets of `nodejs_gc_duration_seconds`, in seconds. Default 0.001 … 5 (prom-client's). */
  readonly gcDurationBuckets?: readonly number[];
  /** Where this process's /proc entry is. Default `/proc/self`; elsewhere than Linux it is absent. */
  readonly procRoot?: string;
}

/** The handle {@link registerProcessMetrics} returns. */
export interface ProcessMetrics {
  /** Stops the event-loop and GC observers (the metrics stay registered, reporting what they last knew). */
  stop(): void;
}

const GC_KINDS: Readonly<Record<number, string>> = {
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** Node's undocumented handle and request lists, which prom-client reads too; absent on some runtimes. */
type ActiveLists = { _getActiveHandles?: () => unknown[]; _getActiveRequests?: () => unknown[] };

/**
 * Registers the process and runtime metrics under the names prom-client's `collectDefaultMetrics`
 * uses — every one of them, with the same types and labels (`process_cpu_seconds_total`,
 * `nodejs_eventloop_lag_p99_seconds`, `nodejs_active_handles{type}`,
 * `nodejs_heap_space_size_used_bytes{space}`, `nodejs_gc_duration_seconds{kind}`…), so that
 * existing dashboards and alerts keep working. The names carry no registry prefix unless
 * `prefix` asks for one; the registry's default labels apply. Everything is read once per
 * snapshot, through one collector. Linux-only figures (virtual memory, heap segment, file
 * descriptors) are left out where /proc is missing, never exported as NaN. Nothing it starts
 * keeps the process alive. See docs/process-metrics.md for the full list.
 * @throws PromliteError for a registry that is not one, bad options, or a name the registry
 *   already holds (naming it).
 * @example
 * const processMetrics = registerProcessMetrics(registry);
 * // on shutdown: processMetrics.stop();
 */
export function registerProcessMetrics(registry: Registry, options: ProcessMetricsOptions = {}): ProcessMetrics {
  checkArgument('registerProcessMetrics', registry, isRegistry);
  checkOptions('registerProcessMetrics', options, {
    prefix: isString,
    eventLoopResolutionMs: integerIn(1, 60_000),
    gcDurationBuckets: isNumberArray,
    procRoot: isString,
  });
  const {
    prefix = '',
    eventLoopResolutionMs = 10,
    gcDurationBuckets = [0.001, 0.01, 0.1, 1, 2, 5],
    procRoot = '/proc/self',
  } = options;
  const problem = validateBuckets(gcDurationBuckets);
  if (problem !== undefined)
    throw new PromliteError('INVALID_BUCKETS', `registerProcessMetrics: gcDurationBuckets: ${problem}`);
  const linux = hasProcFs(procRoot);
  const delay = monitorEventLoopDelay({ resolution: eventLoopResolutionMs });
  delay.enable();
  const readDelayNow = delayReader(delay, eventLoopResolutionMs);
  const gc = recordGc([...gcDurationBuckets]);
  // When the process started, from the clock of its performance timeline.
  const startTimeSeconds = Math.round(performance.timeOrigin) / 1000;
  const read = (): ProcessReading => ({
    startTimeSeconds,
    memory: process.memoryUsage(),
    cpu: process.cpuUsage(),
    linux: linux ? readLinuxProcess(procRoot) : undefined,
    delay: readDelayNow(),
    handles: typeNames((process as ActiveLists)._getActiveHandles?.()),
    requests: typeNames((process as ActiveLists)._getActiveRequests?.()),
    resources: process.getActiveResourcesInfo?.(),
    heapSpaces: getHeapSpaceStatistics(),
    nodeVersion: process.version,
    gc: gc.totals,
  });
  // Checked once here, so that a name the registry already holds fails now, naming it, rather
  // than leaving every process family out of every snapshot.
  for (const family of processFamilies(read())) {
    const name = prefix + family.name;
    if (registry.get(name) !== undefined) {
      throw new PromliteError(
        'DUPLICATE_METRIC',
        `registerProcessMetrics: "${name}" is already registered in this registry`,
      );
    }
  }
  registry.collect(() => processFamilies(read()), { name: 'process', prefix });
  return {
    stop() {
      delay.disable();
      gc.observer.disconnect();
    },
  };
}

/** Accumulates GC pauses per kind, from the moment it is called. */
function recordGc(upperBounds: readonly number[]) {
  const byKind = new Map<string, { bucketCounts: number[]; sum: number }>();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const code = (entry as { detail?: { kind?: number } }).detail?.kind;
      const kind = (code !== undefined && GC_KINDS[code]) || 'unknown';
      const seconds = entry.duration / 1000;
      let totals = byKind.get(kind);
      if (totals === undefined) {
        totals = { bucketCounts: new Array<number>(upperBounds.length + 1).fill(0), sum: 0 };
        byKind.set(kind, totals);
      }
      let bucket = 0;
      while (bucket < upperBounds.length && seconds > (upperBounds[bucket] as number)) bucket++;
      (totals.bucketCounts[bucket] as number)++;
      totals.sum += seconds;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { observer, totals: { upperBounds, byKind: byKind as ReadonlyMap<string, GcTotals> } };
}

/**
 * Reads and resets the event-loop delay histogram: each snapshot reports the delay since the
 * previous one. With no sample since then (two scrapers a few milliseconds apart), the previous
 * reading stands, so that no scrape finds the family empty.
 */
function delayReader(delay: IntervalHistogram, resolutionMs: number): () => DelayReading {
  let last: DelayReading;
  return () => {
    last = delay.count > 0 ? readDelay(delay, resolutionMs) : last;
    return last;
  };
}

function readDelay(delay: IntervalHistogram, resolutionMs: number): DelayReading {
  // The histogram holds whole timer intervals, resolution included; the delay is the excess
  // (as Elastic's agent reads it, and unlike prom-client, which reports ~10 ms on an idle loop).
  const resolutionNs = resolutionMs * 1e6;
  const excess = (ns: number) => Math.max(0, ns - resolutionNs) / 1e9;
  const reading = {
    min: excess(delay.min),
    max: excess(delay.max),
    mean: excess(delay.mean),
    // A spread does not move with the resolution.
    stddev: delay.stddev / 1e9,
    p50: excess(delay.percentile(50)),
    p90: excess(delay.percentile(90)),
    p99: excess(delay.percentile(99)),
  };
  delay.reset();
  return reading;
}

/** The constructor name of each handle or request, as prom-client groups them. */
function typeNames(list: readonly unknown[] | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const names: string[] = [];
  for (const item of list) {
    const name = (item as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    if (typeof name === 'string' && name !== '') names.push(name);
  }
  return names;
}
