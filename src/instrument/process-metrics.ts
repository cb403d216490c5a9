import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { checkArgument, checkOptions, integerIn, isNumberArray, isRegistry, isString } from '../options.js';
import type { Registry } from '../core/registry.js';
import { hasProcFs, readLinuxProcess, type LinuxProcessReading } from './linux-proc.js';

/** Options of {@link registerProcessMetrics}; `{}` gives sensible defaults. */
export interface ProcessMetricsOptions {
  /** Event-loop delay sampling resolution in milliseconds. Default 10. */
  readonly eventLoopResolutionMs?: number;
  /** Buckets of `nodejs_gc_duration_seconds`, in seconds. Default 0.001 … 5. */
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

/**
 * Registers the standard process metrics, with the names existing dashboards read
 * (`process_cpu_seconds_total`, `process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`,
 * `nodejs_eventloop_lag_p99_seconds`, `nodejs_gc_duration_seconds`…). Values are read when a
 * snapshot is taken. Linux-only figures (virtual memory, heap segment, file descriptors) are
 * left out where /proc is missing, never exported as NaN. Nothing it starts keeps the process
 * alive. See docs/process-metrics.md for the full list.
 * @example
 * const processMetrics = registerProcessMetrics(registry);
 * // on shutdown: processMetrics.stop();
 */
export function registerProcessMetrics(registry: Registry, options: ProcessMetricsOptions = {}): ProcessMetrics {
  checkArgument('registerProcessMetrics', registry, isRegistry);
  checkOptions('registerProcessMetrics', options, { eventLoopResolutionMs: integerIn(1, 60_000), gcDurationBuckets: isNumberArray, procRoot: isString });
  const { eventLoopResolutionMs = 10, gcDurationBuckets = [0.001, 0.01, 0.1, 1, 2, 5], procRoot = '/proc/self' } = options;
  // One reading serves every family of one snapshot: the registry collects them in one pass.
  const memory = perSnapshot(() => process.memoryUsage());
  const cpu = perSnapshot(() => process.cpuUsage());
  const seconds = (microseconds: number) => microseconds / 1e6;

  registry.counter({ name: 'process_cpu_user_seconds_total', help: 'User CPU time spent in seconds.', collect: () => seconds(cpu().user) });
  registry.counter({ name: 'process_cpu_system_seconds_total', help: 'System CPU time spent in seconds.', collect: () => seconds(cpu().system) });
  registry.counter({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.', collect: () => seconds(cpu().user + cpu().system) });
  // When the process started, from the clock of its performance timeline: uptime is time() minus this.
  registry.gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.' }).set(Math.round(performance.timeOrigin) / 1000);
  registry.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', collect: () => memory().rss });
  registry.gauge({ name: 'nodejs_heap_size_total_bytes', help: 'V8 heap size in bytes.', collect: () => memory().heapTotal });
  registry.gauge({ name: 'nodejs_heap_size_used_bytes', help: 'V8 heap used in bytes.', collect: () => memory().heapUsed });
  registry.gauge({ name: 'nodejs_external_memory_bytes', help: 'Memory of C++ objects bound to JavaScript objects, in bytes.', collect: () => memory().external });
  registry.gauge({
    name: 'nodejs_active_handles',
    help: 'Active libuv resources keeping the event loop alive, by type (process.getActiveResourcesInfo()).',
    labelNames: ['type'],
    collect: () => countByType(process.getActiveResourcesInfo()),
  });

  if (hasProcFs(procRoot)) registerLinuxMetrics(registry, perSnapshot(() => readLinuxProcess(procRoot)));

  const delay = monitorEventLoopDelay({ resolution: eventLoopResolutionMs });
  delay.enable();
  const delayReading = perSnapshot(() => {
    // Each snapshot reports the delay since the previous one.
    // The histogram holds whole timer intervals, resolution included; the delay is the excess
    // (as Elastic's agent reads it, and unlike prom-client, which reports ~10 ms on an idle loop).
    const resolutionNs = eventLoopResolutionMs * 1e6;
    const excess = (ns: number) => Math.max(0, ns - resolutionNs) / 1e9;
    const reading =
      delay.count > 0
        ? { mean: excess(delay.mean), p50: excess(delay.percentile(50)), p90: excess(delay.percentile(90)), p99: excess(delay.percentile(99)), max: excess(delay.max) }
        : undefined;
    delay.reset();
    return reading;
  });
  const delayStat = (stat: 'mean' | 'p50' | 'p90' | 'p99' | 'max') => () => {
    const reading = delayReading();
    // No sample yet (the first moments of a process): leave the series out rather than export NaN.
    return reading === undefined ? [] : reading[stat];
  };
  registry.gauge({ name: 'nodejs_eventloop_lag_seconds', help: 'Mean event-loop delay since the previous scrape, in seconds.', collect: delayStat('mean') });
  for (const stat of ['mean', 'p50', 'p90', 'p99', 'max'] as const) {
    registry.gauge({ name: `nodejs_eventloop_lag_${stat}_seconds`, help: `Event-loop delay since the previous scrape, ${stat}, in seconds.`, collect: delayStat(stat) });
  }

  const gcDuration = registry.histogram({ name: 'nodejs_gc_duration_seconds', help: 'Garbage collection pauses in seconds, by kind.', labelNames: ['kind'], buckets: gcDurationBuckets });
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      gcDuration.observe({ kind: (kind !== undefined && GC_KINDS[kind]) || 'unknown' }, entry.duration / 1000);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
  registry.info({ name: 'nodejs_version_info', help: 'Node.js version; the value is always 1.', labels: { version: process.version, major, minor, patch } });

  return {
    stop() {
      delay.disable();
      gcObserver.disconnect();
    },
  };
}

function registerLinuxMetrics(registry: Registry, linux: () => LinuxProcessReading): void {
  // A figure /proc did not give is left out of that snapshot, never exported as NaN.
  const figure = (pick: (reading: LinuxProcessReading) => number | undefined) => () => pick(linux()) ?? [];
  registry.gauge({ name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.', collect: figure((r) => r.virtualMemoryBytes) });
  registry.gauge({ name: 'process_heap_bytes', help: 'Process heap (data segment) size in bytes.', collect: figure((r) => r.heapBytes) });
  registry.gauge({ name: 'process_open_fds', help: 'Number of open file descriptors.', collect: figure((r) => r.openFds) });
  registry.gauge({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.', collect: figure((r) => r.maxFds) });
}

function countByType(resources: readonly string[]): { labels: { type: string }; value: number }[] {
  const counts = new Map<string, number>();
  for (const type of resources) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts].map(([type, value]) => ({ labels: { type }, value }));
}

/**
 * Caches `read` for a few milliseconds: long enough for all the families of one snapshot to
 * share one reading, short enough that the next scrape reads afresh.
 */
function perSnapshot<T>(read: () => T): () => T {
  let readAt = -Infinity;
  let value: T;
  return () => {
    const now = performance.now();
    if (now - readAt > 20) {
      value = read();
      readAt = now;
    }
    return value;
  };
}
