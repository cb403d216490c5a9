import {
  constants as perfConstants,
  monitorEventLoopDelay,
  PerformanceObserver,
  type IntervalHistogram,
} from 'node:perf_hooks';
import { checkArgument, checkOptions, integerIn, isNumberArray, isRegistry, isString } from '../options.js';
import type { Registry } from '../core/registry.js';
import type { CounterFamily, FamilySnapshot, GaugeFamily, ScalarSeries } from '../core/snapshot.js';
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
  checkOptions('registerProcessMetrics', options, {
    eventLoopResolutionMs: integerIn(1, 60_000),
    gcDurationBuckets: isNumberArray,
    procRoot: isString,
  });
  const {
    eventLoopResolutionMs = 10,
    gcDurationBuckets = [0.001, 0.01, 0.1, 1, 2, 5],
    procRoot = '/proc/self',
  } = options;
  // When the process started, from the clock of its performance timeline: uptime is time() minus this.
  registry
    .gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.' })
    .set(Math.round(performance.timeOrigin) / 1000);
  const linux = hasProcFs(procRoot);
  const delay = monitorEventLoopDelay({ resolution: eventLoopResolutionMs });
  delay.enable();
  // One collector, so that each snapshot reads memory, CPU and /proc once for all their families.
  registry.collect(
    () => processFamilies(linux ? readLinuxProcess(procRoot) : undefined, readDelay(delay, eventLoopResolutionMs)),
    { name: 'process' },
  );

  const gcDuration = registry.histogram({
    name: 'nodejs_gc_duration_seconds',
    help: 'Garbage collection pauses in seconds, by kind.',
    labelNames: ['kind'],
    buckets: gcDurationBuckets,
  });
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      gcDuration.observe({ kind: (kind !== undefined && GC_KINDS[kind]) || 'unknown' }, entry.duration / 1000);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
  registry.info({
    name: 'nodejs_version_info',
    help: 'Node.js version; the value is always 1.',
    labels: { version: process.version, major, minor, patch },
  });

  return {
    stop() {
      delay.disable();
      gcObserver.disconnect();
    },
  };
}

/** Event-loop delay since the previous reading, in seconds; undefined before any sample. */
type DelayReading = Readonly<Record<'mean' | 'p50' | 'p90' | 'p99' | 'max', number>> | undefined;

/** Reads and resets the event-loop delay histogram: each snapshot reports the delay since the previous one. */
function readDelay(delay: IntervalHistogram, resolutionMs: number): DelayReading {
  // The histogram holds whole timer intervals, resolution included; the delay is the excess
  // (as Elastic's agent reads it, and unlike prom-client, which reports ~10 ms on an idle loop).
  const resolutionNs = resolutionMs * 1e6;
  const excess = (ns: number) => Math.max(0, ns - resolutionNs) / 1e9;
  const reading =
    delay.count > 0
      ? {
          mean: excess(delay.mean),
          p50: excess(delay.percentile(50)),
          p90: excess(delay.percentile(90)),
          p99: excess(delay.percentile(99)),
          max: excess(delay.max),
        }
      : undefined;
  delay.reset();
  return reading;
}

/**
 * The families of one reading of the process. A figure that could not be read (no /proc field, no
 * event-loop sample yet) leaves its family without series, never exported as NaN. Reads memory
 * and CPU once; `linux` is undefined where /proc is missing, and then its families are left out.
 */
function processFamilies(linux: LinuxProcessReading | undefined, delay: DelayReading): FamilySnapshot[] {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const families: FamilySnapshot[] = [
    counter('process_cpu_user_seconds_total', 'User CPU time spent in seconds.', cpu.user / 1e6),
    counter('process_cpu_system_seconds_total', 'System CPU time spent in seconds.', cpu.system / 1e6),
    counter(
      'process_cpu_seconds_total',
      'Total user and system CPU time spent in seconds.',
      (cpu.user + cpu.system) / 1e6,
    ),
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', memory.rss),
    gauge('nodejs_heap_size_total_bytes', 'V8 heap size in bytes.', memory.heapTotal),
    gauge('nodejs_heap_size_used_bytes', 'V8 heap used in bytes.', memory.heapUsed),
    gauge(
      'nodejs_external_memory_bytes',
      'Memory of C++ objects bound to JavaScript objects, in bytes.',
      memory.external,
    ),
    {
      type: 'gauge',
      name: 'nodejs_active_handles',
      help: 'Active libuv resources keeping the event loop alive, by type (process.getActiveResourcesInfo()).',
      labelNames: ['type'],
      series: countByType(process.getActiveResourcesInfo()),
    },
    gauge('nodejs_eventloop_lag_seconds', 'Mean event-loop delay since the previous scrape, in seconds.', delay?.mean),
  ];
  for (const stat of ['mean', 'p50', 'p90', 'p99', 'max'] as const) {
    families.push(
      gauge(
        `nodejs_eventloop_lag_${stat}_seconds`,
        `Event-loop delay since the previous scrape, ${stat}, in seconds.`,
        delay?.[stat],
      ),
    );
  }
  if (linux !== undefined) {
    families.push(
      gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', linux.virtualMemoryBytes),
      gauge('process_heap_bytes', 'Process heap (data segment) size in bytes.', linux.heapBytes),
      gauge('process_open_fds', 'Number of open file descriptors.', linux.openFds),
      gauge('process_max_fds', 'Maximum number of open file descriptors.', linux.maxFds),
    );
  }
  return families;
}

function counter(name: string, help: string, value: number): CounterFamily {
  return { type: 'counter', name, help, labelNames: [], series: [{ labelValues: [], value }] };
}

function gauge(name: string, help: string, value: number | undefined): GaugeFamily {
  return { type: 'gauge', name, help, labelNames: [], series: value === undefined ? [] : [{ labelValues: [], value }] };
}

function countByType(resources: readonly string[]): ScalarSeries[] {
  const counts = new Map<string, number>();
  for (const type of resources) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts].map(([type, value]) => ({ labelValues: [type], value }));
}
