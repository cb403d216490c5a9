// The process and runtime families, under the names prom-client's default metrics use, made from one
// reading of the process: pure functions of plain data, so each is tested on its own.
import type { CounterFamily, FamilySnapshot, GaugeFamily, HistogramFamily, ScalarSeries } from '../core/snapshot.js';
import type { LinuxProcessReading } from './linux-proc.js';

/** Event-loop delay since the previous reading, in seconds; undefined before any sample. */
export type DelayReading =
  | Readonly<Record<'min' | 'max' | 'mean' | 'stddev' | 'p50' | 'p90' | 'p99', number>>
  | undefined;

/** One reading of the process, taken once per snapshot. */
export interface ProcessReading {
  readonly startTimeSeconds: number;
  readonly memory: NodeJS.MemoryUsage;
  readonly cpu: NodeJS.CpuUsage;
  /** Undefined where /proc is missing: its families are left out. */
  readonly linux: LinuxProcessReading | undefined;
  readonly delay: DelayReading;
  /** Type names of the active libuv handles, requests and resources; undefined where Node lacks the call. */
  readonly handles: readonly string[] | undefined;
  readonly requests: readonly string[] | undefined;
  readonly resources: readonly string[] | undefined;
  /** V8 heap spaces (`v8.getHeapSpaceStatistics()`). */
  readonly heapSpaces: readonly {
    readonly space_name: string;
    readonly space_size: number;
    readonly space_used_size: number;
    readonly space_available_size: number;
  }[];
  readonly nodeVersion: string;
  /** Garbage-collection pauses so far: bucket counts per kind, not cumulative, `+Inf` last. */
  readonly gc: { readonly upperBounds: readonly number[]; readonly byKind: ReadonlyMap<string, GcTotals> };
}

/** One kind of GC pause, accumulated. */
export interface GcTotals {
  readonly bucketCounts: readonly number[];
  readonly sum: number;
}

const DELAY_STATS = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const;

/**
 * The families of one reading. A figure that could not be read (no /proc field, no event-loop
 * sample yet, a Node without the call) leaves its family without series, never exported as NaN.
 */
export function processFamilies(reading: ProcessReading): FamilySnapshot[] {
  const { memory, cpu, linux, delay } = reading;
  const families: FamilySnapshot[] = [
    counter('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', cpu.user / 1e6),
    counter('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', cpu.system / 1e6),
    counter(
      'process_cpu_seconds_total',
      'Total user and system CPU time spent in seconds.',
      (cpu.user + cpu.system) / 1e6,
    ),
    gauge(
      'process_start_time_seconds',
      'Start time of the process since unix epoch in seconds.',
      reading.startTimeSeconds,
    ),
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', memory.rss),
    gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', memory.heapTotal),
    gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', memory.heapUsed),
    gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', memory.external),
    gauge(
      'nodejs_eventloop_lag_seconds',
      'Lag of event loop in seconds (the mean since the previous scrape).',
      delay?.mean,
    ),
    ...DELAY_STATS.map((stat) =>
      gauge(
        `nodejs_eventloop_lag_${stat}_seconds`,
        `The ${stat} of the event loop delay since the previous scrape, in seconds.`,
        delay?.[stat],
      ),
    ),
    ...activeFamilies('handles', 'Number of active libuv handles grouped by handle type.', reading.handles),
    ...activeFamilies('requests', 'Number of active libuv requests grouped by request type.', reading.requests),
    ...activeFamilies(
      'resources',
      'Number of active resources keeping the event loop alive, grouped by type.',
      reading.resources,
    ),
    ...heapSpaceFamilies(reading.heapSpaces),
    versionFamily(reading.nodeVersion),
    gcFamily(reading.gc),
  ];
  if (linux !== undefined) {
    families.push(
      gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', linux.virtualMemoryBytes),
      gauge('process_heap_bytes', 'Process heap size in bytes.', linux.heapBytes),
      gauge('process_open_fds', 'Number of open file descriptors.', linux.openFds),
      gauge('process_max_fds', 'Maximum number of open file descriptors.', linux.maxFds),
    );
  }
  return families;
}

/** `nodejs_active_<what>{type}` and `nodejs_active_<what>_total`, as prom-client names them. */
function activeFamilies(what: string, help: string, types: readonly string[] | undefined): GaugeFamily[] {
  const byType: GaugeFamily = {
    type: 'gauge',
    name: `nodejs_active_${what}`,
    help,
    labelNames: ['type'],
    series: types === undefined ? [] : countByType(types),
  };
  return [byType, gauge(`nodejs_active_${what}_total`, `Total number of active ${what}.`, types?.length)];
}

/** `nodejs_heap_space_size_{total,used,available}_bytes{space}`, the space named without `_space`. */
function heapSpaceFamilies(spaces: ProcessReading['heapSpaces']): GaugeFamily[] {
  const fields = [
    ['total', 'space_size'],
    ['used', 'space_used_size'],
    ['available', 'space_available_size'],
  ] as const;
  return fields.map(([figure, field]) => ({
    type: 'gauge',
    name: `nodejs_heap_space_size_${figure}_bytes`,
    help: `Process heap space size ${figure} from Node.js in bytes.`,
    labelNames: ['space'],
    series: spaces
      .map((space) => ({ labelValues: [space.space_name.replace(/_space$/, '')], value: space[field] }))
      .sort((a, b) => ((a.labelValues[0] as string) < (b.labelValues[0] as string) ? -1 : 1)),
  }));
}

function versionFamily(version: string): GaugeFamily {
  const [major = '', minor = '', patch = ''] = version.replace(/^v/, '').split('.');
  return {
    type: 'gauge',
    name: 'nodejs_version_info',
    help: 'Node.js version info.',
    labelNames: ['version', 'major', 'minor', 'patch'],
    series: [{ labelValues: [version, major, minor, patch], value: 1 }],
  };
}

function gcFamily({ upperBounds, byKind }: ProcessReading['gc']): HistogramFamily {
  const series = [...byKind]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, { bucketCounts, sum }]) => {
      const cumulativeCounts: number[] = [];
      let running = 0;
      for (let i = 0; i < upperBounds.length; i++) {
        running += bucketCounts[i] as number;
        cumulativeCounts.push(running);
      }
      const count = running + (bucketCounts[upperBounds.length] as number);
      return { labelValues: [kind], cumulativeCounts, sum, count };
    });
  return {
    type: 'histogram',
    name: 'nodejs_gc_duration_seconds',
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'],
    upperBounds,
    series,
  };
}

function counter(name: string, help: string, value: number): CounterFamily {
  return { type: 'counter', name, help, labelNames: [], series: [{ labelValues: [], value }] };
}

function gauge(name: string, help: string, value: number | undefined): GaugeFamily {
  return { type: 'gauge', name, help, labelNames: [], series: value === undefined ? [] : [{ labelValues: [], value }] };
}

function countByType(types: readonly string[]): ScalarSeries[] {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, value]) => ({ labelValues: [type], value }));
}
